// Object identifiers as arrays of sub-identifiers: parsed from snmpd's dotted text, compared in the
// lexicographic order GETNEXT walks.
export type Oid = readonly number[];

const MAX_SUBID = 0xffffffff;
/** SNMP allows at most 128 sub-identifiers; longer input is not an OID we could ever serve. */
const MAX_LEN = 128;

/** ".1.3.6.1" or "1.3.6.1" to [1,3,6,1]; null for anything else (empty parts, signs, > 2^32-1). */
export function parseOid(text: string): Oid | null {
  const t = text.startsWith('.') ? text.slice(1) : text;
  if (t === '') return null;
  const parts = t.split('.');
  if (parts.length > MAX_LEN) return null;
  const oid: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,9})$/.test(p)) return null;
    const n = Number(p);
    if (n > MAX_SUBID) return null;
    oid.push(n);
  }
  return oid;
}

/** With the leading dot, as snmpd's pass protocol expects. */
export function formatOid(oid: Oid): string {
  return '.' + oid.join('.');
}

/** Negative, zero or positive, in SNMP's lexicographic order (a prefix sorts before its extensions). */
export function compareOid(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function startsWith(oid: Oid, prefix: Oid): boolean {
  if (oid.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (oid[i] !== prefix[i]) return false;
  return true;
}
