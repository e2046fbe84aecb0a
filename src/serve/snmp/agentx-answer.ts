// What the AgentX subagent answers to Get, GetNext and GetBulk, computed from the same table code as
// the pass modes: pure, so GETNEXT order, search-range ends and the exceptions are unit-tested.
// (The net-snmp package's own answers turn an end of MIB into noSuchObject and lose GetBulk's
// repeaters, so the subagent answers with these instead.)
import { compareOid, startsWith, type Oid } from './oid.js';
import { COLUMN, getCell, nextCell, type Cell, type TableRow } from './table.js';

export type Exception = 'noSuchObject' | 'noSuchInstance' | 'endOfMibView';
export type Answer = Cell | { readonly oid: Oid; readonly type: Exception };

export interface SearchRange {
  readonly start: Oid;
  /** Exclusive upper bound; null or empty means none. */
  readonly end: Oid | null;
}

/** GET: the cell, noSuchInstance under one of our columns, noSuchObject elsewhere. */
export function answerGet(base: Oid, rows: readonly TableRow[], oid: Oid): Answer {
  const c = getCell(base, rows, oid);
  if (c) return c;
  const column = oid[base.length + 1];
  const isColumn = startsWith(oid, [...base, 1]) && oid.length > base.length + 1 && Object.values(COLUMN).includes(column as never);
  return { oid, type: isColumn ? 'noSuchInstance' : 'noSuchObject' };
}

/** GETNEXT within a search range: endOfMibView (named by the start, RFC 2741 7.2.3.2) past it. */
export function answerNext(base: Oid, rows: readonly TableRow[], range: SearchRange): Answer {
  const c = nextCell(base, rows, range.start);
  if (c && !(range.end && range.end.length && compareOid(c.oid, range.end) >= 0)) return c;
  return { oid: range.start, type: 'endOfMibView' };
}

/**
 * GETBULK: the non-repeaters once, then up to maxRepetitions rounds over the repeaters, each going on
 * from its previous answer; stops after a round where every repeater reached the end.
 */
export function answerBulk(base: Oid, rows: readonly TableRow[], ranges: readonly SearchRange[], nonRepeaters: number, maxRepetitions: number): Answer[] {
  const n = Math.min(nonRepeaters, ranges.length);
  const out = ranges.slice(0, n).map((r) => answerNext(base, rows, r));
  let cursor = ranges.slice(n);
  for (let round = 0; round < maxRepetitions && cursor.length; round++) {
    const answers = cursor.map((r) => answerNext(base, rows, r));
    out.push(...answers);
    if (answers.every((a) => a.type === 'endOfMibView')) break;
    cursor = cursor.map((r, i) => ({ start: answers[i]!.oid, end: r.end }));
  }
  return out;
}
