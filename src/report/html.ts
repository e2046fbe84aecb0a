// The text report's content as one self-contained HTML document for mail clients: the same sections
// in the same order, as tables. Only inline styles (many clients drop <style>), no script, no image,
// no link to anything outside. Every piece of log text is hostile and escaped.
import type { ReportContext } from './context.js';
import { headerLines, leftOutLines } from './notes.js';
import { bySize, groups, topRows } from './rows.js';
import { DEFAULT_LAYOUT, type Layout } from './pflogsumm-options.js';
import { sectionLimit, sectionsInOrder, shownAs, type DetailSection } from './sections.js';
import type { Summary, TableRow, Traffic } from './summary.js';
import { OTHER } from './text.js';
import { expiredTotals, grandTotals, perService, perTransport, type GrandTotals, type Total } from './totals.js';
import { hourSpan, intUnitsBare, pflogDate, timeUnits } from './units.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

const S = {
  body: 'margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:14px;',
  h1: 'font-size:20px;margin:0 0 8px 0;',
  h2: 'font-size:16px;margin:20px 0 6px 0;border-bottom:1px solid #cccccc;',
  p: 'margin:2px 0;color:#444444;',
  table: 'border-collapse:collapse;font-size:13px;',
  th: 'text-align:left;padding:2px 8px;border-bottom:1px solid #999999;background:#f2f2f2;',
  thNum: 'text-align:right;padding:2px 8px;border-bottom:1px solid #999999;background:#f2f2f2;',
  td: 'text-align:left;padding:2px 8px;border-bottom:1px solid #eeeeee;font-family:Consolas,Menlo,monospace;',
  tdNum: 'text-align:right;padding:2px 8px;border-bottom:1px solid #eeeeee;white-space:nowrap;',
  group: 'text-align:left;padding:6px 8px 2px 8px;font-weight:bold;',
  other: 'text-align:left;padding:2px 8px;border-bottom:1px solid #eeeeee;font-style:italic;color:#666666;',
  none: 'margin:2px 0;color:#666666;font-style:italic;',
};

/** A cell: numbers right-aligned, text left; `other` rows in italics. */
type Cell = { num: string } | { text: string; other?: boolean };

function table(head: readonly { label: string; num: boolean }[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => `<th style="${h.num ? S.thNum : S.th}">${escapeHtml(h.label)}</th>`).join('');
  const tr = rows.map((r) => '<tr>' + r.map((c) =>
    'num' in c ? `<td style="${S.tdNum}">${escapeHtml(c.num)}</td>` : `<td style="${c.other ? S.other : S.td}">${escapeHtml(c.text)}</td>`,
  ).join('') + '</tr>');
  return [`<table role="presentation" cellspacing="0" cellpadding="0" style="${S.table}">`, `<tr>${th}</tr>`, ...tr, '</table>'].join('\n');
}

const h2 = (t: string): string => `<h2 style="${S.h2}">${escapeHtml(t)}</h2>`;
const none = (t: string): string => `${h2(t)}\n<p style="${S.none}">none</p>`;
const num = (v: bigint | number, bound: Total['bound'] = ''): Cell => ({ num: intUnitsBare(v, bound) });
const item = (r: TableRow): Cell => (r.other ? { text: OTHER, other: true } : { text: r.item });
const N = (label: string): { label: string; num: boolean } => ({ label, num: true });
const T = (label: string): { label: string; num: boolean } => ({ label, num: false });

