#!/usr/bin/env node
// postfix-stats-get: wiring and exit codes only. Kept to a few imports: snmpd forks it per request.
import { EXIT, USAGE, parseGetArgs } from '../src/snmp/get-args.js';
import { Reader } from '../src/store/reader.js';

function fail(code: number, message: string): never {
  process.stderr.write(`postfix-stats-get: ${message}\n`);
  process.exit(code);
}

const parsed = parseGetArgs(process.argv.slice(2));
if (!parsed.ok) fail(EXIT.usage, `${parsed.error} (see --help)`);
const cmd = parsed.command;
if (cmd.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(EXIT.ok);
}

const opened = Reader.open(cmd.db);
if (!opened.ok) fail(opened.reason === 'missing' ? EXIT.noInput : opened.reason === 'denied' ? EXIT.noPerm : EXIT.ioErr, opened.message);
const reader = opened.reader;
let out: string;
try {
  out = cmd.kind === 'get' ? `${reader.get(cmd.key) ?? 0n}\n` : reader.rows().map((r) => `${r.key} ${r.value}\n`).join('');
} catch (e) {
  reader.close();
  fail(EXIT.ioErr, `cannot read ${cmd.db}: ${(e as Error).message}`);
}
reader.close();
process.stdout.write(out);
