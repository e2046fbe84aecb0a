// How a report cuts and orders a Summary table, the same for text and HTML: top N as pflogsumm's
// -h/-u, with whatever is left out (by N, or by the table's own cap) summed into one `other` row, so
// a table's rows always add up to its total.
import type { TableRow } from './summary.js';

/** pflogsumm's limit: -1 every row, 0 no section at all, N the first N. */
export type Limit = number;

function merge(rows: readonly TableRow[]): TableRow {
  let count = 0, bytes = 0, defers = 0, delaySum = 0, delayMax = 0;
  for (const r of rows) {
    count += r.count;
    bytes += r.bytes;
    defers += r.defers;
    delaySum += r.delaySum;
    delayMax = Math.max(delayMax, r.delayMax);
  }
  return { item: '', group: '', count, bytes, defers, delaySum, delayMax, other: true };
}

/** The first `limit` rows of the table's order, then one `other` row for the rest, if any. */
export function topRows(rows: readonly TableRow[], limit: Limit): TableRow[] {
  const real = rows.filter((r) => !r.other);
  const others = rows.filter((r) => r.other);
  const n = limit < 0 ? real.length : Math.min(limit, real.length);
  const rest = [...real.slice(n), ...others];
  return rest.length === 0 ? real.slice(0, n) : [...real.slice(0, n), merge(rest)];
}

const byItem = (a: TableRow, b: TableRow): number => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);

/**
 * Rows by bytes, descending, ties by item; `other` stays last. Items a capped table left out may be
 * larger than some kept here: their bytes are in `other`, never in a wrong row.
 */
export function bySize(rows: readonly TableRow[]): TableRow[] {
  return [...rows.filter((r) => !r.other).sort((a, b) => b.bytes - a.bytes || byItem(a, b)), ...rows.filter((r) => r.other)];
}

export interface Group {
  /** The group's name; '' for rows without one. */
  readonly name: string;
  readonly total: number;
  readonly rows: readonly TableRow[];
}

/**
 * pflogsumm's nested detail sections: groups in name order (as its `sort keys`), each with its
 * total and its rows by count, the first `perGroup` of them (its --*-detail; -1 all: the total
 * still counts every row); the table's `other` row (whatever its group) comes last, alone.
 */
export function groups(rows: readonly TableRow[], perGroup: Limit = -1): { groups: Group[]; other: TableRow | undefined } {
  const byName = new Map<string, TableRow[]>();
  let other: TableRow | undefined;
  for (const r of rows) {
    if (r.other) {
      other = other === undefined ? r : merge([other, r]);
      continue;
    }
    const list = byName.get(r.group) ?? [];
    list.push(r);
    byName.set(r.group, list);
  }
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    groups: names.map((name) => {
      const list = byName.get(name)!.sort((a, b) => b.count - a.count || byItem(a, b));
      return { name, total: list.reduce((n, r) => n + r.count, 0), rows: perGroup >= 0 ? list.slice(0, perGroup) : list };
    }),
    other,
  };
}