function grand(t: GrandTotals): string {
  const line = (v: Total, label: string): Cell[] => [num(v.value, v.bound), { text: label }];
  const rows: Cell[][] = [
    line(t.received, 'received'),
    line(t.delivered, 'delivered'),
    line(t.forwarded, 'forwarded'),
    line(t.deferred, `deferred${t.deferrals.value > 0n ? `  (${intUnitsBare(t.deferrals.value)} deferrals)` : ''}`),
    line(t.bounced, 'bounced'),
    line(t.rejected, `rejected (${t.rejectedPct.bound}${t.rejectedPct.value}%)`),
    line(t.rejectWarnings, 'reject warnings'),
    line(t.held, 'held'),
    line(t.discarded, `discarded (${t.discardedPct.bound}${t.discardedPct.value}%)`),
    line(t.bytesReceived, 'bytes received'),
    line(t.bytesDelivered, 'bytes delivered'),
    line(t.senders, 'senders'),
    line(t.sendingDomains, 'sending hosts/domains'),
    line(t.recipients, 'recipients'),
    line(t.recipientDomains, 'recipient hosts/domains'),
  ];
  return `${h2('Grand Totals')}\n${table([N('messages'), T('')], rows)}`;
}

const TRAFFIC: readonly (keyof Traffic)[] = ['received', 'delivered', 'deferred', 'bounced', 'rejected'];
const TRAFFIC_HEAD = TRAFFIC.map(N);

function traffic(s: Summary, iso: boolean): string[] {
  const out: string[] = [];
  const days = Math.max(1, s.perDay.length);
  if (s.perDay.length > 1) {
    out.push(h2('Per-Day Traffic Summary'), table([T('date'), ...TRAFFIC_HEAD], s.perDay.map((d) => [{ text: iso ? d.day : pflogDate(d.day) }, ...TRAFFIC.map((k) => num(d.traffic[k]))])));
  }
  const hours = Array.from({ length: 24 }, (_, h) => {
    return [{ text: hourSpan(h, iso) }, ...TRAFFIC.map((k) => num(Math.trunc((s.perHour[h]?.[k] ?? 0) / days + 0.5)))];
  });
  out.push(h2(`Per-Hour Traffic ${days > 1 ? 'Daily Average' : 'Summary'}`), table([T('time'), ...TRAFFIC_HEAD], hours));
  return out;
}

function top(limit: number, name: string, prefix: boolean): string {
  if (limit <= 0) return name;
  return prefix ? `top ${limit} ${name}` : `${name} (top ${limit})`;
}

function hostTables(s: Summary, limit: number): string[] {
  if (limit === 0) return [];
  const delivery = topRows(s.tables.recipientDomains, limit).map((r) => [
    num(r.count), num(r.bytes), num(r.defers), { num: timeUnits(r.count > 0 ? r.delaySum / r.count : 0).trim() }, { num: timeUnits(r.delayMax).trim() }, item(r),
  ]);
  const received = topRows(s.tables.senderDomains, limit).map((r) => [num(r.count), num(r.bytes), item(r)]);
  return [
    h2(top(limit, 'Host/Domain Summary: Message Delivery', false)),
    table([N('sent cnt'), N('bytes'), N('defers'), N('avg dly'), N('max dly'), T('host/domain')], delivery),
    h2(top(limit, 'Host/Domain Summary: Messages Received', false)),
    table([N('msg cnt'), N('bytes'), T('host/domain')], received),
  ];
}

function users(rows: readonly TableRow[], name: string, limit: number, size: boolean, quiet: boolean): string[] {
  const show = shownAs(limit, rows.length === 0, quiet);
  if (show === 'hidden') return [];
  const t = top(limit, name, true);
  if (show === 'none') return [none(t)];
  const cut = topRows(size ? bySize(rows) : rows, limit);
  return [h2(t), table([N(size ? 'bytes' : 'count'), T(name.startsWith('Senders') ? 'sender' : 'recipient')], cut.map((r) => [num(size ? r.bytes : r.count), item(r)]))];
}

