// A Summary as text in the layout of Debian's pflogsumm 1.1.5 (its section titles, line labels and
// printf columns), then the sections pflogsumm lacks. test/report/text.test.ts holds the order of
// titles and labels to what /usr/sbin/pflogsumm itself prints.
import type { ReportContext } from './context.js';
import { headerLines, leftOutLines } from './notes.js';
import { bySize, groups, topRows } from './rows.js';
import { DEFAULT_LAYOUT, type Layout } from './pflogsumm-options.js';
import { sectionLimit, sectionsInOrder, shownAs, type DetailSection, type Shown } from './sections.js';
import type { Summary, TableRow, Traffic } from './summary.js';
import { expiredTotals, grandTotals, perService, perTransport, type GrandTotals, type Total } from './totals.js';
import { adjInt, hourSpan, intUnits, pflogDate, timeUnits } from './units.js';

/** The label pflogsumm has no row for: what a table's cap or -h/-u left out, summed. */
export const OTHER = '(other)';

const itemOf = (r: TableRow): string => (r.other ? OTHER : r.item);
const n = (t: Total): string => intUnits(t.value, t.bound);

/** pflogsumm's print_subsect_title: a blank line, the title, a dashed line as long. */
function title(out: string[], text: string): void {
  out.push('', text, '-'.repeat(text.length));
}

/** pflogsumm prints `title: none` for an empty section (nothing when hidden); true when rows follow. */
function titleOrNone(out: string[], text: string, show: Shown): boolean {
  if (show === 'none') out.push('', `${text}: none`);
  else if (show === 'rows') title(out, text);
  return show === 'rows';
}

function grand(out: string[], t: GrandTotals): void {
  title(out, 'Grand Totals');
  out.push('messages', '');
  out.push(` ${n(t.received)}  received`);
  out.push(` ${n(t.delivered)}  delivered`);
  out.push(` ${n(t.forwarded)}  forwarded`);
  const dc = adjInt(t.deferrals.value);
  out.push(` ${n(t.deferred)}  deferred` + (dc.value > 0n ? `  (${dc.value}${dc.unit} deferrals)` : ''));
  out.push(` ${n(t.bounced)}  bounced`);
  out.push(` ${n(t.rejected)}  rejected (${t.rejectedPct.bound}${t.rejectedPct.value}%)`);
  out.push(` ${n(t.rejectWarnings)}  reject warnings`);
  out.push(` ${n(t.held)}  held`);
  out.push(` ${n(t.discarded)}  discarded (${t.discardedPct.bound}${t.discardedPct.value}%)`);
  out.push('');
  out.push(` ${n(t.bytesReceived)}  bytes received`);
  out.push(` ${n(t.bytesDelivered)}  bytes delivered`);
  out.push(` ${n(t.senders)}  senders`);
  out.push(` ${n(t.sendingDomains)}  sending hosts/domains`);
  out.push(` ${n(t.recipients)}  recipients`);
  out.push(` ${n(t.recipientDomains)}  recipient hosts/domains`);
}

const TRAFFIC: readonly (keyof Traffic)[] = ['received', 'delivered', 'deferred', 'bounced', 'rejected'];
const TRAFFIC_RULE = '    --------------------------------------------------------------------';

function perDay(out: string[], s: Summary, iso: boolean): void {
  if (s.perDay.length <= 1) return; // pflogsumm: "not generated for single-day reports"
  title(out, 'Per-Day Traffic Summary');
  out.push('    date          received  delivered   deferred    bounced     rejected', TRAFFIC_RULE);
  // --iso-date-time: pflogsumm's `%04d-%02d-%02d ` keeps the column as wide as `Nov 29 2026`
  for (const d of s.perDay) out.push(`    ${iso ? `${d.day} ` : pflogDate(d.day)}` + TRAFFIC.map((k) => `    ${intUnits(d.traffic[k])}`).join(''));
}

function perHour(out: string[], s: Summary, iso: boolean): void {
  const days = Math.max(1, s.perDay.length);
  title(out, `Per-Hour Traffic ${days > 1 ? 'Daily Average' : 'Summary'}`);
  out.push('    time          received  delivered   deferred    bounced     rejected', TRAFFIC_RULE);
  for (let h = 0; h < 24; h++) {
    const t = s.perHour[h];
    // pflogsumm: value / days + 0.5, truncated by %d: the daily average, rounded half up.
    out.push(`    ${hourSpan(h, iso).padEnd(11)}` + TRAFFIC.map((k) => `    ${intUnits(Math.trunc((t?.[k] ?? 0) / days + 0.5))}`).join(''));
  }
}

function topSuffix(limit: number): string {
  return limit > 0 ? `(top ${limit})` : '';
}

function delivery(out: string[], s: Summary, limit: number): void {
  if (limit === 0) return;
  title(out, `Host/Domain Summary: Message Delivery ${topSuffix(limit)}`);
  out.push(' sent cnt  bytes   defers   avg dly max dly host/domain', ' -------- -------  -------  ------- ------- -----------');
  for (const r of topRows(s.tables.recipientDomains, limit)) {
    const avg = r.count > 0 ? r.delaySum / r.count : 0;
    out.push(` ${intUnits(r.count)}  ${intUnits(r.bytes)}  ${intUnits(r.defers)}  ${timeUnits(avg)}  ${timeUnits(r.delayMax)}  ${itemOf(r)}`);
  }
}

