// Days of history (published day files, or a MemoryKv filled from log files) into the Summary of a
// period: the one place where report numbers are summed, so both inputs print the same.
import { FACT_TABLES, type FactTable } from '../classify/facts.js';
import { nextDay, type DayClock } from '../history/clock.js';
import { isOfKind, isTotalKey } from '../counters/key.js';
import type { DayData } from '../history/day.js';
import { HOUR_MS, OTHER, type RowSums } from '../history/layout.js';
import { mergeRows } from '../history/pending.js';
import type { Summary, TableRow, Traffic } from './summary.js';

export interface BuildInput {
  readonly from: number;
  readonly to: number;
  readonly clock: DayClock;
  readonly input: Summary['input'];
  readonly asOf: number;
  /** The local days of the period, oldest first, each with its history (an empty day when none). */
  readonly days: readonly DayData[];
}

export function buildSummary(b: BuildInput): Summary {
  const counters = new Map<string, bigint>();
  const perDay: { day: string; traffic: Traffic }[] = [];
  const perHour = Array.from({ length: 24 }, () => zeroTraffic());
  const merged = new Map<FactTable, Map<string, { group: string; item: string; sums: RowSums }>>(FACT_TABLES.map((t) => [t, new Map()]));
  const capped = new Map<FactTable, boolean>();
  const cut: string[] = [];
  for (const d of b.days) {
    const start = b.clock.startOf(d.day);
    // (a period ending after the newest event counted, `--to` now, leaves no part of a day out)
    const whole = start >= b.from && (b.clock.startOf(nextDay(d.day)) <= b.to || b.asOf < b.to);
    // A day wholly inside the period counts by its day bucket; a part of a day by its hours.
    const dayCounts = whole ? d.counters : sumHours(d, b.from, b.to);
    for (const [k, n] of dayCounts) if (isTotalKey(k)) counters.set(k, (counters.get(k) ?? 0n) + BigInt(n));
    // a cut day's tables hold the whole day: its row is made from the counters of its hours alone
    if (!whole) cut.push(d.day);
    const t = traffic(dayCounts, whole ? d : undefined);
    perDay.push({ day: d.day, traffic: t });
    for (const [hour, bucket] of d.hours) {
      if (hour < b.from || hour >= b.to) continue;
      const local = Math.floor((((hour + b.clock.offset(hour)) % 86_400_000) + 86_400_000) % 86_400_000 / HOUR_MS);
      addTraffic(perHour[local]!, traffic(bucket));
    }
    for (const table of FACT_TABLES) {
      const into = merged.get(table)!;
      for (const r of d.tables.get(table) ?? []) {
        const key = `${r.group}\x1f${r.item}`;
        const old = into.get(key);
        into.set(key, { group: r.group, item: r.item, sums: old === undefined ? r.sums : mergeRows(old.sums, r.sums) });
        if (r.item === OTHER) capped.set(table, true);
      }
    }
  }
  const tables = {} as Record<FactTable, TableRow[]>;
  const distinct = {} as Record<FactTable, { n: number; capped: boolean }>;
  for (const table of FACT_TABLES) {
    const rows = [...merged.get(table)!.values()].map(toRow);
    rows.sort((x, y) => Number(x.other) - Number(y.other) || y.count - x.count || y.defers - x.defers || (x.item < y.item ? -1 : x.item > y.item ? 1 : 0));
    tables[table] = rows;
    distinct[table] = { n: rows.filter((r) => !r.other).length, capped: capped.get(table) ?? false };
  }
  return { from: b.from, to: b.to, tz: b.clock.tz, input: b.input, asOf: b.asOf, counters, perDay, perHour, tables, distinct, cut };
}

function sumHours(d: DayData, from: number, to: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const [hour, bucket] of d.hours) {
    if (hour < from || hour >= to) continue;
    for (const [k, n] of bucket) m.set(k, (m.get(k) ?? 0) + n);
  }
  return m;
}

/**
 * pflogsumm's traffic columns from counters: received recv:*, delivered sent:*, deferred (deferrals)
 * deferred:*, bounced bounced:*, rejected smtpd:* (which holds postscreen's and the SMTP sessions'
 * header/body rejects too). With a day's tables, rejected is every reject line of the day (locally
 * submitted mail that cleanup refused included) and delivered leaves forwarded mail out, as pflogsumm;
 * an hour leaves out forwarded:*.
 */
export function traffic(counts: ReadonlyMap<string, number>, day?: DayData): Traffic {
  let received = 0, delivered = 0, deferred = 0, bounced = 0, rejected = 0, forwarded = 0;
  for (const [k, n] of counts) {
    if (!isTotalKey(k)) continue;
    if (isOfKind(k, 'recv')) received += n;
    else if (isOfKind(k, 'sent')) delivered += n;
    else if (isOfKind(k, 'forwarded')) forwarded += n;
    else if (isOfKind(k, 'deferred')) deferred += n;
    else if (isOfKind(k, 'bounced')) bounced += n;
    else if (isOfKind(k, 'smtpd')) rejected += n;
  }
  if (day !== undefined) {
    const rejects = day.tables.get('rejects') ?? [];
    if (rejects.length > 0) rejected = rejects.reduce((s, r) => s + r.sums[0], 0);
    delivered -= (day.tables.get('messages') ?? []).find((r) => r.item === 'forwarded')?.sums[0] ?? 0;
  } else {
    // an hour has counters only: forwarded:* (days stored before that counter existed lack it)
    delivered -= forwarded;
  }
  return { received, delivered, deferred, bounced, rejected };
}

function zeroTraffic(): Traffic & Record<string, number> {
  return { received: 0, delivered: 0, deferred: 0, bounced: 0, rejected: 0 };
}

function addTraffic(into: Record<keyof Traffic, number>, t: Traffic): void {
  into.received += t.received;
  into.delivered += t.delivered;
  into.deferred += t.deferred;
  into.bounced += t.bounced;
  into.rejected += t.rejected;
}

function toRow(r: { group: string; item: string; sums: RowSums }): TableRow {
  const [count, bytes, defers, delaySum, delayMax] = r.sums;
  return { group: r.group, item: r.item, count, bytes, defers, delaySum: delaySum / 1000, delayMax: delayMax / 1000, other: r.item === OTHER };
}
