// The hot path: `stepBytes(state, buf, start, end, out, opts)` does exactly what
// `step(state, buf.toString('latin1', start, end), out, opts)` does, but reads the syslog header, the
// queue id and the first bytes of the text straight from the Buffer. Every test step() and
// parseHeader() make is repeated here byte by byte (latin1 maps bytes to chars one to one), cheapest
// first: a line fails as soon as one fails, and since any failure means "nothing to count" their order
// does not matter. Most lines of a real log (connect, disconnect, message-id=, warnings, other
// programs) end there, without a string or a regular expression. A line that passes is decoded once and
// handed to the same rule table and effects as step() (apply()). test/classify/fast.test.ts checks that
// both agree on every fixture line and on mutations of them.
import type { QueueState } from './queue.js';
import { COUNTED_PROGRAMS } from './rules.js';
import { apply, NO_FILTERS, type ClassifyOptions, type Sink } from './step.js';

const SP = 0x20;
const SLASH = 0x2f;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const DOT = 0x2e;
const DASH = 0x2d;
const PLUS = 0x2b;
const CR = 0x0d;

// character classes, one bit each
const DIGIT = 1; // [0-9]
const ALNUM = 2; // [A-Za-z0-9]
const NAMECH = 4; // [A-Za-z0-9_.-]
const HEXUP = 8; // [0-9A-F]: short queue ids
const LONGID = 16; // [0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]: long queue ids
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  if (/^[0-9]$/.test(ch)) f |= DIGIT;
  if (/^[A-Za-z0-9]$/.test(ch)) f |= ALNUM;
  if (/^[A-Za-z0-9_.-]$/.test(ch)) f |= NAMECH;
  if (/^[0-9A-F]$/.test(ch)) f |= HEXUP;
  if (/^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]$/.test(ch)) f |= LONGID;
  CLASS[c] = f;
}

/** header.ts accepts any 3-character substring of its MONTHS string (MONTHS.includes(mon)). */
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const MONTH3 = new Set<number>();
for (let i = 0; i + 3 <= MONTHS.length; i++) MONTH3.add((MONTHS.charCodeAt(i) << 16) | (MONTHS.charCodeAt(i + 1) << 8) | MONTHS.charCodeAt(i + 2));

/** Counted programs by length, as bytes, each with its (interned) name. */
const PROGRAMS: { bytes: Uint8Array; name: string }[][] = [];
for (const name of COUNTED_PROGRAMS) (PROGRAMS[name.length] ??= []).push({ bytes: Buffer.from(name, 'latin1'), name });

/**
 * Every text pattern of a QID/NOQUEUE rule starts with one of these literals (rules.ts, all anchored
 * at ^): a text that starts with none of them matches no rule. (The one rule for lines without a
 * queue id, smtpd's session rule, is startsSession() below.)
 */
const TEXT_PREFIXES = ['client=', 'uid=', 'from=<', 'removed', 'reject: ', 'milter-', 'hold: ', 'discard: ', 'to=<', 'host '];
const PREFIXES_BY_BYTE: (Uint8Array[] | undefined)[] = [];
for (const p of TEXT_PREFIXES) (PREFIXES_BY_BYTE[p.charCodeAt(0)] ??= []).push(Buffer.from(p, 'latin1'));

const POSTFIX = Buffer.from('postfix', 'latin1');
const NOQUEUE = Buffer.from('NOQUEUE', 'latin1');

// latin1Slice is what buf.toString('latin1', a, b) ends in, without its argument checks.
type Latin1 = { latin1Slice(start: number, end: number): string };
const latin1 = (buf: Buffer, a: number, b: number): string => (buf as unknown as Latin1).latin1Slice(a, b);

function bytesAt(buf: Uint8Array, pos: number, lit: Uint8Array): boolean {
  for (let i = 0; i < lit.length; i++) if (buf[pos + i] !== lit[i]) return false;
  return true;
}

function digits(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((CLASS[buf[i]!]! & DIGIT) === 0) return false;
  return true;
}

