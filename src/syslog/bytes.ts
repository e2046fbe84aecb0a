// Byte tests shared by the tokenizer and the classifier, which read lines as bytes (latin1: one byte,
// one character) and decode only what they keep.

export const SP = 0x20;
export const SLASH = 0x2f;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const DOT = 0x2e;
export const CR = 0x0d;

// character classes, one bit each
export const DIGIT = 1; // [0-9]
export const ALNUM = 2; // [A-Za-z0-9]
export const NAMECH = 4; // [A-Za-z0-9_.-]
export const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  if (/^[0-9]$/.test(ch)) f |= DIGIT;
  if (/^[A-Za-z0-9]$/.test(ch)) f |= ALNUM;
  if (/^[A-Za-z0-9_.-]$/.test(ch)) f |= NAMECH;
  CLASS[c] = f;
}

export function bytesAt(buf: Uint8Array, pos: number, lit: Uint8Array): boolean {
  for (let i = 0; i < lit.length; i++) if (buf[pos + i] !== lit[i]) return false;
  return true;
}

/** Whether the span [a, b) of `buf` is exactly `bytes`. */
export function spanIs(buf: Uint8Array, a: number, b: number, bytes: Uint8Array): boolean {
  return b - a === bytes.length && bytesAt(buf, a, bytes);
}

export function digits(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((CLASS[buf[i]!]! & DIGIT) === 0) return false;
  return true;
}

/** The number written in the digits [from, to), checked by the caller. */
export function decimal(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + buf[i]! - 0x30;
  return n;
}

// latin1Slice is what buf.toString('latin1', a, b) ends in, without its argument checks.
type Latin1 = { latin1Slice(start: number, end: number): string };
export const latin1 = (buf: Buffer, a: number, b: number): string => (buf as unknown as Latin1).latin1Slice(a, b);
