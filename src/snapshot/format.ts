// The snapshot file: what the daemon publishes after every commit for every other process to read
// (only the daemon opens LMDB). Plain text, so an admin can `cat` it, ending in a SHA-256 of all that
// comes before, so a torn, truncated or damaged file is refused instead of read as counts.
import { createHash } from 'node:crypto';

export interface Row {
  readonly key: string;
  /** The key's stable SNMP table index, kept for the life of the database. */
  readonly index: number;
  readonly value: bigint;
}

export interface Snapshot {
  /** The commit it shows; grows by one per commit. */
  readonly seq: number;
  /** When that commit was made, in ms since the epoch. */
  readonly time: number;
  /** In key order. */
  readonly rows: readonly Row[];
}

export type Decoded = { ok: true; snapshot: Snapshot } | { ok: false; message: string };

const MAGIC = 'postfix-stats-snapshot 1';
const MAX_U64 = (1n << 64n) - 1n;
const ROW = /^(\S{1,255}) ([1-9]\d{0,9}) (0|[1-9]\d{0,19})$/;
const FIELD = /^(seq|time|rows) (0|[1-9]\d{0,15})$/;
const SUM = /^sha256 ([0-9a-f]{64})$/;

/** Counters as rows in key order, each with its index from `indexOf`. */
export function toRows(counters: Iterable<[string, bigint]>, indexOf: (key: string) => number): Row[] {
  const rows: Row[] = [];
  for (const [key, value] of counters) rows.push({ key, index: indexOf(key), value });
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The rows as text, in key order: also what the store's checksum covers. */
export function encodeRows(rows: readonly Row[]): string {
  let s = '';
  for (const r of rows) s += `${r.key} ${r.index} ${r.value}\n`;
  return s;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function encodeSnapshot(s: Snapshot): string {
  const body = `${MAGIC}\nseq ${s.seq}\ntime ${s.time}\nrows ${s.rows.length}\n${encodeRows(s.rows)}`;
  return `${body}sha256 ${sha256(body)}\n`;
}

export function decodeSnapshot(text: string): Decoded {
  const bad = (why: string): Decoded => ({ ok: false, message: `not a whole snapshot: ${why}` });
  if (!text.endsWith('\n')) return bad('it does not end in a newline (cut short?)');
  const sumAt = text.lastIndexOf('\n', text.length - 2) + 1;
  const sum = SUM.exec(text.slice(sumAt, -1));
  if (sum === null) return bad('no checksum line at its end (cut short?)');
  const body = text.slice(0, sumAt);
  if (sha256(body) !== sum[1]) return bad('its checksum does not match (damaged or torn)');
  const lines = body.split('\n');
  lines.pop(); // the empty string after the last newline
  if (lines[0] !== MAGIC) return bad(`unknown format ${JSON.stringify(lines[0]?.slice(0, 40))}`);
  const fields: Record<string, number> = {};
  for (let i = 1; i <= 3; i++) {
    const f = FIELD.exec(lines[i] ?? '');
    if (f === null || f[1] !== ['seq', 'time', 'rows'][i - 1]) return bad(`line ${i + 1} is malformed`);
    fields[f[1]!] = Number(f[2]);
  }
  if (lines.length !== 4 + fields.rows!) return bad(`${lines.length - 4} rows where it says ${fields.rows}`);
  const rows: Row[] = [];
  for (let i = 4; i < lines.length; i++) {
    const m = ROW.exec(lines[i]!);
    const value = m === null ? -1n : BigInt(m[3]!);
    if (m === null || value > MAX_U64 || Number(m[2]) > 0x7fffffff) return bad(`row ${i - 3} is malformed`);
    rows.push({ key: m[1]!, index: Number(m[2]), value });
  }
  return { ok: true, snapshot: { seq: fields.seq!, time: fields.time!, rows } };
}