/** `\d\d:\d\d:\d\d` at p (8 bytes, within bounds checked by the caller). */
function hms(buf: Uint8Array, p: number): boolean {
  return digits(buf, p, p + 2) && buf[p + 2] === COLON && digits(buf, p + 3, p + 5) && buf[p + 5] === COLON && digits(buf, p + 6, p + 8);
}

/** `(\.\d{1,9})?` from p: the position after it, or -1. */
function fraction(buf: Uint8Array, p: number, end: number): number {
  if (p >= end || buf[p] !== DOT) return p;
  let q = p + 1;
  while (q < end && (CLASS[buf[q]!]! & DIGIT) !== 0) q++;
  return q - p - 1 >= 1 && q - p - 1 <= 9 ? q : -1;
}

/** /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/ on [a, b). */
function rfc3339(buf: Uint8Array, a: number, b: number): boolean {
  if (b - a < 20) return false;
  if (!(digits(buf, a, a + 4) && buf[a + 4] === DASH && digits(buf, a + 5, a + 7) && buf[a + 7] === DASH && digits(buf, a + 8, a + 10))) return false;
  if (buf[a + 10] !== 0x54 /* T */ || !hms(buf, a + 11)) return false;
  const p = fraction(buf, a + 19, b);
  if (p < 0) return false;
  if (p === b - 1) return buf[p] === 0x5a; /* Z */
  if (p !== b - 6) return false;
  return (buf[p] === PLUS || buf[p] === DASH) && digits(buf, p + 1, p + 3) && buf[p + 3] === COLON && digits(buf, p + 4, p + 6);
}

/** header.ts prefixIsTimestampAndHost: the space-separated tokens of [a, b) are `TS HOST` or `MON DAY TIME HOST`. */
function timestampAndHost(buf: Uint8Array, a: number, b: number): boolean {
  let n = 0;
  let s0 = 0, e0 = 0, s1 = 0, e1 = 0, s2 = 0, e2 = 0;
  let i = a;
  while (i < b) {
    if (buf[i] === SP) {
      i++;
      continue;
    }
    const s = i;
    while (i < b && buf[i] !== SP) i++;
    if (n === 0) (s0 = s), (e0 = i);
    else if (n === 1) (s1 = s), (e1 = i);
    else if (n === 2) (s2 = s), (e2 = i);
    if (++n > 4) return false;
  }
  if (n === 2) return rfc3339(buf, s0, e0);
  if (n !== 4) return false;
  if (e0 - s0 !== 3 || !MONTH3.has((buf[s0]! << 16) | (buf[s0 + 1]! << 8) | buf[s0 + 2]!)) return false;
  if (e1 - s1 < 1 || e1 - s1 > 2 || !digits(buf, s1, e1)) return false;
  if (e2 - s2 < 8 || !hms(buf, s2)) return false;
  return fraction(buf, s2 + 8, e2) === e2;
}

