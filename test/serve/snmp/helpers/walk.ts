// The walk of pfsCounterTable that every mechanism must return: computed from the snapshot the daemon
// published, column by column as SNMP orders it (pfsCounterInstance, column 6, last).
import { readSnapshot } from '../../../../src/snapshot/read.js';
import { DEFAULT_BASE, servable } from '../../../../src/serve/snmp/table.js';
import type { Varbind } from './snmpd.js';

export function snapshotRows(db: string) {
  const r = readSnapshot(db);
  if (!r.ok) throw new Error(r.message);
  return r.snapshot.rows;
}

export function expectedWalk(db: string): Varbind[] {
  const t = `${DEFAULT_BASE}.1`;
  const rows = servable(snapshotRows(db));
  const out: Varbind[] = [];
  for (const [c, type] of [[1, 'INTEGER'], [2, 'STRING'], [3, 'Counter64'], [4, 'Counter32'], [5, 'STRING'], [6, 'STRING']] as const) {
    for (const row of rows) {
      // Columns 5 and 6 from the key's text here, not from the grammar's parser the table uses.
      const host = row.key.includes('@') ? row.key.slice(row.key.indexOf('@') + 1) : '';
      const instance = row.key.includes('/') ? row.key.slice(0, row.key.indexOf('/')) : '';
      const value = c === 1 ? String(row.index) : c === 2 ? row.key : c === 3 ? String(row.value) : c === 4 ? String(row.value % 2n ** 32n) : c === 5 ? host : instance;
      out.push({ oid: `${t}.${c}.${row.index}`, type, value });
    }
  }
  return out;
}
