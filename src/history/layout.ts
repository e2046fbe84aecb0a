// Where history lives among the store's keys, and how its values are encoded. Bucket keys carry
// their time zero-padded, so key order is time order and pruning is one range from the start.
import type { FactTable } from '../classify/facts.js';
import { decodeJson, encodeJson } from '../store/codec.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Counter buckets: per UTC minute, per UTC hour, per local day of the history's zone. */
export const MINUTES = 'hm:';
export const HOURS = 'hh:';
export const DAYS = 'hd:';
/** Per-day table rows: `t:DAY␟TABLE␟GROUP␟ITEM`; the number of rows of one day's table: `tn:DAY␟TABLE`. */
export const ROWS = 't:';
export const ROW_COUNTS = 'tn:';
/** The commit that last changed a day: a day file older than it is published again at start. */
export const DAY_SEQS = 'hs:';
/** Separates a row key's parts: factText() turns every control byte of log text into `?`. */
export const SEP = '\x1f';
/** The bound just above every key starting with `prefix`, for a range read (`hd:` → `hd;`). */
export const after = (prefix: string): string => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
/** The item of the row that sums what a table's cap left out: no real item is empty. */
export const OTHER = '';

export const minuteKey = (minute: number): string => MINUTES + String(minute).padStart(10, '0');
export const hourKey = (hour: number): string => HOURS + String(hour).padStart(10, '0');
export const dayKey = (day: string): string => DAYS + day;
export const rowPrefix = (day: string, table: FactTable): string => ROWS + day + SEP + table + SEP;
export const rowKey = (day: string, table: FactTable, group: string, item: string): string => rowPrefix(day, table) + group + SEP + item;
export const rowCountKey = (day: string, table: FactTable): string => ROW_COUNTS + day + SEP + table;

/** A bucket: counter key → count, as a JSON object (keys by name, so a reader needs no index table). */
export function encodeBucket(b: ReadonlyMap<string, number>): Buffer {
  return encodeJson(Object.fromEntries(b));
}

/** A missing or damaged bucket reads as empty; so does any entry that is not a finite number. */
export function decodeBucket(v: Uint8Array | undefined): Map<string, number> {
  const m = new Map<string, number>();
  const o = decodeJson(v);
  if (typeof o !== 'object' || o === null) return m;
  for (const [k, n] of Object.entries(o)) if (typeof n === 'number' && Number.isFinite(n)) m.set(k, n);
  return m;
}

/** A table row's sums: count, bytes, defers, delay sum and delay maximum (in ms). */
export type RowSums = [number, number, number, number, number];

export function encodeRow(r: RowSums): Buffer {
  const out = Buffer.allocUnsafe(40);
  r.forEach((n, i) => out.writeDoubleBE(n, i * 8));
  return out;
}

export function decodeRow(v: Uint8Array | undefined): RowSums {
  if (v === undefined || v.length !== 40) return [0, 0, 0, 0, 0];
  const b = Buffer.from(v.buffer, v.byteOffset, v.length);
  return [0, 1, 2, 3, 4].map((i) => b.readDoubleBE(i * 8)) as RowSums;
}
