// postfix-statsd's command line, parsed into a typed result; only the entry point prints or exits.
import { parseArgs } from 'node:util';
import type { ClassifyOptions } from '../classify/classify.js';
import { DEFAULT_MAX_ROWS } from '../history/apply.js';
import type { PipelineOptions } from '../pipeline/pipeline.js';
import { checkZone, systemZone } from '../history/clock.js';
import type { SourceChoice } from '../source/choose.js';
import { parseAgentxAddress, type AgentxAddress } from '../serve/snmp/agentx-address.js';
import { parseOid, type Oid } from '../serve/snmp/oid.js';
import { parseHttpAddress, type HttpAddress } from '../serve/http/address.js';
import { DEFAULT_BASE } from '../serve/snmp/table.js';
import { parseFilterService } from './filter-service.js';
export { VERSION } from '../version.js';


export interface DaemonOptions extends PipelineOptions {
  readonly source: SourceChoice;
  /** --per-host: count per syslog host too, at most this many hosts; undefined: totals only. */
  readonly perHost: { readonly maxHosts: number } | undefined;
  readonly maxLine: number;
  readonly rotateWaitMs: number;
  readonly classify: ClassifyOptions;
  readonly once: boolean;
  readonly pollMs: number;
  readonly logLevel: string;
  /** Serve the counter table to snmpd over AgentX; off unless --agentx is given. */
  readonly agentx: { readonly address: AgentxAddress; readonly base: Oid } | undefined;
  /** Serve /metrics (Prometheus) and /api/* over HTTP; off unless --http is given. */
  readonly http: HttpAddress | undefined;
}

export type Parsed = { ok: true; options: DaemonOptions } | { ok: false; info: 'help' | 'version' } | { ok: false; info: 'error'; error: string };

export const USAGE = `Usage: postfix-statsd --log FILE [--db DIR] [options]
       postfix-statsd --journal | --journal-dir DIR... | --journal-file FILE... [--db DIR] [options]

Follows a Postfix mail log and keeps counters in an LMDB environment in DIR, which only this
daemon opens; after every commit it publishes them to DIR/snapshot for postfix-stats-get.

  --log FILE             mail log to follow (e.g. /var/log/mail.log, /var/log/maillog);
                         repeatable: one file per host of a central syslog server
  --journal              read Postfix's entries from the systemd journal instead (Debian 12+
                         and Fedora without rsyslog)
  --journal-dir DIR      ... from the journal files in DIR (repeatable; copied journals)
  --journal-file FILE    ... from these journal files (repeatable; copies: a live journal's
                         file is renamed when journald rotates it, so follow that with
                         --journal or --journal-dir)
  --db DIR               LMDB environment directory (default /var/lib/postfix-stats)
  --once                 read from the committed position (or the start) to the end, commit, exit 0
  --per-host             count per syslog host too (sent:smtp@mx1 beside the total sent:smtp),
                         with queue ids and sessions kept apart per host: for a central syslog
                         file or several --log files of many mail hosts. Postmulti instances are
                         always counted on their own too: postfix-out/sent:smtp beside the total
  --max-hosts N          cap on hosts counted on their own (default 100); more count in the
                         totals and in self:dropped_hosts
  --filter-relay X       content-filter hop: deliveries to relay ip:port or transport X are not
                         counted as sent (repeatable; e.g. 127.0.0.1:10024)
  --filter-service NAME  smtpd service that re-injects filtered mail; its messages are not
                         counted as received (repeatable). NAME as in recv:NAME: the syslog_name
                         suffix (postfix/NAME/smtpd), smtp for a plain postfix/smtpd; INSTANCE/NAME
                         for a postmulti instance's (postfix-out/smtp: postfix-out/smtpd), e.g.
                         the instance the default one relays to (with --filter-relay for that hop)
  --max-keys N           cap on distinct counter keys, self: keys excepted (default 1000)
  --max-queue N          queue ids remembered to count each message once (default 100000)
  --max-line BYTES       longer lines are skipped and counted in self:bad_lines (default 65536)
  --commit-interval MS   commit at least this often while lines arrive (default 100)
  --commit-lines N       commit after this many lines (default 200000)
  --poll-interval MS     re-check the log at least this often when idle (default 200)
  --rotate-wait MS       after a rotation, read the old file until it has been quiet this
                         long, for syslog daemons that write to it until reopened (default 1000;
                         0 with --once)
  --map-size MIB         initial LMDB map size; lmdb-js grows it on demand (default 256)
  --tz ZONE              the zone of the history's days, as postfix-stats-report reads them
                         (an IANA name such as Europe/Berlin; default the system's zone)
  --max-report-rows N    rows each per-day report table keeps (domains, senders, reasons...);
                         the rest is summed into one "other" row (default 1000)
  --addresses            keep whole sender and recipient addresses in the report tables, not
                         only their domains (a privacy choice: off by default)
  --log-level LEVEL      pino level: debug, info, warn, error (default info)
  --agentx tcp:HOST:PORT also serve the counter table as an AgentX subagent of snmpd
                         (agentXSocket tcp:127.0.0.1:705 in snmpd.conf); off by default;
                         reconnects whenever snmpd restarts
  --agentx-base-oid OID  where the table is registered (default ${DEFAULT_BASE},
                         POSTFIX-STATS-MIB::pfsCounterTable; 99999 is a placeholder enterprise)
  --http HOST:PORT       also serve /metrics (Prometheus, OpenMetrics), /api/counters and
                         /api/history over HTTP from memory, e.g. 127.0.0.1:9156 (port 0: any
                         free port, logged); unix:/PATH for a Unix socket; off by default.
                         Not with --once
  -h, --help             this text
  --version              the version

Exit codes: 0 done (SIGTERM or --once; SIGHUP stops nothing), 64 bad usage, 66 --log is not a
regular file (or is missing or unreadable, with --once), 69 --http cannot listen, 70 internal error, 74 database error (cannot be opened, damaged, or the
last commit of --once failed), 75 another postfix-statsd is using DIR.
`;