/** Exactly `step(state, buf.toString('latin1', start, end), out, opts)`. */
export function stepBytes(state: QueueState, buf: Buffer, start: number, end: number, out: Sink, opts: ClassifyOptions = NO_FILTERS): void {
  if (end > start && buf[end - 1] === CR) end--; // as step(): CRLF lines count as LF lines
  // `]: ` (its first occurrence): the end of the tag
  let e = start;
  for (;;) {
    while (e < end && buf[e] !== RBRACKET) e++;
    if (e + 3 > end) return;
    if (buf[e + 1] === COLON && buf[e + 2] === SP) break;
    e++;
  }
  // the tag starts after the last space before it
  let tagStart = e - 1;
  while (tagStart >= start && buf[tagStart] !== SP) tagStart--;
  tagStart++;
  if (tagStart === start) return;
  // `[pid]`: the first `[` of the tag, then 1-10 digits up to `]: `
  let open = tagStart;
  while (open < e && buf[open] !== LBRACKET) open++;
  if (open >= e || e - open - 1 < 1 || e - open - 1 > 10 || !digits(buf, open + 1, e)) return;
  // the program: the last `/` component; a counted one, or nothing to do
  let slash = open - 1;
  while (slash >= tagStart && buf[slash] !== SLASH) slash--;
  if (slash < tagStart) return;
  const plen = open - slash - 1;
  const cands = PROGRAMS[plen];
  if (cands === undefined) return;
  let program: string | undefined;
  for (const c of cands) if (bytesAt(buf, slash + 1, c.bytes)) program = c.name;
  if (program === undefined) return;
  // `QID: ` or `NOQUEUE: ` (the first `: ` of the message; an id has at most 24 characters)
  const msg = e + 3;
  let colon = msg;
  const colonMax = Math.min(end - 1, msg + 25);
  while (colon < colonMax && !(buf[colon] === COLON && buf[colon + 1] === SP)) colon++;
  let queue: 'id' | 'noqueue' | 'none' = 'none';
  if (colon < colonMax) {
    if (colon - msg === 7 && bytesAt(buf, msg, NOQUEUE)) queue = 'noqueue';
    else if (isQueueIdAt(buf, msg, colon)) queue = 'id';
  }
  let text: number;
  if (queue === 'none') {
    // smtpd's `connect from` / `disconnect from` only end a pending HOLD/DISCARD mark: with none
    // pending they change nothing, and most lines of a log are these
    if (program !== 'smtpd' || !state.hasMarks || !startsSession(buf, msg, end)) return;
    text = msg;
  } else {
    // the text must start like some rule's pattern
    text = colon + 2;
    if (text >= end) return;
    const prefixes = PREFIXES_BY_BYTE[buf[text]!];
    if (prefixes === undefined) return;
    let known = false;
    for (const p of prefixes) if (text + p.length <= end && bytesAt(buf, text, p)) known = true;
    if (!known) return;
  }
  // now the rest of the header: the syslog name and components, the timestamp and host
  let parts = 1;
  for (let i = tagStart; i < open; i++) if (buf[i] === SLASH) parts++;
  if (parts > 4) return;
  let serviceStart = -1;
  let p = tagStart;
  for (let k = 0; k < parts; k++) {
    let q = p;
    while (q < open && buf[q] !== SLASH) q++;
    if (k === 0) {
      if (q - p < 7 || q - p > 39 || !bytesAt(buf, p, POSTFIX)) return;
      for (let i = p + 7; i < q; i++) if ((CLASS[buf[i]!]! & NAMECH) === 0) return;
    } else {
      if (q - p < 1 || q - p > 64 || (CLASS[buf[p]!]! & ALNUM) === 0) return;
      for (let i = p + 1; i < q; i++) if ((CLASS[buf[i]!]! & NAMECH) === 0) return;
      if (k === parts - 2) serviceStart = p;
    }
    p = q + 1;
  }
  if (!timestampAndHost(buf, start, tagStart - 1)) return;
  const service = parts > 2 ? latin1(buf, serviceStart, slash) : '';
  const qid = queue === 'id' ? latin1(buf, msg, colon) : queue === 'noqueue' ? null : undefined;
  apply(program, service, latin1(buf, open + 1, e), qid, latin1(buf, text, end), state, out, opts);
}

const CONNECT = Buffer.from('connect from ', 'latin1');
const DISCONNECT = Buffer.from('disconnect from ', 'latin1');

/** rules.ts's session rule, /^(?:dis)?connect from /, on [p, end). */
function startsSession(buf: Uint8Array, p: number, end: number): boolean {
  return (p + CONNECT.length <= end && bytesAt(buf, p, CONNECT)) || (p + DISCONNECT.length <= end && bytesAt(buf, p, DISCONNECT));
}

/** names.ts isQueueId on [a, b): short (hex) or long queue id. */
function isQueueIdAt(buf: Uint8Array, a: number, b: number): boolean {
  const n = b - a;
  if (n < 6 || n > 24) return false;
  let all = HEXUP | LONGID;
  for (let i = a; i < b; i++) all &= CLASS[buf[i]!]!;
  return ((all & HEXUP) !== 0 && n <= 16) || ((all & LONGID) !== 0 && n >= 10);
}
