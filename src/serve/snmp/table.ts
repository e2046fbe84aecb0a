// The counter table as SNMP sees it: pfsCounterTable (the base OID) . 1 (entry) . column . index.
// One row per counter, indexed by its stable store index, so a counter's OIDs never move.
import { parseKey } from '../../counters/key.js';
import type { View } from '../../snapshot/view.js';
import { compareOid, startsWith, type Oid } from './oid.js';

/**
 * The default base OID: pfsCounterTable in POSTFIX-STATS-MIB. 99999 is a PLACEHOLDER enterprise
 * number, not registered with IANA yet; --base-oid moves the table elsewhere.
 */
export const DEFAULT_BASE = '.1.3.6.1.4.1.99999.1.1';

export const COLUMN = { index: 1, name: 2, value: 3, value32: 4, host: 5, instance: 6 } as const;
const COLUMNS = [COLUMN.index, COLUMN.name, COLUMN.value, COLUMN.value32, COLUMN.host, COLUMN.instance] as const;

export interface TableRow {
  readonly key: string;
  readonly value: bigint;
  readonly index: number;
  /**
   * The host the row counts, when its key no longer says so: the helper's --host serves one host's
   * rows under plain keys. Absent: the host part of the key ('' for a total).
   */
  readonly host?: string;
  /** The same for the instance (the helper's --instance); absent: the key's ('' for the default). */
  readonly instance?: string;
}

/** One cell, typed as in the MIB. */
export type Cell =
  | { readonly oid: Oid; readonly type: 'integer'; readonly value: number }
  | { readonly oid: Oid; readonly type: 'string'; readonly value: string }
  | { readonly oid: Oid; readonly type: 'counter64'; readonly value: bigint }
  | { readonly oid: Oid; readonly type: 'counter'; readonly value: number };

const U32 = 0xffffffffn;

/**
 * Rows that can be served, in OID order: index 0 (never assigned) or out of INTEGER range is skipped.
 * `v`: the rows are one host's and/or instance's under plain keys (view.ts), so its names go with each.
 */
export function servable(rows: readonly TableRow[], v: View = {}): TableRow[] {
  const ok = rows.filter((r) => Number.isInteger(r.index) && r.index >= 1 && r.index <= 0x7fffffff).sort((a, b) => a.index - b.index);
  if (v.host === undefined && v.instance === undefined) return ok;
  const named = { ...(v.host === undefined ? {} : { host: v.host }), ...(v.instance === undefined ? {} : { instance: v.instance }) };
  return ok.map((r) => ({ ...r, ...named }));
}

/** pfsCounterHost: parsed when a cell is asked for, not per row and request, since most are not. */
function hostOf(row: TableRow): string {
  return row.host ?? parseKey(row.key)?.host ?? '';
}

/** pfsCounterInstance, the same way: '' for a total and for the default instance's keys. */
function instanceOf(row: TableRow): string {
  return row.instance ?? parseKey(row.key)?.instance ?? '';
}

function cell(base: Oid, column: number, row: TableRow): Cell {
  const oid = [...base, 1, column, row.index];
  switch (column) {
    case COLUMN.index:
      return { oid, type: 'integer', value: row.index };
    case COLUMN.name:
      return { oid, type: 'string', value: row.key };
    case COLUMN.value:
      return { oid, type: 'counter64', value: row.value };
    case COLUMN.host:
      return { oid, type: 'string', value: hostOf(row) };
    case COLUMN.instance:
      return { oid, type: 'string', value: instanceOf(row) };
    default:
      // Counter32 for SNMPv1 and 32-bit pollers: the low 32 bits, so it wraps like any Counter32.
      return { oid, type: 'counter', value: Number(row.value & U32) };
  }
}

/** GET: the cell at exactly `oid`, or null (noSuchObject / noSuchInstance). `rows` from servable(). */
export function getCell(base: Oid, rows: readonly TableRow[], oid: Oid): Cell | null {
  if (oid.length !== base.length + 3 || !startsWith(oid, base) || oid[base.length] !== 1) return null;
  const column = oid[base.length + 1]!;
  const index = oid[base.length + 2]!;
  if (!(COLUMNS as readonly number[]).includes(column)) return null;
  const row = rows.find((r) => r.index === index);
  return row ? cell(base, column, row) : null;
}

/** GETNEXT: the first cell whose OID sorts after `oid`, or null at the end of the table. */
export function nextCell(base: Oid, rows: readonly TableRow[], oid: Oid): Cell | null {
  // Column-major, like the OIDs themselves: every index of column 1, then of column 2, ... up to 6.
  for (const column of COLUMNS) {
    const prefix = [...base, 1, column];
    // A column that sorts wholly before the request is skipped without looking at its rows.
    if (!startsWith(oid, prefix) && compareOid(prefix, oid) < 0) continue;
    for (const row of rows) {
      const c = [...prefix, row.index];
      if (compareOid(c, oid) > 0) return cell(base, column, row);
    }
  }
  return null;
}
