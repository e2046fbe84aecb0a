// Every one-shot mode of postfix-stats-get (a key, --list, pass -g/-n/-s, --mrtg) as a function from
// a parsed command to what to print and the exit code, so the entry point only writes and exits.
import type { Command } from './get-args.js';
import { EXIT } from '../../config/exit-codes.js';
import { formatMrtg } from './mrtg.js';
import { NOT_WRITABLE, formatCell } from './pass-format.js';
import { valueOf } from '../../snapshot/read.js';
import { withSnapshot } from './store-access.js';
import { getCell, nextCell, servable } from './table.js';

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Host {
  readonly uptimeSeconds: number;
  readonly hostname: string;
}

type OneShot = Exclude<Command, { kind: 'help' } | { kind: 'version' } | { kind: 'pass-persist' }>;

export function runCommand(cmd: OneShot, host: Host): Outcome {
  // A set needs no database: the answer is always the same refusal.
  if (cmd.kind === 'pass' && cmd.op === 'set') return { code: EXIT.ok, stdout: NOT_WRITABLE, stderr: '' };
  const r = withSnapshot(cmd.db, cmd.view, (snap): string => {
    switch (cmd.kind) {
      case 'get':
        return `${valueOf(snap, cmd.key) ?? 0n}\n`;
      case 'list':
        return snap.rows.map((row) => `${row.key} ${row.value}\n`).join('');
      case 'mrtg':
        return formatMrtg(valueOf(snap, cmd.inKey) ?? 0n, valueOf(snap, cmd.outKey) ?? 0n, host.uptimeSeconds, `postfix on ${host.hostname}`);
      case 'pass': {
        const rows = servable(snap.rows, cmd.view);
        // pass answers nothing at all for "no such OID"; snmpd then reports noSuchInstance / moves on.
        const c = cmd.op === 'get' ? getCell(cmd.base, rows, cmd.oid) : nextCell(cmd.base, rows, cmd.oid);
        return c === null ? '' : formatCell(c);
      }
    }
  });
  if (!r.ok) return { code: r.code, stdout: '', stderr: `postfix-stats-get: ${r.message}\n` };
  return { code: EXIT.ok, stdout: r.value, stderr: '' };
}
