// postfix-stats-get's command line. Exit codes follow sysexits(3) so snmpd logs and scripts can tell
// a typo from a missing database.
import { normaliseHost, normaliseInstance } from '../../counters/key.js';
import type { View } from '../../snapshot/view.js';
import { isCounterKey } from '../../counters/keys.js';
import { parseOid, type Oid } from './oid.js';
import { DEFAULT_BASE } from './table.js';


export const DEFAULT_DB = '/var/lib/postfix-stats';

export const USAGE = `Usage: postfix-stats-get [--db DIR] [VIEW] KEY      print one counter (0 if never seen)
       postfix-stats-get [--db DIR] [VIEW] --list     print every "key value" pair
       postfix-stats-get [--db DIR] [VIEW] [--base-oid OID] -g OID | -n OID | -s OID TYPE VALUE
                                        snmpd "pass": get, getnext, set (not writable)
       postfix-stats-get [--db DIR] [VIEW] [--base-oid OID] --pass-persist
                                        snmpd "pass_persist": PING/get/getnext/set on stdin
       postfix-stats-get [--db DIR] [VIEW] --mrtg IN_KEY OUT_KEY
                                        MRTG external script: in, out, uptime, name
       VIEW: [--host HOST] [--instance NAME]

       postfix-stats-get -h | --help | --version

KEY is like sent:smtp, recv:submission, smtp:4xx, smtpd:5xx, held, self:lines; a daemon run with
--per-host also keeps each host's own, KEY@HOST (sent:smtp@mx1), and each Postfix instance
(postmulti) other than the default has its own, INSTANCE/KEY (postfix-out/sent:smtp,
postfix-out/sent:smtp@mx1); the plain keys are the totals. --host HOST and --instance NAME
(postfix-out), alone or together, give those counters under their plain keys: KEY, --list,
--mrtg and the SNMP table alike.
Reads DIR/snapshot, which postfix-statsd --db DIR publishes after every commit (default DIR:
${DEFAULT_DB}); it needs read access to that one file only.
The table (POSTFIX-STATS-MIB::pfsCounterTable) is at --base-oid, default ${DEFAULT_BASE}
(enterprise 99999 is a placeholder until registered); register the same OID in snmpd.conf.
Exit codes: 0 ok, 64 bad usage or malformed key, 66 no snapshot (is the daemon running with
that --db?), 77 permission denied, 74 snapshot unreadable or damaged, 70 internal error.
`;

/** `view`: the --host and --instance given, {} for none (view.ts). */
export type Command =
  | { kind: 'get'; db: string; view: View; key: string }
  | { kind: 'list'; db: string; view: View }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'pass'; db: string; view: View; base: Oid; op: 'get' | 'getnext' | 'set'; oid: Oid }
  | { kind: 'pass-persist'; db: string; view: View; base: Oid }
  | { kind: 'mrtg'; db: string; view: View; inKey: string; outKey: string };
export type ParsedGet = { ok: true; command: Command } | { ok: false; error: string };

const PASS_OPS = { '-g': 'get', '-n': 'getnext', '-s': 'set' } as const;

