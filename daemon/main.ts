#!/usr/bin/env node
// postfix-statsd under a plain `node` (npm's bin, the tests); the packaged program is daemon/postfix-stats.ts.
import { postfixStatsd } from './postfix-statsd.js';

await postfixStatsd(process.argv.slice(2), [process.execPath, ...process.execArgv, process.argv[1]!]);
