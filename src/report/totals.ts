// pflogsumm's Grand Totals, from what the daemon counts. Each total is exact or a stated lower bound
// (a `bound`); none is a guess. How each comes from Summary.counters and Summary.tables:
//
//   received         sum of recv:*                      (one per queued message)
//   delivered        sum of sent:* less forwarded       (one per recipient delivered, as pflogsumm)
//   forwarded        the messages table's `forwarded` row (local(8) "forwarded as" deliveries)
//   deferred         the messages table's `deferred` row (messages deferred at least once), and in
//                    parentheses the deferrals: sum of deferred:* (one per recipient and attempt)
//   bounced          sum of bounced:*
//   rejected         the rejects table's rows summed (one per reject line: smtpd, postscreen, and
//                    cleanup's header/body rejects, of SMTP and sendmail(1) mail alike); its `other`
//                    row holds what the cap left out, so the sum is exact
//   reject warnings  sum of the rejectWarnings table
//   held, discarded  the counters `held`, `discarded`
//   rejected %, discarded %   as pflogsumm 1.1.5 computes them: int(100 * n / (delivered + rejected
//                    + discarded)); not rejected / (received + rejected)
//   bytes received   sum of the senderDomains table's bytes; bytes delivered: of recipientDomains
//   senders, sending hosts/domains, recipients: Summary.distinct; recipient hosts/domains: the
//                    recipientDomains rows with mail delivered (a domain only deferred is not one);
//                    a capped table's count is a lower bound
// A period that cuts a day (Summary.cut) sums counters over its hours, but a day's tables are whole:
// what comes from a table is then an upper bound (`<=`), delivered (less forwarded) a lower one, the
// percentages computed from the bounds that bound them, and a capped table's distinct count (more
// rows than shown, of more than the period) no bound at all (`?`).
import { isOfKind } from '../counters/key.js';
import type { Summary, TableName } from './summary.js';

export interface Total {
  readonly value: bigint;
  /** '' exact; '>=' the true value may be larger, '<=' smaller, '?' either: printed in front of the number. */
  readonly bound: '' | '>=' | '<=' | '?';
}

export interface GrandTotals {
  readonly received: Total;
  readonly delivered: Total;
  readonly forwarded: Total;
  readonly deferred: Total;
  readonly deferrals: Total;
  readonly bounced: Total;
  readonly rejected: Total;
  readonly rejectedPct: Total;
  readonly rejectWarnings: Total;
  readonly held: Total;
  readonly discarded: Total;
  readonly discardedPct: Total;
  readonly bytesReceived: Total;
  readonly bytesDelivered: Total;
  readonly senders: Total;
  readonly sendingDomains: Total;
  readonly recipients: Total;
  readonly recipientDomains: Total;
}

const exact = (value: bigint): Total => ({ value, bound: '' });

/** Sum of the counters whose key is `kind` or starts with `kind:`. Per-host keys are not in Summary. */
function sumKind(counters: ReadonlyMap<string, bigint>, kind: string): bigint {
  let n = 0n;
  for (const [k, v] of counters) if (isOfKind(k, kind)) n += v;
  return n;
}

function tableSum(s: Summary, t: TableName, field: 'count' | 'bytes'): bigint {
  let n = 0n;
  for (const r of s.tables[t]) n += BigInt(r[field]);
  return n;
}

function messages(s: Summary, item: string): bigint {
  return BigInt(s.tables.messages.find((r) => r.item === item)?.count ?? 0);
}

function distinct(s: Summary, t: TableName, n = s.distinct[t].n): Total {
  const capped = s.distinct[t].capped;
  if (s.cut.length === 0) return { value: BigInt(n), bound: capped ? '>=' : '' };
  return { value: BigInt(n), bound: capped ? '?' : n > 0 ? '<=' : '' };
}

function pct(n: bigint, total: bigint): bigint {
  return total === 0n ? 0n : (100n * n) / total;
}

export function grandTotals(s: Summary): GrandTotals {
  const c = s.counters;
  const cut = s.cut.length > 0;
  // from a table: exact, or (a period cutting a day) at most this
  const fromTable = (value: bigint): Total => ({ value, bound: cut && value > 0n ? '<=' : '' });
  const rejected = tableSum(s, 'rejects', 'count');
  const forwarded = messages(s, 'forwarded');
  const delivered = sumKind(c, 'sent') - forwarded;
  const discarded = c.get('discarded') ?? 0n;
  // rejected % grows with rejected and shrinks with delivered: the bounds above bound it above too;
  // discarded % shrinks with both, so below them: smtpd:* (the period's own) is never more rejects
  const least = cut ? sumKind(c, 'smtpd') : rejected;
  const domains = s.tables.recipientDomains.filter((r) => r.count > 0 && !r.other).length;
  const upper = (n: bigint, base: bigint): Total => ({ value: pct(n, base), bound: cut && n > 0n && (rejected > least || forwarded > 0n) ? '<=' : '' });
  return {
    received: exact(sumKind(c, 'recv')),
    delivered: { value: delivered, bound: cut && forwarded > 0n ? '>=' : '' },
    forwarded: fromTable(forwarded),
    deferred: fromTable(messages(s, 'deferred')),
    deferrals: exact(sumKind(c, 'deferred')),
    bounced: exact(sumKind(c, 'bounced')),
    rejected: fromTable(rejected),
    rejectedPct: upper(rejected, delivered + rejected + discarded),
    rejectWarnings: fromTable(tableSum(s, 'rejectWarnings', 'count')),
    held: exact(c.get('held') ?? 0n),
    discarded: exact(discarded),
    discardedPct: upper(discarded, delivered + least + discarded),
    bytesReceived: fromTable(tableSum(s, 'senderDomains', 'bytes')),
    bytesDelivered: fromTable(tableSum(s, 'recipientDomains', 'bytes')),
    senders: distinct(s, 'senders'),
    sendingDomains: distinct(s, 'senderDomains'),
    recipients: distinct(s, 'recipients'),
    recipientDomains: distinct(s, 'recipientDomains', domains),
  };
}

/** Expired messages and, of those, the ones expired by hand (not in pflogsumm). */
export function expiredTotals(s: Summary): { expired: bigint; forced: bigint } {
  return { expired: s.counters.get('expired') ?? 0n, forced: s.counters.get('expired:force') ?? 0n };
}

export interface TransportRow { readonly name: string; readonly sent: bigint; readonly deferred: bigint; readonly bounced: bigint }

/** sent/deferred/bounced per transport label, by name. */
export function perTransport(s: Summary): TransportRow[] {
  const rows = new Map<string, { sent: bigint; deferred: bigint; bounced: bigint }>();
  for (const [k, v] of s.counters) {
    const m = /^(sent|deferred|bounced):([^@]+)$/.exec(k);
    if (m === null) continue;
    const row = rows.get(m[2]!) ?? { sent: 0n, deferred: 0n, bounced: 0n };
    row[m[1] as 'sent' | 'deferred' | 'bounced'] += v;
    rows.set(m[2]!, row);
  }
  return [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, r]) => ({ name, ...r }));
}

/** Messages received per service label (`smtp`, `submission`, `local`), by name. */
export function perService(s: Summary): { readonly name: string; readonly received: bigint }[] {
  const out: { name: string; received: bigint }[] = [];
  for (const [k, v] of s.counters) {
    const m = /^recv:([^@]+)$/.exec(k);
    if (m !== null) out.push({ name: m[1]!, received: v });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
