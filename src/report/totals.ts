// pflogsumm's Grand Totals, from what the daemon counts. Each total is exact or a stated lower bound
// (a `bound`); none is a guess. How each comes from Summary.counters and Summary.tables:
//
//   received         sum of recv:*                      (one per queued message, as pflogsumm)
//   delivered        sum of sent:*                      (one per recipient delivered, as pflogsumm)
//   forwarded        the counter `forwarded`, else 0    (postfix-statsd does not count "forwarded as"
//                                                        lines today: the 0 is printed with a note)
//   deferred         no per-message count exists: only the deferrals are known, so the message count
//                    is left blank (`null`) and the deferrals are printed in its parentheses
//   deferrals        sum of deferred:*                  (one per recipient deferral)
//   bounced          sum of bounced:*
//   rejected         smtpd:4xx + smtpd:5xx, plus cleanup's rejects of mail that did not come by SMTP.
//                    effects.ts `reject` counts every postscreen reject and every cleanup reject of
//                    SMTP mail under smtpd:* as well, so postscreen:* is never added again; cleanup's
//                    non-SMTP rejects (sendmail(1) submissions) are in cleanup:* only, mixed with the
//                    SMTP ones. Exact when cleanup:* is 0; otherwise the smallest total the counts allow
//                    (all of cleanup's rejects assumed SMTP, as far as smtpd:* minus postscreen:* can hold
//                    them), printed with `>=` (and discarded's share then with `<=`)
//   reject warnings  sum of the rejectWarnings table (its `other` row holds what the cap left out)
//   held, discarded  the counters `held`, `discarded`
//   rejected %, discarded %   as pflogsumm 1.1.5 computes them: int(100 * n / (delivered + rejected
//                    + discarded)); not rejected / (received + rejected)
//   bytes received   sum of the senderDomains table's bytes; bytes delivered: of recipientDomains
//   senders, sending hosts/domains, recipients, recipient hosts/domains: Summary.distinct; a capped
//                    table's count is a lower bound
import type { Summary, TableName } from './summary.js';

export interface Total {
  readonly value: bigint;
  /** '' exact; '>=' the true value may be larger, '<=' smaller: printed in front of the number. */
  readonly bound: '' | '>=' | '<=';
}

export interface GrandTotals {
  readonly received: Total;
  readonly delivered: Total;
  readonly forwarded: Total;
  /** Messages deferred: not counted (see above). */
  readonly deferred: null;
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
  /** Whether `forwarded` is a real count or the 0 printed for want of one. */
  readonly forwardedCounted: boolean;
}

const exact = (value: bigint): Total => ({ value, bound: '' });

/** Sum of the counters whose key is `kind` or starts with `kind:`. Per-host keys are not in Summary. */
export function sumKind(counters: ReadonlyMap<string, bigint>, kind: string): bigint {
  let n = 0n;
  for (const [k, v] of counters) if (k === kind || k.startsWith(`${kind}:`)) n += v;
  return n;
}

function tableSum(s: Summary, t: TableName, field: 'count' | 'bytes'): bigint {
  let n = 0n;
  for (const r of s.tables[t]) n += BigInt(r[field]);
  return n;
}

function distinct(s: Summary, t: TableName): Total {
  const d = s.distinct[t];
  return { value: BigInt(d.n), bound: d.capped ? '>=' : '' };
}

function pct(n: bigint, total: bigint): bigint {
  return total === 0n ? 0n : (100n * n) / total;
}

export function grandTotals(s: Summary): GrandTotals {
  const c = s.counters;
  const smtpd = sumKind(c, 'smtpd');
  const cleanup = sumKind(c, 'cleanup');
  const postscreen = sumKind(c, 'postscreen');
  const room = smtpd - postscreen > 0n ? smtpd - postscreen : 0n; // smtpd's own rejects plus cleanup's SMTP ones
  const rejectedMin = smtpd + (cleanup > room ? cleanup - room : 0n);
  const rejected: Total = { value: rejectedMin, bound: rejectedMin < smtpd + cleanup ? '>=' : '' };
  const delivered = sumKind(c, 'sent');
  const discarded = c.get('discarded') ?? 0n;
  const base = delivered + rejected.value + discarded;
  const forwarded = c.get('forwarded');
  return {
    received: exact(sumKind(c, 'recv')),
    delivered: exact(delivered),
    forwarded: exact(forwarded ?? 0n),
    forwardedCounted: forwarded !== undefined,
    deferred: null,
    deferrals: exact(sumKind(c, 'deferred')),
    bounced: exact(sumKind(c, 'bounced')),
    rejected,
    // With rejected a lower bound, its share is one too, and discarded's share an upper bound.
    rejectedPct: { value: pct(rejected.value, base), bound: rejected.bound },
    rejectWarnings: exact(tableSum(s, 'rejectWarnings', 'count')),
    held: exact(c.get('held') ?? 0n),
    discarded: exact(discarded),
    discardedPct: { value: pct(discarded, base), bound: rejected.bound === '' ? '' : '<=' },
    bytesReceived: exact(tableSum(s, 'senderDomains', 'bytes')),
    bytesDelivered: exact(tableSum(s, 'recipientDomains', 'bytes')),
    senders: distinct(s, 'senders'),
    sendingDomains: distinct(s, 'senderDomains'),
    recipients: distinct(s, 'recipients'),
    recipientDomains: distinct(s, 'recipientDomains'),
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
