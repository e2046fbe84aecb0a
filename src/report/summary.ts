// What a report says, whatever it was read from (the daemon's published history, or log files read
// in-process): the counters summed over the period, traffic per day and per hour, and the per-day
// tables of the period merged. The renderers (text.ts, html.ts) print only what is here.

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

export type TableName =
  | 'recipientDomains' // Host/Domain Summary: Message Delivery (sent, bytes, defers, avg/max delay)
  | 'senderDomains' // Host/Domain Summary: Messages Received
  | 'senders' // by count and by size
  | 'recipients' // by count and by size
  | 'rejects' // group: stage
  | 'rejectWarnings' // group: stage
  | 'deferrals' // group: transport; item: reason
  | 'bounces' // group: transport; item: reason
  | 'smtpFailures' // group: ''; item: host and reason
  | 'warnings' // group: program
  | 'fatals' // group: program
  | 'panics' // group: program
  | 'master'; // master daemon messages

export const TABLE_NAMES: readonly TableName[] = [
  'recipientDomains', 'senderDomains', 'senders', 'recipients', 'rejects', 'rejectWarnings',
  'deferrals', 'bounces', 'smtpFailures', 'warnings', 'fatals', 'panics', 'master',
];

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
}
