// The protocol core shared by pass, pass_persist and AgentX: OID parsing and order, and the table's
// GET / GETNEXT. GETNEXT is checked against a brute force over every cell, sorted.
import { describe, expect, it } from 'vitest';
import { compareOid, formatOid, parseOid, type Oid } from '../../../src/serve/snmp/oid.js';
import { getCell, nextCell, servable, type Cell, type TableRow } from '../../../src/serve/snmp/table.js';

const BASE = parseOid('.1.3.6.1.4.1.99999.1.1')!;
const rows: TableRow[] = servable([
  { key: 'sent:smtp', value: 2n ** 40n + 7n, index: 3 },
  { key: 'recv:smtp', value: 166n, index: 1 },
  { key: 'self:lines', value: 2n ** 64n - 1n, index: 12 },
  { key: 'orphan', value: 5n, index: 0 }, // no index assigned: not servable
]);

function allCellsSorted(): Cell[] {
  const cells: Cell[] = [];
  for (const c of [1, 2, 3, 4, 5, 6]) for (const r of rows) cells.push(getCell(BASE, rows, [...BASE, 1, c, r.index])!);
  return cells.sort((a, b) => compareOid(a.oid, b.oid));
}

describe('OIDs', () => {
  it('parses with or without the leading dot and formats with it', () => {
    expect(parseOid('.1.3.6.1')).toEqual([1, 3, 6, 1]);
    expect(parseOid('1.3.6.1')).toEqual([1, 3, 6, 1]);
    expect(formatOid([1, 3, 6, 1])).toBe('.1.3.6.1');
    expect(parseOid('.1.3.4294967295')).toEqual([1, 3, 4294967295]);
  });

  it.each(['', '.', '1..3', '.1.3.', '1.a', '-1.3', '1.01', '1.4294967296', ' 1.3', Array(129).fill(1).join('.')])(
    'refuses %j',
    (t) => expect(parseOid(t)).toBeNull(),
  );

  it('orders lexicographically, a prefix before its extensions, numbers not as text', () => {
    const sorted: Oid[] = [[1, 3], [1, 3, 0], [1, 3, 2], [1, 3, 10], [1, 4]];
    expect([...sorted].reverse().sort(compareOid)).toEqual(sorted);
  });
});

