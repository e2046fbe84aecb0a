#!/usr/bin/env node
// postfix-stats-get under a plain `node`; the packaged program is daemon/postfix-stats.ts.
import { postfixStatsGet } from './postfix-stats-get.js';

postfixStatsGet(process.argv.slice(2));