function received(out: string[], s: Summary, limit: number): void {
  if (limit === 0) return;
  title(out, `Host/Domain Summary: Messages Received ${topSuffix(limit)}`);
  out.push(' msg cnt   bytes   host/domain', ' -------- -------  -----------');
  for (const r of topRows(s.tables.senderDomains, limit)) out.push(` ${intUnits(r.count)}  ${intUnits(r.bytes)}  ${itemOf(r)}`);
}

function users(out: string[], rows: readonly TableRow[], name: string, limit: number, size: boolean, quiet: boolean): void {
  const text = `${limit > 0 ? `top ${limit} ` : ''}${name}`;
  if (!titleOrNone(out, text, shownAs(limit, rows.length === 0, quiet))) return;
  const cut = topRows(size ? bySize(rows) : rows, limit);
  for (const r of cut) out.push(` ${intUnits(size ? r.bytes : r.count)}  ${itemOf(r)}`);
}

/**
 * pflogsumm's print_nested_hash: `  group (total: N)` then `    %6d%s  item` per row; with a
 * --*-detail `limit` N, `  group (top N) (total: N)` and that group's first N rows.
 */
function nested(out: string[], rows: readonly TableRow[], name: string, limit: number, quiet: boolean): void {
  if (!titleOrNone(out, name, shownAs(limit, rows.length === 0, quiet))) return;
  const g = groups(rows, limit);
  const top = limit > 0 ? ` (top ${limit})` : '';
  for (const grp of g.groups) {
    if (grp.name === '') {
      for (const r of grp.rows) out.push(` ${intUnits(r.count)}  ${r.item}`);
      continue;
    }
    out.push(`  ${grp.name}${top} (total: ${grp.total})`);
    for (const r of grp.rows) out.push(`    ${intUnits(r.count)}  ${r.item}`);
  }
  if (g.other) out.push(`  ${OTHER} (total: ${g.other.count})`);
}

/** pflogsumm's print_hash_by_cnt_vals, for the master daemon's messages: ` %6d%s  text`. */
function flat(out: string[], rows: readonly TableRow[], name: string, quiet: boolean): void {
  if (!titleOrNone(out, name, shownAs(-1, rows.length === 0, quiet))) return;
  for (const r of rows) out.push(` ${intUnits(r.count)}  ${itemOf(r)}`);
}

/** Held and discarded messages are counted, but Summary keeps no table of them. */
function notKept(out: string[], name: string, count: bigint, limit: number, quiet: boolean): void {
  if (titleOrNone(out, name, shownAs(limit, count === 0n, quiet))) out.push(`  not kept by postfix-stats (total: ${count})`);
}

function extras(out: string[], s: Summary, ctx: ReportContext): void {
  const e = expiredTotals(s);
  title(out, 'Expired messages');
  out.push(` ${intUnits(e.expired)}  expired (returned to the sender after maximal_queue_lifetime, or postsuper -e)`);
  out.push(` ${intUnits(e.forced)}  of these, expired by hand (postsuper -e)`);

  const tr = perTransport(s);
  if (titleOrNone(out, 'Recipients per transport', shownAs(-1, tr.length === 0, false))) {
    out.push('     sent   deferred    bounced  transport', ' -------- ---------- ----------  ---------');
    for (const r of tr) out.push(` ${intUnits(r.sent)}    ${intUnits(r.deferred)}    ${intUnits(r.bounced)}  ${r.name}`);
  }
  const sv = perService(s);
  if (titleOrNone(out, 'Messages received per service', shownAs(-1, sv.length === 0, false))) {
    out.push(' received  service', ' --------  -------');
    for (const r of sv) out.push(`  ${intUnits(r.received)}  ${r.name}`);
  }
  title(out, 'Not in these numbers');
  for (const l of leftOutLines(ctx)) out.push(` ${l}`);
}

function detail(out: string[], sections: readonly DetailSection[], s: Summary, t: GrandTotals, ctx: ReportContext, layout: Layout): void {
  for (const d of sections) {
    const limit = sectionLimit(d, layout.detail);
    if (d.kind === 'users') users(out, s.tables[d.table], d.title, ctx.userLimit, d.bySize, layout.quiet);
    else if (d.kind === 'nested') nested(out, s.tables[d.table], d.title, limit, layout.quiet);
    else if (d.kind === 'flat') flat(out, s.tables[d.table], d.title, layout.quiet);
    else notKept(out, d.title, t[d.total].value, limit, layout.quiet);
  }
}

export function renderText(s: Summary, ctx: ReportContext): string {
  const layout = ctx.layout ?? DEFAULT_LAYOUT;
  const order = sectionsInOrder(layout.problemsFirst);
  const out: string[] = headerLines(s, ctx);
  const t = grandTotals(s);
  grand(out, t);
  out.push('');
  detail(out, order.before, s, t, ctx, layout);
  perDay(out, s, layout.isoDates);
  perHour(out, s, layout.isoDates);
  delivery(out, s, ctx.hostLimit);
  received(out, s, ctx.hostLimit);
  detail(out, order.after, s, t, ctx, layout);
  extras(out, s, ctx);
  return out.join('\n') + '\n';
}