describe('the counter table', () => {
  it('serves the five columns with their MIB types; Counter32 is the low 32 bits', () => {
    expect(getCell(BASE, rows, [...BASE, 1, 1, 3])).toMatchObject({ type: 'integer', value: 3 });
    expect(getCell(BASE, rows, [...BASE, 1, 2, 3])).toMatchObject({ type: 'string', value: 'sent:smtp' });
    expect(getCell(BASE, rows, [...BASE, 1, 3, 3])).toMatchObject({ type: 'counter64', value: 2n ** 40n + 7n });
    expect(getCell(BASE, rows, [...BASE, 1, 4, 3])).toMatchObject({ type: 'counter', value: 7 });
    expect(getCell(BASE, rows, [...BASE, 1, 4, 12])).toMatchObject({ type: 'counter', value: 0xffffffff });
    expect(getCell(BASE, rows, [...BASE, 1, 5, 3])).toMatchObject({ type: 'string', value: '' });
  });

  it('pfsCounterHost is the host of a KEY@HOST row and empty for a total, whose name stays the whole key', () => {
    const perHost = servable([
      { key: 'sent:smtp', value: 9n, index: 1 },
      { key: 'sent:smtp@mx1', value: 4n, index: 2 },
      { key: 'held@mx2.example.org', value: 1n, index: 3 },
    ]);
    const col = (c: number) => perHost.map((r) => getCell(BASE, perHost, [...BASE, 1, c, r.index]));
    expect(col(5).map((c) => c && [c.type, c.value])).toEqual([['string', ''], ['string', 'mx1'], ['string', 'mx2.example.org']]);
    expect(col(2).map((c) => c?.value)).toEqual(['sent:smtp', 'sent:smtp@mx1', 'held@mx2.example.org']);
  });

  it('pfsCounterInstance is the instance of an INSTANCE/KEY row, empty for a total and the default instance', () => {
    const rows6 = servable([
      { key: 'sent:smtp', value: 9n, index: 1 },
      { key: 'postfix-out/sent:smtp', value: 4n, index: 2 },
      { key: 'postfix-out/sent:smtp@mx1', value: 1n, index: 3 },
    ]);
    const col = (c: number) => rows6.map((r) => getCell(BASE, rows6, [...BASE, 1, c, r.index])?.value);
    expect(col(6)).toEqual(['', 'postfix-out', 'postfix-out']);
    expect(col(5)).toEqual(['', '', 'mx1']);
    // a walk goes through column 5 into 6 and ends after 6's last row
    expect(nextCell(BASE, rows6, [...BASE, 1, 5, 3])).toMatchObject({ oid: [...BASE, 1, 6, 1], value: '' });
    expect(nextCell(BASE, rows6, [...BASE, 1, 6, 3])).toBeNull();
    // the helper's --instance (and --host): plain keys, the names in every row
    const v = servable([{ key: 'sent:smtp', value: 4n, index: 2 }], { host: 'mx1', instance: 'postfix-out' });
    expect([5, 6].map((c) => getCell(BASE, v, [...BASE, 1, c, 2])?.value)).toEqual(['mx1', 'postfix-out']);
  });

  it('one host\'s rows under plain keys (the helper\'s --host) carry that host in column 5', () => {
    const view = servable([{ key: 'sent:smtp', value: 4n, index: 2 }, { key: 'held', value: 1n, index: 7 }], { host: 'mx1' });
    expect(view.map((r) => getCell(BASE, view, [...BASE, 1, 5, r.index])?.value)).toEqual(['mx1', 'mx1']);
    expect(view.map((r) => getCell(BASE, view, [...BASE, 1, 2, r.index])?.value)).toEqual(['sent:smtp', 'held']);
  });

  it('GET of anything but an existing cell is null', () => {
    for (const oid of [BASE, [...BASE, 1], [...BASE, 1, 3], [...BASE, 1, 3, 2], [...BASE, 1, 7, 1], [...BASE, 1, 5, 2], [...BASE, 1, 6, 2], [...BASE, 1, 3, 3, 0], [...BASE, 2, 3, 3], [...BASE, 1, 3, 0]]) {
      expect(getCell(BASE, rows, oid)).toBeNull();
    }
  });

  it('skips a row without an index and sorts rows by index', () => {
    expect(rows.map((r) => r.index)).toEqual([1, 3, 12]);
  });

  it('GETNEXT equals the brute-force successor from every interesting start', () => {
    const cells = allCellsSorted();
    const starts: Oid[] = [[0], [1, 3], BASE.slice(0, -1), BASE, [...BASE, 0], [...BASE, 1], [...BASE, 1, 0], [...BASE, 1, 2], [...BASE, 1, 2, 3, 9],
      [...BASE, 1, 4, 12], [...BASE, 1, 4, 13], [...BASE, 1, 5, 12], [...BASE, 1, 9], [...BASE, 2], [2], ...cells.map((c) => c.oid)];
    for (const s of starts) {
      const want = cells.find((c) => compareOid(c.oid, s) > 0) ?? null;
      expect(nextCell(BASE, rows, s), formatOid(s)).toEqual(want);
    }
  });

  it('a walk from the base visits every cell once, column by column (the instance column last), then ends', () => {
    const seen: string[] = [];
    for (let c = nextCell(BASE, rows, BASE); c; c = nextCell(BASE, rows, c.oid)) seen.push(formatOid(c.oid));
    expect(seen).toEqual(allCellsSorted().map((c) => formatOid(c.oid)));
    expect(seen[0]).toBe('.1.3.6.1.4.1.99999.1.1.1.1.1');
    expect(seen).toHaveLength(18);
    expect(seen.slice(-3)).toEqual([1, 3, 12].map((i) => `.1.3.6.1.4.1.99999.1.1.1.6.${i}`));
  });

  it('an empty table has no next cell', () => {
    expect(nextCell(BASE, [], BASE)).toBeNull();
  });
});
