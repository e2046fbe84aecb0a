// The report's own lines that pflogsumm has no place for: its header (period, zone, input) and what
// the numbers leave out. Text and HTML print the same sentences.
import type { ReportContext } from './context.js';
import { wallString } from './period.js';
import type { Summary } from './summary.js';

export function headerLines(s: Summary, ctx: ReportContext): string[] {
  const title = `Postfix log summaries for ${ctx.label ?? 'all of the input'}`;
  // a log without one Postfix line, read without a period: no day to name (not 1970)
  const span = s.from === 0 && s.to === 0 ? `none: no Postfix line in the input (${s.tz})` : `${wallString(s.from, s.tz)} to ${wallString(s.to, s.tz)} (${s.tz})`;
  const newest = s.asOf > 0 ? wallString(s.asOf, s.tz) : 'none';
  const input = ctx.source.kind === 'store'
    ? `postfix-statsd's history in ${ctx.source.db}, as of ${newest}`
    : `log files ${ctx.source.files.map((f) => (f === '-' ? '(stdin)' : f)).join(', ')}; newest event ${newest}`;
  const lines = [title, `period: ${span}`, `input: ${input}`];
  // tables are kept per day: say which of them hold more than the period, and how that is marked
  if (s.cut.length > 0) lines.push(`tables: whole days ${s.cut.join(', ')}, which the period cuts; totals from them are bounds (<= at most, >= at least)`);
  return lines;
}

export function leftOutLines(ctx: ReportContext): string[] {
  const filters = [...ctx.filterRelays.map((r) => `--filter-relay ${r}`), ...ctx.filterServices.map((s) => `--filter-service ${s}`)];
  const lines = [
    ctx.source.kind === 'store'
      ? // the history does not say which options the daemon ran with: never claim it left hops out
        'content-filter hops: as postfix-statsd counted them: left out if it runs with --filter-relay and --filter-service, else a filtered message counts twice'
      : filters.length > 0
        ? `content-filter hops: left out: ${filters.join(', ')}`
        : 'content-filter hops: none given (--filter-relay, --filter-service): a filtered message counts twice',
  ];
  lines.push('message hold detail, message discard detail: not kept; see held and discarded');
  return lines;
}
