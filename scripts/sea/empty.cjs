'use strict';
// Stand-in for optional native packages (msgpackr-extract) in the SEA bundle:
// msgpackr checks `if (extractor)` and falls back to its pure-JS decoder.
module.exports = undefined;
