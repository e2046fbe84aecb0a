// postfix-stats-get's command line. Exit codes follow sysexits(3) so snmpd logs and scripts can tell
// a typo from a missing database.
import { isCounterKey } from '../counters/keys.js';

export const EXIT = { ok: 0, usage: 64, noInput: 66, software: 70, ioErr: 74, noPerm: 77 } as const;

export const DEFAULT_DB = '/var/lib/postfix-stats';

export const USAGE = `Usage: postfix-stats-get [--db DIR] KEY      print one counter (0 if never seen)
       postfix-stats-get [--db DIR] --list     print every "key value" pair

KEY is like sent:smtp, recv:submission, smtp:4xx, smtpd:5xx, held, self:lines.
Default DIR: ${DEFAULT_DB}.
Exit codes: 0 ok, 64 bad usage or malformed key, 66 no database, 77 permission denied,
74 database unreadable or corrupt, 70 internal error.
`;

export type Command = { kind: 'get'; db: string; key: string } | { kind: 'list'; db: string } | { kind: 'help' };
export type ParsedGet = { ok: true; command: Command } | { ok: false; error: string };

export function parseGetArgs(argv: readonly string[]): ParsedGet {
  let db = DEFAULT_DB;
  let list = false;
  const keys: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { ok: true, command: { kind: 'help' } };
    else if (a === '--list') list = true;
    else if (a === '--db') {
      const d = argv[++i];
      if (d === undefined || d === '') return { ok: false, error: '--db needs a directory' };
      db = d;
    } else if (a.startsWith('--db=')) db = a.slice(5);
    else if (a.startsWith('-')) return { ok: false, error: `unknown option ${a}` };
    else keys.push(a);
  }
  if (list) return keys.length ? { ok: false, error: '--list takes no key' } : { ok: true, command: { kind: 'list', db } };
  if (keys.length !== 1) return { ok: false, error: keys.length ? 'one key at a time' : 'a key or --list is needed' };
  const key = keys[0]!;
  if (!isCounterKey(key)) return { ok: false, error: `malformed key ${JSON.stringify(key.slice(0, 80))}` };
  return { ok: true, command: { kind: 'get', db, key } };
}