export function parseGetArgs(argv: readonly string[]): ParsedGet {
  let db = DEFAULT_DB;
  let host: string | undefined;
  let instance: string | undefined;
  let baseText = DEFAULT_BASE;
  let list = false;
  let persist = false;
  let pass: { op: 'get' | 'getnext' | 'set'; oid: string } | undefined;
  let mrtg: [string, string] | undefined;
  const keys: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { ok: true, command: { kind: 'help' } };
    else if (a === '--version') return { ok: true, command: { kind: 'version' } };
    else if (a === '--list') list = true;
    else if (a === '--pass-persist') persist = true;
    else if (a === '--db') {
      const d = argv[++i];
      if (d === undefined || d === '') return { ok: false, error: '--db needs a directory' };
      db = d;
    } else if (a.startsWith('--db=')) db = a.slice(5);
    else if (a === '--host') {
      const h = argv[++i];
      const n = h === undefined ? null : normaliseHost(h);
      if (n === null) return { ok: false, error: `--host needs a host name as the daemon counts it, not ${JSON.stringify((h ?? '').slice(0, 80))}` };
      host = n;
    } else if (a === '--instance') {
      const raw = argv[++i];
      const n = raw === undefined ? null : normaliseInstance(raw);
      if (n === null) return { ok: false, error: `--instance needs a postmulti instance's syslog name other than postfix (postfix-out), not ${JSON.stringify((raw ?? '').slice(0, 80))}` };
      instance = n;
    }
    else if (a === '--base-oid' || a.startsWith('--base-oid=')) {
      const b = a === '--base-oid' ? argv[++i] : a.slice('--base-oid='.length);
      if (b === undefined || b === '') return { ok: false, error: '--base-oid needs an OID' };
      baseText = b;
    } else if (a === '-g' || a === '-n' || a === '-s') {
      const oid = argv[++i];
      if (oid === undefined) return { ok: false, error: `${a} needs an OID` };
      if (pass) return { ok: false, error: 'one of -g, -n, -s at a time' };
      pass = { op: PASS_OPS[a], oid };
      // snmpd's set passes TYPE and VALUE after the OID; they are read and refused (read-only table).
      if (a === '-s') i += 2;
    } else if (a === '--mrtg') {
      const inKey = argv[++i];
      const outKey = argv[++i];
      if (inKey === undefined || outKey === undefined) return { ok: false, error: '--mrtg needs IN_KEY and OUT_KEY' };
      mrtg = [inKey, outKey];
    } else if (a.startsWith('-')) return { ok: false, error: `unknown option ${a}` };
    else keys.push(a);
  }
  const modes = [list, persist, pass !== undefined, mrtg !== undefined].filter(Boolean).length;
  if (modes > 1) return { ok: false, error: 'choose one of --list, -g/-n/-s, --pass-persist, --mrtg' };
  if (modes === 1 && keys.length) return { ok: false, error: list ? '--list takes no key' : `unexpected argument ${JSON.stringify(keys[0]!.slice(0, 80))}` };

  const base = parseOid(baseText);
  if (base === null) return { ok: false, error: `malformed --base-oid ${JSON.stringify(baseText.slice(0, 80))}` };
  const view: View = { ...(host === undefined ? {} : { host }), ...(instance === undefined ? {} : { instance }) };
  const at = { view };
  if (list) return { ok: true, command: { kind: 'list', db, ...at } };
  if (persist) return { ok: true, command: { kind: 'pass-persist', db, ...at, base } };
  if (pass) {
    const oid = parseOid(pass.oid);
    if (oid === null) return { ok: false, error: `malformed OID ${JSON.stringify(pass.oid.slice(0, 80))}` };
    return { ok: true, command: { kind: 'pass', db, ...at, base, op: pass.op, oid } };
  }
  if (mrtg) {
    const bad = mrtg.find((k) => !isCounterKey(k));
    if (bad !== undefined) return { ok: false, error: `malformed key ${JSON.stringify(bad.slice(0, 80))}` };
    return { ok: true, command: { kind: 'mrtg', db, ...at, inKey: mrtg[0], outKey: mrtg[1] } };
  }
  if (keys.length !== 1) return { ok: false, error: keys.length ? 'one key at a time' : 'a key or --list is needed' };
  const key = keys[0]!;
  if (!isCounterKey(key)) return { ok: false, error: `malformed key ${JSON.stringify(key.slice(0, 80))}` };
  if (host !== undefined && key.includes('@')) return { ok: false, error: 'a key with @HOST and --host at once' };
  if (instance !== undefined && key.includes('/')) return { ok: false, error: 'a key with INSTANCE/ and --instance at once' };
  return { ok: true, command: { kind: 'get', db, ...at, key } };
}
