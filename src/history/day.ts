// One local day of history as a report reads it: the day's counter totals, its hours, and its
// tables. The daemon publishes it as a day file (publish.ts); a report from log files reads it
// straight from its MemoryKv. Both go through here, so they cannot differ.
import { FACT_TABLES, type FactTable } from '../classify/facts.js';
import { nextDay, type DayClock } from './clock.js';
import type { Kv } from './kv.js';
import { decodeU32 } from '../store/codec.js';
import { DAYS, HOUR_MS, ROW_COUNTS, SEP, after, dayKey, decodeBucket, decodeRow, hourKey, rowCountKey, rowPrefix, type RowSums } from './layout.js';

export interface DayRow {
  readonly group: string;
  /** '' for the row that sums what the cap left out. */
  readonly item: string;
  readonly sums: RowSums;
}

export interface DayData {
  readonly day: string;
  readonly tz: string;
  readonly counters: ReadonlyMap<string, number>;
  /** Hour buckets whose hour starts in the day, by their start (ms); a zone off UTC by a half hour shares its edges. */
  readonly hours: ReadonlyMap<number, ReadonlyMap<string, number>>;
  readonly tables: ReadonlyMap<FactTable, readonly DayRow[]>;
  /** Distinct rows each table holds (the `other` row not counted): at the cap, more items existed. */
  readonly rowCounts: ReadonlyMap<FactTable, number>;
}

export function readDay(kv: Kv, day: string, clock: DayClock): DayData {
  const start = clock.startOf(day);
  const end = clock.startOf(nextDay(day));
  const hours = new Map<number, Map<string, number>>();
  for (const { key, value } of kv.range(hourKey(Math.ceil(start / HOUR_MS)), hourKey(Math.ceil(end / HOUR_MS)))) {
    hours.set(Number(key.slice(3)) * HOUR_MS, decodeBucket(value));
  }
  const tables = new Map<FactTable, DayRow[]>();
  const rowCounts = new Map<FactTable, number>();
  for (const table of FACT_TABLES) {
    const prefix = rowPrefix(day, table);
    const rows: DayRow[] = [];
    for (const { key, value } of kv.range(prefix, after(prefix))) {
      const rest = key.slice(prefix.length);
      const sep = rest.indexOf(SEP);
      rows.push({ group: rest.slice(0, sep), item: rest.slice(sep + 1), sums: decodeRow(value) });
    }
    tables.set(table, rows);
    rowCounts.set(table, decodeU32(kv.get(rowCountKey(day, table))) ?? 0);
  }
  return { day, tz: clock.tz, counters: decodeBucket(kv.get(dayKey(day))), hours, tables, rowCounts };
}

/** The days that have a day bucket or table rows, oldest first. */
export function daysIn(kv: Kv): string[] {
  const days = new Set<string>();
  for (const { key } of kv.range(DAYS, after(DAYS))) days.add(key.slice(DAYS.length));
  for (const { key } of kv.range(ROW_COUNTS, after(ROW_COUNTS))) days.add(key.slice(ROW_COUNTS.length, key.indexOf(SEP)));
  return [...days].sort();
}
