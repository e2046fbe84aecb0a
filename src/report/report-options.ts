// postfix-stats-report's command line, parsed into a typed result; only the entry point prints or exits.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkZone, systemZone } from '../history/clock.js';
import { parsePeriod, type Period, type PeriodSpec } from './period.js';
import { OPTIONAL_VALUE, PFLOGSUMM_ARGS, countArg, pflogsummLayout, type Layout } from './pflogsumm-options.js';
import { getoptArgv } from './getopt-long.js';
export { VERSION } from '../version.js';

export const DEFAULT_DB = '/var/lib/postfix-stats';

export interface ReportOptions {
  /**
   * The daemon's history in a --db directory, or log files read here ('-' is stdin; .gz read as
   * gzip). `implicit`: stdin was taken, a pipe or a file, because neither FILE nor --db was given.
   */
  readonly input: { readonly kind: 'store'; readonly db: string } | { readonly kind: 'log'; readonly files: readonly string[]; readonly implicit?: StdinKind };
  /** null: every line of the log files (only without --day/--from; the store always has a period). */
  readonly period: Period | null;
  readonly tz: string;
  /** -h, -u as pflogsumm: -1 every row, 0 the section left out. */
  readonly hostLimit: number;
  readonly userLimit: number;
  readonly html: boolean;
  readonly filterRelays: readonly string[];
  readonly filterServices: readonly string[];
  /** With log files: senders and recipients by address, not only by domain. */
  readonly addresses: boolean;
  /** pflogsumm's layout flags: detail limits, -q, --problems-first, --iso-date-time. */
  readonly layout: Layout;
  /** --mail-to: print a whole mail message for sendmail -t instead of the bare report. */
  readonly mail: { readonly to: string; readonly from: string | undefined; readonly subject: string | undefined } | undefined;
}

export type ParsedReport = { ok: true; options: ReportOptions } | { ok: false; info: 'help' | 'version' } | { ok: false; info: 'error'; error: string };

export const USAGE = `Usage: postfix-stats-report [--db DIR] [--day DAY | --from TIME [--to TIME]] [options]
       postfix-stats-report [--day DAY | --from TIME [--to TIME]] [options] [FILE...]

pflogsumm's report (Grand Totals, traffic per day and hour, host/domain and user tables, deferral,
bounce and reject detail, warnings) of one day or any period, from postfix-statsd's history in DIR,
or from Postfix log files read here (plain or .gz; - for stdin) instead. With neither FILE nor --db,
a log piped or redirected into standard input is read; otherwise (a terminal, /dev/null) the
history in ${DEFAULT_DB}: scripts should name their input.

  --db DIR               the daemon's database directory (default ${DEFAULT_DB}); not with FILE
  -d, --day DAY          today, yesterday or YYYY-MM-DD: that local day (default with --db: today;
                         with FILE: every line of the files)
  --from TIME            YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time: the first instant counted
  --to TIME              the end: YYYY-MM-DD includes that whole day, YYYY-MM-DDTHH:MM is the first
                         minute left out (default: now)
  --tz ZONE              IANA time zone the days and hours are in (default: the local one, ${'$'}TZ)
  --html                 an HTML document (inline styles, nothing external) instead of text
  --filter-relay X       with FILE: a content-filter hop, deliveries to relay ip:port or transport X
                         are not counted as delivered (repeatable), as postfix-statsd's option
  --filter-service NAME  with FILE: the smtpd service that re-injects filtered mail; its messages are
                         not counted as received (repeatable)
  --addresses            with FILE: senders and recipients by address (default: by domain, as the
                         daemon keeps them unless it runs with --addresses)
  --mail-to ADDR         print a whole mail message to ADDR, for "| /usr/sbin/sendmail -t -i"
  --mail-from ADDR       its From: (default: none, sendmail writes the running user's)
  --subject TEXT         its Subject: (default "Postfix stats for HOST DAY")
  --help                 this text
  --version              the version

pflogsumm's own options, read as pflogsumm reads them so that its cron lines work unchanged (its -d
is --day):

  -h N                   rows of the host/domain tables (default all; 0 leaves them out)
  -u N                   rows of the sender and recipient tables (default all; 0 leaves them out)
  --detail N             every row limit not given on its own: -h, -u and the five below
  --deferral-detail N    rows per group of the message deferral detail (0 leaves it out)
  --bounce-detail N      rows per group of the message bounce detail (0 leaves it out)
  --reject-detail N      rows per group of the reject, reject warning, hold and discard detail
  --smtp-detail N        rows per group of the smtp delivery failures (0 leaves them out)
  --smtpd-warning-detail=N
                         rows per group of the Warnings (0 leaves them out)
  -q                     leave empty sections out instead of printing "title: none"
  --problems-first       deferral, bounce, reject and warning detail before the traffic tables
  --iso-date-time        dates as 2026-11-29 and hours as 00:00-01:00

Taken as they are, since the report already does what they ask: -i and --ignore-case (addresses
are kept in lower case), --zero-fill (zeros are printed), --no-no-msg-size (there is no such
section) and --syslog-name=postfix. Refused (exit 64), since the daemon keeps no data for them: -e,
--verbose-msg-detail, --mailq, --smtpd-stats, -m, --verp-mung, --rej-add-from, another
--syslog-name. Every option is read as pflogsumm's Getopt::Long reads it: after one dash or two,
abbreviated to any unique prefix, in any case, with _ for - and =VALUE (-detail=5, --iso, -p,
-D=yesterday); --no-*-detail work too.

Exit codes: 0 ok, 64 bad usage, 65 no line of the input in a form this reads (no syslog line it
knows), 66 no input (no history in DIR, a FILE missing, nothing piped in), 74 damaged or unreadable
input, 70 internal error. Nothing is printed on stdout unless the whole report is.
`;

