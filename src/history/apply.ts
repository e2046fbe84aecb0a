// A commit's history into the store: counter increments added to their minute, hour and day
// buckets, report facts to their day's table rows, each table capped, and old buckets pruned. Runs
// inside the commit's transaction (or on a MemoryKv for a report read from log files).
import { decodeU32, encodeU32 } from '../store/codec.js';
import type { DayClock } from './clock.js';
import type { Kv } from './kv.js';
import {
  DAYS, DAY_MS, DAY_SEQS, HOURS, HOUR_MS, MINUTES, MINUTE_MS, OTHER, ROWS, ROW_COUNTS, dayKey, decodeBucket, decodeRow,
  encodeBucket, encodeRow, hourKey, minuteKey, rowCountKey, rowKey, type RowSums,
} from './layout.js';
import { mergeRows, type DayFacts, type Pending } from './pending.js';

export interface Retention {
  /** Minute buckets kept (for graphs); hour buckets and day tables; day buckets. */
  readonly minutesMs: number;
  readonly hoursMs: number;
  readonly dayBuckets: number;
}

/** Rows a day's table holds before the rest goes to its `other` row (--max-report-rows), in the daemon and in a report from log files alike. */
export const DEFAULT_MAX_ROWS = 1000;

/** Minutes for 48 hours, hours (and the per-day tables) for 400 days, days for 10 years. */
export const RETENTION: Retention = { minutesMs: 48 * HOUR_MS, hoursMs: 400 * 24 * HOUR_MS, dayBuckets: 3653 };

export interface ApplyOptions {
  /** The commit this is part of, recorded for each day it changes (see DAY_SEQS); none in memory. */
  readonly seq?: number;
  readonly clock: DayClock;
  /** Rows a day's table holds before the rest goes to its `other` row. */
  readonly maxRows: number;
  readonly now: number;
  readonly retention: Retention;
}

/** Adds `p` to the store; returns the days it touched (whose published day files are now stale). */
export function applyPending(kv: Kv, p: Pending, o: ApplyOptions): Set<string> {
  const days = new Set<string>();
  const buckets = new Map<string, Map<string, number>>();
  const oldestMinute = Math.floor((o.now - o.retention.minutesMs) / MINUTE_MS);
  const oldestHour = Math.floor((o.now - o.retention.hoursMs) / HOUR_MS);
  const oldestDay = dayBefore(o.clock, o.now, o.retention.dayBuckets);
  for (const [minute, keys] of p.counts) {
    const day = o.clock.dayOf(minute * MINUTE_MS);
    days.add(day);
    const hour = Math.floor(minute / 60);
    const targets = [
      minute >= oldestMinute ? minuteKey(minute) : null,
      hour >= oldestHour ? hourKey(hour) : null,
      day >= oldestDay ? dayKey(day) : null,
    ];
    for (const t of targets) {
      if (t === null) continue;
      let b = buckets.get(t);
      if (b === undefined) buckets.set(t, (b = new Map()));
      for (const [k, n] of keys) b.set(k, (b.get(k) ?? 0) + n);
    }
  }
  for (const [key, add] of buckets) {
    const b = decodeBucket(kv.get(key));
    for (const [k, n] of add) b.set(k, (b.get(k) ?? 0) + n);
    kv.put(key, encodeBucket(b));
  }
  const oldestTableDay = cutOffDay(o.clock, o.now - o.retention.hoursMs);
  for (const [day, rows] of p.facts) {
    if (day < oldestTableDay) continue;
    days.add(day);
    applyRows(kv, day, rows, o.maxRows);
  }
  if (o.seq !== undefined) for (const day of days) kv.put(DAY_SEQS + day, encodeU32(o.seq));
  return days;
}

function applyRows(kv: Kv, day: string, tables: DayFacts, maxRows: number): void {
  for (const [table, groups] of tables) {
    let n = decodeU32(kv.get(rowCountKey(day, table))) ?? 0;
    const before = n;
    for (const [group, items] of groups) {
      for (const [item, sums] of items) {
        const full = rowKey(day, table, group, item);
        const old = kv.get(full);
        if (old !== undefined) {
          kv.put(full, encodeRow(mergeRows(decodeRow(old), sums)));
        } else if (n < maxRows) {
          kv.put(full, encodeRow(sums));
          n++;
        } else {
          // Exact up to the cap, then one row for the rest: every total the table gives stays exact.
          const other = rowKey(day, table, '', OTHER);
          kv.put(other, encodeRow(mergeRows(decodeRow(kv.get(other)), sums)));
        }
      }
    }
    if (n !== before) kv.put(rowCountKey(day, table), encodeU32(n));
  }
}

/** Removes what is older than the retention allows. */
export function prune(kv: Kv, now: number, clock: DayClock, r: Retention = RETENTION): number {
  const tableDay = cutOffDay(clock, now - r.hoursMs);
  const ranges: [string, string][] = [
    [MINUTES, minuteKey(Math.floor((now - r.minutesMs) / MINUTE_MS))],
    [HOURS, hourKey(Math.floor((now - r.hoursMs) / HOUR_MS))],
    [DAYS, dayKey(dayBefore(clock, now, r.dayBuckets))],
    [ROWS, ROWS + tableDay],
    [ROW_COUNTS, ROW_COUNTS + tableDay],
    [DAY_SEQS, DAY_SEQS + tableDay],
  ];
  let removed = 0;
  for (const [start, end] of ranges) {
    const doomed = [...kv.range(start, end)].map((e) => e.key);
    for (const key of doomed) kv.remove(key), removed++;
  }
  return removed;
}

function dayBefore(clock: DayClock, now: number, days: number): string {
  return cutOffDay(clock, now - days * DAY_MS);
}

/**
 * The day of a retention cut-off, read past the clock's one-day cache: dayOf() would make the cut-off
 * (months ago) the cached day, and the next record's dayOf() find its day anew: a commit's history
 * took 175-270 µs so, 32-37 µs with the cache left alone (3,000 commits of 20 records, Europe/Berlin).
 */
function cutOffDay(clock: DayClock, time: number): string {
  return clock.wall(time).day;
}