const DEFAULTS = {
  db: '/var/lib/postfix-stats',
  maxKeys: 1000,
  maxHosts: 100,
  maxQueue: 100_000,
  maxLine: 65_536,
  commitMs: 100,
  commitLines: 200_000,
  pollMs: 200,
  rotateWaitMs: 1000,
  mapSizeMiB: 256,
  maxRows: DEFAULT_MAX_ROWS,
};

export function parseDaemonArgs(argv: string[]): Parsed {
  let v;
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      options: {
        log: { type: 'string', multiple: true, default: [] },
        'per-host': { type: 'boolean', default: false },
        'max-hosts': { type: 'string' },
        journal: { type: 'boolean', default: false },
        'journal-dir': { type: 'string', multiple: true, default: [] },
        'journal-file': { type: 'string', multiple: true, default: [] },
        db: { type: 'string', default: DEFAULTS.db },
        once: { type: 'boolean', default: false },
        'filter-relay': { type: 'string', multiple: true, default: [] },
        'filter-service': { type: 'string', multiple: true, default: [] },
        'max-keys': { type: 'string' },
        'max-queue': { type: 'string' },
        'max-line': { type: 'string' },
        'commit-interval': { type: 'string' },
        'commit-lines': { type: 'string' },
        'poll-interval': { type: 'string' },
        'rotate-wait': { type: 'string' },
        'map-size': { type: 'string' },
        tz: { type: 'string' },
        'max-report-rows': { type: 'string' },
        addresses: { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'info' },
        agentx: { type: 'string' },
        'agentx-base-oid': { type: 'string', default: DEFAULT_BASE },
        http: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    return { ok: false, info: 'error', error: (e as Error).message };
  }
  if (v.help) return { ok: false, info: 'help' };
  if (v.version) return { ok: false, info: 'version' };
  const chosen = [v.log.length > 0, v.journal, v['journal-dir'].length > 0, v['journal-file'].length > 0].filter(Boolean).length;
  if (chosen === 0) return { ok: false, info: 'error', error: '--log FILE (or --journal, --journal-dir, --journal-file) is required' };
  if (chosen > 1) return { ok: false, info: 'error', error: 'one source at a time: --log, --journal, --journal-dir or --journal-file' };
  const source: SourceChoice =
    v.log.length > 0 ? { kind: 'file', logs: v.log }
    : v.journal ? { kind: 'journal', scope: { mode: 'system' } }
    : v['journal-dir'].length > 0 ? { kind: 'journal', scope: { dirs: v['journal-dir'] } }
    : { kind: 'journal', scope: { files: v['journal-file'] } };

  const nums: Record<string, number> = {};
  for (const [flag, def] of [
    ['max-keys', DEFAULTS.maxKeys],
    ['max-hosts', DEFAULTS.maxHosts],
    ['max-queue', DEFAULTS.maxQueue],
    ['max-line', DEFAULTS.maxLine],
    ['commit-interval', DEFAULTS.commitMs],
    ['commit-lines', DEFAULTS.commitLines],
    ['poll-interval', DEFAULTS.pollMs],
    ['rotate-wait', DEFAULTS.rotateWaitMs],
    ['map-size', DEFAULTS.mapSizeMiB],
    ['max-report-rows', DEFAULTS.maxRows],
  ] as const) {
    const raw = v[flag];
    const n = raw === undefined ? def : Number(raw);
    if (!Number.isSafeInteger(n) || n < (flag === 'rotate-wait' ? 0 : 1)) return { ok: false, info: 'error', error: `--${flag} needs a positive integer, not ${raw}` };
    nums[flag] = n;
  }
  // spelled as the report spells it, which must ask for the zone the days were kept in
  const tz = checkZone(v.tz ?? systemZone());
  if (tz === null) return { ok: false, info: 'error', error: `--tz needs a time zone name such as Europe/Berlin, not ${v.tz ?? systemZone()}` };
  const filterServices = new Set<string>();
  for (const f of v['filter-service']) {
    const named = parseFilterService(f);
    if (named === null) return { ok: false, info: 'error', error: `--filter-service needs NAME or INSTANCE/NAME (postfix-out/smtp), not ${JSON.stringify(f.slice(0, 80))}` };
    filterServices.add(named);
  }
  let agentx: DaemonOptions['agentx'];
  if (v.agentx !== undefined) {
    const address = parseAgentxAddress(v.agentx);
    if (!address.ok) return { ok: false, info: 'error', error: address.error };
    const base = parseOid(v['agentx-base-oid']);
    if (base === null) return { ok: false, info: 'error', error: `--agentx-base-oid needs an OID, not ${v['agentx-base-oid']}` };
    agentx = { address: address.address, base };
  }
  let http: HttpAddress | undefined;
  if (v.http !== undefined) {
    const parsedHttp = parseHttpAddress(v.http);
    if (!parsedHttp.ok) return { ok: false, info: 'error', error: parsedHttp.error };
    http = parsedHttp.address;
  }
  return {
    ok: true,
    options: {
      agentx,
      http,
      source,
      perHost: v['per-host'] ? { maxHosts: nums['max-hosts']! } : undefined,
      db: v.db,
      once: v.once,
      logLevel: v['log-level'],
      maxKeys: nums['max-keys']!,
      maxQueue: nums['max-queue']!,
      maxLine: nums['max-line']!,
      commitMs: nums['commit-interval']!,
      commitLines: nums['commit-lines']!,
      pollMs: nums['poll-interval']!,
      rotateWaitMs: v.once ? 0 : nums['rotate-wait']!,
      mapSize: nums['map-size']! * 1024 * 1024,
      tz,
      maxRows: nums['max-report-rows']!,
      classify: { filterRelays: new Set(v['filter-relay']), filterServices, addresses: v.addresses },
    },
  };
}