/** As text.ts's nested(): `limit` rows per group (0: no section), `quiet` no `none` for an empty one. */
function nested(rows: readonly TableRow[], name: string, limit: number, quiet: boolean): string[] {
  const show = shownAs(limit, rows.length === 0, quiet);
  if (show !== 'rows') return show === 'none' ? [none(name)] : [];
  const g = groups(rows, limit);
  const body: string[] = [];
  const top = limit > 0 ? ` (top ${limit})` : '';
  for (const grp of g.groups) {
    if (grp.name !== '') body.push(`<tr><td colspan="2" style="${S.group}">${escapeHtml(grp.name)}${top} (total: ${grp.total})</td></tr>`);
    for (const r of grp.rows) body.push(`<tr><td style="${S.tdNum}">${escapeHtml(intUnitsBare(r.count))}</td><td style="${S.td}">${escapeHtml(r.item)}</td></tr>`);
  }
  if (g.other) body.push(`<tr><td style="${S.tdNum}">${escapeHtml(intUnitsBare(g.other.count))}</td><td style="${S.other}">${OTHER}</td></tr>`);
  return [h2(name), `<table role="presentation" cellspacing="0" cellpadding="0" style="${S.table}">`, ...body, '</table>'];
}

function notKept(name: string, count: bigint, limit: number, quiet: boolean): string[] {
  const show = shownAs(limit, count === 0n, quiet);
  if (show !== 'rows') return show === 'none' ? [none(name)] : [];
  return [h2(name), `<p style="${S.p}">not kept by postfix-stats (total: ${count})</p>`];
}

function detail(sections: readonly DetailSection[], s: Summary, t: GrandTotals, ctx: ReportContext, layout: Layout): string[] {
  return sections.flatMap((d) =>
    d.kind === 'users' ? users(s.tables[d.table], d.title, ctx.userLimit, d.bySize, layout.quiet)
    : d.kind === 'notKept' ? notKept(d.title, t[d.total].value, sectionLimit(d, layout.detail), layout.quiet)
    : nested(s.tables[d.table], d.title, sectionLimit(d, layout.detail), layout.quiet), // a flat table is a nested one without groups
  );
}

function extras(s: Summary, ctx: ReportContext): string[] {
  const e = expiredTotals(s);
  const tr = perTransport(s);
  const sv = perService(s);
  return [
    h2('Expired messages'),
    table([N('messages'), T('')], [
      [num(e.expired), { text: 'expired (returned to the sender after maximal_queue_lifetime, or postsuper -e)' }],
      [num(e.forced), { text: 'of these, expired by hand (postsuper -e)' }],
    ]),
    ...(tr.length === 0 ? [none('Recipients per transport')] : [
      h2('Recipients per transport'),
      table([N('sent'), N('deferred'), N('bounced'), T('transport')], tr.map((r) => [num(r.sent), num(r.deferred), num(r.bounced), { text: r.name }])),
    ]),
    ...(sv.length === 0 ? [none('Messages received per service')] : [
      h2('Messages received per service'),
      table([N('received'), T('service')], sv.map((r) => [num(r.received), { text: r.name }])),
    ]),
    h2('Not in these numbers'),
    ...leftOutLines(ctx).map((l) => `<p style="${S.p}">${escapeHtml(l)}</p>`),
  ];
}

export function renderHtml(s: Summary, ctx: ReportContext): string {
  const layout = ctx.layout ?? DEFAULT_LAYOUT;
  const order = sectionsInOrder(layout.problemsFirst);
  const [title = '', ...sub] = headerLines(s, ctx);
  const t = grandTotals(s);
  const parts = [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    `<body style="${S.body}">`,
    `<h1 style="${S.h1}">${escapeHtml(title)}</h1>`,
    ...sub.map((l) => `<p style="${S.p}">${escapeHtml(l)}</p>`),
    grand(t),
    ...detail(order.before, s, t, ctx, layout),
    ...traffic(s, layout.isoDates),
    ...hostTables(s, ctx.hostLimit),
    ...detail(order.after, s, t, ctx, layout),
    ...extras(s, ctx),
    '</body>',
    '</html>',
  ];
  return parts.join('\n') + '\n';
}
