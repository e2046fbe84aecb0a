// postfix-stats-report: wiring and exit codes only (a function: see daemon/postfix-statsd.ts).
import { fstatSync } from 'node:fs';
import { hostname } from 'node:os';
import { renderHtml } from '../src/report/html.js';
import { EXIT } from '../src/config/exit-codes.js';
import { USAGE, VERSION, parseReportArgs, type StdinKind } from '../src/report/report-options.js';
import { renderText } from '../src/report/text.js';
import { ReportInputError } from '../src/report/input-error.js';

function fail(code: number, message: string): never {
  process.stderr.write(`postfix-stats-report: ${message}\n`);
  process.exit(code);
}

/** Standard input when it may be the log (report-options' StdinKind). */
function stdinKind(): StdinKind | undefined {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket() ? 'pipe' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined; // closed
  }
}

/** Said once on a terminal's stderr when a log taken from stdin has not begun to come within this long. */
const STDIN_NOTICE_MS = 1000;

export async function postfixStatsReport(argv: readonly string[]): Promise<void> {
  const parsed = parseReportArgs(argv, { now: Date.now(), tz: process.env.TZ || undefined, stdin: stdinKind() });
  if (!parsed.ok) {
    if (parsed.info === 'error') fail(EXIT.usage, `${parsed.error} (see --help)`);
    process.stdout.write(parsed.info === 'help' ? USAGE : `postfix-stats-report ${VERSION}\n`);
    process.exit(EXIT.ok);
  }
  const o = parsed.options;

  let out: string;
  try {
    const implicit = o.input.kind === 'log' ? o.input.implicit : undefined;
    // a pipe that never brings anything (the stdin of the shell typed in) must not look like a hang;
    // said to a terminal only: cron mails whatever a job writes to stderr, and a slow journalctl is no error
    const notice = implicit === undefined || process.stderr.isTTY !== true ? undefined : setTimeout(() => process.stderr.write("postfix-stats-report: reading a log from standard input (no FILE or --db given); for the daemon's history give --db DIR\n"), STDIN_NOTICE_MS);
    notice?.unref();
    // an empty pipe is no input (cron's stdin); an empty file is an empty log
    const filters = { filterRelays: new Set(o.filterRelays), filterServices: new Set(o.filterServices), addresses: o.addresses, implicit: implicit === 'pipe', onInput: () => clearTimeout(notice) };
    // report-options always gives --db a period (today by default); only log files may go without one.
    // Each input loads only its own modules: log files need the classifier, whose loading (its
    // patterns compiled) a report from the store would pay for nothing (some 50 ms of a run of a few
    // hundred); the store's day files and --mail's Message-ID need node:crypto (13 ms), log files not.
    const summary = o.input.kind === 'store'
      ? (await import('../src/report/from-store.js')).summaryFromStore(o.input.db, o.period!)
      : await (await import('../src/report/from-logs.js')).summaryFromLogs(o.input.files, o.period, filters, o.tz);
    clearTimeout(notice);
    const ctx = { label: o.period?.label ?? null, source: o.input, hostLimit: o.hostLimit, userLimit: o.userLimit, layout: o.layout, filterRelays: o.filterRelays, filterServices: o.filterServices };
    out = o.html ? renderHtml(summary, ctx) : renderText(summary, ctx);
    if (o.mail) {
      const { buildMail, defaultSubject } = await import('../src/report/mail.js');
      const host = hostname();
      const m = buildMail(out, { ...o.mail, subject: o.mail.subject ?? defaultSubject(host, ctx.label ?? 'all of the input'), date: new Date(), host, html: o.html });
      if (!m.ok) fail(EXIT.usage, m.error);
      out = m.message;
    }
  } catch (e) {
    // from-store and from-logs throw ReportInputError with its exit code (64, 65, 66, 74, 77).
    if (e instanceof ReportInputError) fail(e.code, e.message);
    fail(EXIT.software, `internal error: ${(e as Error).stack ?? String(e)}`);
  }
  process.stdout.write(out);
}
