// Answers in snmpd's pass / pass_persist language: three lines (OID, type, value), or NONE.
import { formatOid } from './oid.js';
import type { Cell } from './table.js';

export const NONE = 'NONE\n';
export const NOT_WRITABLE = 'not-writable\n';

export function formatCell(c: Cell | null): string {
  if (c === null) return NONE;
  return `${formatOid(c.oid)}\n${c.type}\n${c.value}\n`;
}
