// What a report says, whatever it was read from (the daemon's published history, or log files read
// in-process): the counters summed over the period, traffic per day and per hour, and the per-day
// tables of the period merged. The renderers (text.ts, html.ts) print only what is here.
import { FACT_TABLES, type FactTable } from '../classify/facts.js';

/** One row of a bounded table: exact up to the table's cap; the rest is summed into one `other` row. */
export interface TableRow {
  /** A domain, address, or reason text; for the `other` row, the empty string. */
  readonly item: string;
  /** Grouping above the item: a reject's stage (`RCPT`, `CONNECT`...), a warning's program; '' when none. */
  readonly group: string;
  readonly count: number;
  /** Bytes (message size times recipients for deliveries; size for receptions); 0 when not measured. */
  readonly bytes: number;
  /** Deferrals (recipient domains only). */
  readonly defers: number;
  /** Delay in seconds, summed over `count` deliveries, and the maximum (recipient domains only). */
  readonly delaySum: number;
  readonly delayMax: number;
  /** The row that sums everything the cap left out. */
  readonly other: boolean;
}

/** The per-day tables the classifier fills (src/classify/facts.ts), by name. */
export type TableName = FactTable;
export const TABLE_NAMES: readonly TableName[] = FACT_TABLES;

/** The traffic columns of pflogsumm's per-day and per-hour summaries. */
export interface Traffic {
  readonly received: number;
  readonly delivered: number;
  readonly deferred: number;
  readonly bounced: number;
  readonly rejected: number;
}

export interface Summary {
  /** The period, [from, to) in epoch ms, and the time zone its days and hours are in. */
  readonly from: number;
  readonly to: number;
  readonly tz: string;
  /** Where the numbers come from: `store` (the daemon's history, as of `asOf`), or `log` files. */
  readonly input: 'store' | 'log';
  /** The newest event time counted (epoch ms), 0 when none. */
  readonly asOf: number;
  /** Counter keys (the key grammar's text form, totals only) summed over the period. */
  readonly counters: ReadonlyMap<string, bigint>;
  /** One row per local day of the period, oldest first. */
  readonly perDay: readonly { readonly day: string; readonly traffic: Traffic }[];
  /** Hours 0-23 of the local day: the sum over the period's days (renderers divide by `perDay.length`). */
  readonly perHour: readonly Traffic[];
  /** Per-day tables merged over the period, rows by count, descending; `other` last. */
  readonly tables: Readonly<Record<TableName, readonly TableRow[]>>;
  /** Distinct items seen, per table, and whether a cap hid some (then the distinct count is a lower bound). */
  readonly distinct: Readonly<Record<TableName, { readonly n: number; readonly capped: boolean }>>;
  /**
   * The local days the period cuts (`--from`/`--to` with a time): counters are summed from their
   * hours in the period, but their tables, kept per day, are whole: what comes from a table is then
   * an upper bound (a lower one for delivered, which subtracts one).
   */
  readonly cut: readonly string[];
}
