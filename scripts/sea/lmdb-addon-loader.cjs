'use strict';
// Stand-in for `node-gyp-build-optional-packages`, bundled into the SEA in its
// place (see esbuild-plugin.mjs). lmdb calls `loadNAPI(dirName)`; inside a
// single executable application there is no node_modules to search and
// `require` only reaches builtins, so the N-API addon is loaded with
// process.dlopen from the directory of the executable itself
// (process.execPath is the real path, so a symlink to the executable works).
// When the bundle is run by a plain `node` (debugging), the directory of the
// bundle is tried as well.
const path = require('node:path');
const fs = require('node:fs');

const ADDON_FILE = 'lmdb.node';
let cached;

module.exports = function loadLmdbAddon() {
  if (cached) return cached;
  const dirs = [path.dirname(process.execPath)];
  if (typeof __dirname === 'string' && !dirs.includes(__dirname)) dirs.push(__dirname);
  const tried = [];
  for (const dir of dirs) {
    const file = path.join(dir, ADDON_FILE);
    tried.push(file);
    if (!fs.existsSync(file)) continue;
    const mod = { exports: {} };
    process.dlopen(mod, file);
    cached = mod.exports;
    return cached;
  }
  throw new Error(
    `lmdb native addon not found (looked for ${tried.join(', ')}); ` +
      `it must be shipped as "${ADDON_FILE}" beside the executable`,
  );
};
