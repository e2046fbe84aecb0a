#!/usr/bin/env node
// postfix-stats-report under a plain `node` (npm's bin, the tests); the packaged program is daemon/postfix-stats.ts.
import { postfixStatsReport } from './postfix-stats-report.js';

await postfixStatsReport(process.argv.slice(2));