const OPTIONS = {
  db: { type: 'string' },
  day: { type: 'string', short: 'd' },
  from: { type: 'string' },
  to: { type: 'string' },
  tz: { type: 'string' },
  hosts: { type: 'string', short: 'h' },
  users: { type: 'string', short: 'u' },
  html: { type: 'boolean', default: false },
  'filter-relay': { type: 'string', multiple: true, default: [] },
  'filter-service': { type: 'string', multiple: true, default: [] },
  addresses: { type: 'boolean', default: false },
  'mail-to': { type: 'string' },
  'mail-from': { type: 'string' },
  subject: { type: 'string' },
  help: { type: 'boolean', default: false },
  version: { type: 'boolean', default: false },
  ...PFLOGSUMM_ARGS,
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * What standard input is when it may be the log: a pipe (`cat mail.log |`; a FIFO, or the socket a
 * program such as Node gives its child), or a file (`< mail.log`). A terminal or /dev/null (a
 * unit's) is not: the history is read then. A pipe that brings nothing for a second gets a line on
 * stderr from the main, since a script's own stdin may never close.
 */
export type StdinKind = 'pipe' | 'file';

/** `env.stdin`: what standard input is, when it is a StdinKind; without FILE or --db it is then the log. */
export function parseReportArgs(argv: readonly string[], env: { readonly now: number; readonly tz?: string; readonly stdin?: StdinKind }): ParsedReport {
  const getopt = getoptArgv(argv, OPTIONS, OPTIONAL_VALUE);
  if (!getopt.ok) return { ok: false, info: 'error', error: getopt.error };
  let v;
  let files: string[];
  try {
    const r = parseArgs({
      args: getopt.args,
      strict: true,
      allowPositionals: true,
      options: OPTIONS,
    });
    v = r.values;
    files = r.positionals;
  } catch (e) {
    return { ok: false, info: 'error', error: (e as Error).message };
  }
  if (v.help) return { ok: false, info: 'help' };
  if (v.version) return { ok: false, info: 'version' };
  const error = (text: string): ParsedReport => ({ ok: false, info: 'error', error: text });

  if (v.db !== undefined && files.length > 0) return error('--db and log files are two inputs: give one');
  if (v.db === '') return error('--db needs a directory');
  if (files.some((f) => f === '')) return error('an empty file name');
  if (files.filter((f) => f === '-').length > 1) return error('stdin (-) can be read once');
  const input: ReportOptions['input'] = files.length > 0
    ? { kind: 'log', files }
    : v.db === undefined && env.stdin !== undefined
      ? { kind: 'log', files: ['-'], implicit: env.stdin }
      : { kind: 'store', db: v.db ?? DEFAULT_DB };
  if (input.kind === 'store' && (v['filter-relay'].length > 0 || v['filter-service'].length > 0 || v.addresses)) {
    return error("--filter-relay, --filter-service and --addresses apply to log files; the daemon's history was counted with its own");
  }

  const tz = checkZone(v.tz ?? env.tz ?? systemZone());
  if (tz === null) return error(`--tz needs an IANA time zone name (Europe/Berlin, UTC), not ${JSON.stringify((v.tz ?? '').slice(0, 60))}`);

  if (v.day !== undefined && (v.from !== undefined || v.to !== undefined)) return error('--day or --from/--to, not both');
  if (v.to !== undefined && v.from === undefined) return error('--to needs --from');
  let spec: PeriodSpec | null = null;
  if (v.day !== undefined) spec = { day: v.day };
  else if (v.from !== undefined) spec = v.to === undefined ? { from: v.from } : { from: v.from, to: v.to };
  else if (input.kind === 'store') spec = { day: 'today' };
  let period: Period | null = null;
  if (spec !== null) {
    const p = parsePeriod(spec, tz, env.now);
    if (!p.ok) return error(p.error);
    period = p.period;
  }

  const pf = pflogsummLayout(v);
  if (!pf.ok) return error(pf.error);
  const hostLimit = countArg('-h', v.hosts);
  if (typeof hostLimit === 'string') return error(hostLimit);
  const userLimit = countArg('-u', v.users);
  if (typeof userLimit === 'string') return error(userLimit);

  let mail: ReportOptions['mail'];
  const mailOnly = (['mail-from', 'subject'] as const).find((k) => v[k] !== undefined);
  if (v['mail-to'] === undefined) {
    if (mailOnly !== undefined) return error(`--${mailOnly} needs --mail-to`);
  } else {
    for (const k of ['mail-to', 'mail-from', 'subject'] as const) {
      const val = v[k];
      if (val !== undefined && /[\r\n\0]/.test(val)) return error(`--${k} must not contain CR, LF or NUL`);
    }
    if (v['mail-to'].trim() === '') return error('--mail-to needs an address');
    mail = { to: v['mail-to'], from: v['mail-from'], subject: v.subject };
  }

  return {
    ok: true,
    options: {
      input, period, tz, html: v.html, layout: pf.layout,
      // pflogsumm: --detail also sets -h and -u where they were not given
      hostLimit: hostLimit === -1 ? pf.detail : hostLimit,
      userLimit: userLimit === -1 ? pf.detail : userLimit,
      filterRelays: v['filter-relay'], filterServices: v['filter-service'], addresses: v.addresses, mail,
    },
  };
}
