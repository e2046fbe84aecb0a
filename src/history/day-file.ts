// A day of history as the daemon publishes it for reports (DIR/days/YYYY-MM-DD): JSON, so an admin
// or a script can read it, ending in a SHA-256 line like the snapshot, so a torn or damaged file
// is refused, never read as numbers.
import { FACT_TABLES, type FactTable } from '../classify/facts.js';
import { sha256 } from '../snapshot/format.js';
import type { DayData, DayRow } from './day.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Kv } from './kv.js';
import { decodeU32 } from '../store/codec.js';
import { DAY_SEQS, after, type RowSums } from './layout.js';

const FORMAT = 'postfix-stats-day 1';
/** Where the daemon publishes day files, under its database directory, beside the snapshot. */
export const DAYS_DIR = 'days';
/** A day's name, which is its file's name in DAYS_DIR. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface PublishedDay {
  readonly data: DayData;
  /** The commit it was read after, and when. */
  readonly seq: number;
  readonly asOf: number;
}

export function encodeDayFile(p: PublishedDay): string {
  const d = p.data;
  const body = JSON.stringify({
    format: FORMAT,
    day: d.day,
    tz: d.tz,
    seq: p.seq,
    asOf: p.asOf,
    counters: Object.fromEntries(d.counters),
    hours: Object.fromEntries([...d.hours].map(([t, b]) => [String(t), Object.fromEntries(b)])),
    tables: Object.fromEntries(FACT_TABLES.map((t) => [t, (d.tables.get(t) ?? []).map((r) => [r.group, r.item, ...r.sums])])),
    rowCounts: Object.fromEntries(d.rowCounts),
  });
  return `${body}\nsha256 ${sha256(`${body}\n`)}\n`;
}

export type DecodedDay = { ok: true; day: PublishedDay } | { ok: false; message: string };

export function decodeDayFile(text: string): DecodedDay {
  const bad = (why: string): DecodedDay => ({ ok: false, message: `not a whole day file: ${why}` });
  const nl = text.indexOf('\n');
  if (nl < 0 || !text.endsWith('\n')) return bad('cut short');
  const body = text.slice(0, nl + 1);
  if (text.slice(nl + 1) !== `sha256 ${sha256(body)}\n`) return bad('its checksum does not match (damaged or torn)');
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return bad('not JSON');
  }
  if (o.format !== FORMAT || typeof o.day !== 'string' || !DAY.test(o.day) || typeof o.tz !== 'string') return bad('unknown format');
  if (typeof o.seq !== 'number' || typeof o.asOf !== 'number') return bad('no seq or time');
  const counters = numbers(o.counters);
  const hours = new Map<number, Map<string, number>>();
  for (const [t, b] of Object.entries(object(o.hours))) if (/^\d+$/.test(t)) hours.set(Number(t), numbers(b));
  const tables = new Map<FactTable, DayRow[]>();
  const rawTables = object(o.tables);
  for (const t of FACT_TABLES) {
    const rows: DayRow[] = [];
    for (const r of Array.isArray(rawTables[t]) ? (rawTables[t] as unknown[]) : []) {
      if (!Array.isArray(r) || r.length !== 7 || typeof r[0] !== 'string' || typeof r[1] !== 'string') return bad(`a row of ${t} is malformed`);
      const sums = r.slice(2);
      if (!sums.every((n) => typeof n === 'number' && Number.isFinite(n))) return bad(`a row of ${t} is malformed`);
      rows.push({ group: r[0], item: r[1], sums: sums as RowSums });
    }
    tables.set(t, rows);
  }
  const rc = numbers(o.rowCounts);
  const rowCounts = new Map<FactTable, number>(FACT_TABLES.map((t) => [t, rc.get(t) ?? 0]));
  return { ok: true, day: { seq: o.seq, asOf: o.asOf, data: { day: o.day, tz: o.tz, counters, hours, tables, rowCounts } } };
}

function object(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function numbers(v: unknown): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, n] of Object.entries(object(v))) if (typeof n === 'number' && Number.isFinite(n)) m.set(k, n);
  return m;
}

/** Days the store changed after their day file in `dir` was written (or that have none). */
export function unpublishedDays(kv: Kv, dir: string): string[] {
  const out: string[] = [];
  for (const { key, value } of kv.range(DAY_SEQS, after(DAY_SEQS))) {
    const day = key.slice(DAY_SEQS.length);
    const seq = publishedSeq(join(dir, day));
    if (seq === null || seq < (decodeU32(value) ?? 0)) out.push(day);
  }
  return out;
}

/** The commit a day file was written after, read from its head (the file is checked whole when read). */
function publishedSeq(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    const m = /"seq":(\d+)/.exec(head.toString('utf8', 0, n));
    return m === null ? null : Number(m[1]);
  } finally {
    closeSync(fd);
  }
}
