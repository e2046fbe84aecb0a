// The time stamps Postfix logs come with, read from bytes: RFC 3339 (rsyslog's file format, exact,
// with its offset) and the classic syslog / postlogd forms, local time of a year the YearClock infers.
// Each returns -1 when the bytes are not that form (the line is no syslog line), and sets NaN when
// they are but name no real time (hour 25, Feb 30): the form is what decides whether a line counts.
// Digits are validated and read in the same step: this runs on every line.
import { CLASS, COLON, DIGIT, DOT, SP } from './bytes.js';
import type { YearClock } from './year.js';

const DASH = 0x2d;
const PLUS = 0x2b;
const T = 0x54;
const Z = 0x5a;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Month index + 1 by its three bytes, hashed into a small table (0: no month). */
const MONTH_TABLE = new Uint8Array(1024);
const monthHash = (a: number, b: number, c: number): number => ((a << 5) ^ (b << 2) ^ c) & 1023;
MONTHS.forEach((m, i) => {
  const h = monthHash(m.charCodeAt(0), m.charCodeAt(1), m.charCodeAt(2));
  if (MONTH_TABLE[h] !== 0) throw new Error('month hash collision');
  MONTH_TABLE[h] = i + 1;
});

/** The month (0-11) named by the 3 bytes at p, or -1. */
function monthAt(buf: Uint8Array, p: number): number {
  const m = MONTH_TABLE[monthHash(buf[p]!, buf[p + 1]!, buf[p + 2]!)]! - 1;
  if (m < 0) return -1;
  const name = MONTHS[m]!;
  return buf[p] === name.charCodeAt(0) && buf[p + 1] === name.charCodeAt(1) && buf[p + 2] === name.charCodeAt(2) ? m : -1;
}

/** The two digits at p as a number, or -1. */
function d2(buf: Uint8Array, p: number): number {
  const a = buf[p]! - 0x30, b = buf[p + 1]! - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `hh:mm:ss` at p (8 bytes, within bounds checked by the caller) in ms, NaN out of range, -1 not that form. */
function hms(buf: Uint8Array, p: number): number {
  const h = d2(buf, p), m = d2(buf, p + 3), s = d2(buf, p + 6);
  if (h < 0 || m < 0 || s < 0 || buf[p + 2] !== COLON || buf[p + 5] !== COLON) return -1;
  return h > 23 || m > 59 || s > 60 ? NaN : ((h * 60 + m) * 60 + s) * 1000; // :60, a leap second, is kept
}

/** Reads `(\.\d{1,9})?` at p into `frac` (whole ms): the position after it, or -1 when malformed. */
const frac = { ms: 0 };
function fraction(buf: Uint8Array, p: number, end: number): number {
  frac.ms = 0;
  if (p >= end || buf[p] !== DOT) return p;
  let q = p + 1;
  let ms = 0;
  while (q < end && (CLASS[buf[q]!]! & DIGIT) !== 0) {
    if (q < p + 4) ms = ms * 10 + buf[q]! - 0x30;
    q++;
  }
  const n = q - p - 1;
  if (n < 1 || n > 9) return -1;
  for (let i = n; i < 3; i++) ms *= 10;
  frac.ms = ms;
  return q;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12), for any year. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const monthDays = (y: number, m: number): number => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : 30 + ((m + (m >> 3)) & 1));

/**
 * `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)` from a: sets out.time (UTC ms) and
 * returns where it ends, or -1.
 */
export function rfc3339(buf: Uint8Array, a: number, end: number, out: { time: number }): number {
  if (a + 20 > end) return -1;
  const c = d2(buf, a), y2 = d2(buf, a + 2), mo = d2(buf, a + 5), d = d2(buf, a + 8);
  if (c < 0 || y2 < 0 || mo < 0 || d < 0 || buf[a + 4] !== DASH || buf[a + 7] !== DASH || buf[a + 10] !== T) return -1;
  const clock = hms(buf, a + 11);
  if (clock === -1) return -1;
  let p = fraction(buf, a + 19, end);
  if (p < 0 || p >= end) return -1;
  let offsetMin = 0;
  if (buf[p] === Z) {
    p++;
  } else {
    // `+01:00` (RFC 3339: rsyslog, syslog-ng) or `+0100` (ISO 8601's basic form: journalctl -o short-iso)
    if (p + 5 > end || (buf[p] !== PLUS && buf[p] !== DASH)) return -1;
    const colon = buf[p + 3] === COLON ? 1 : 0;
    if (p + 5 + colon > end) return -1;
    const oh = d2(buf, p + 1), om = d2(buf, p + 3 + colon);
    if (oh < 0 || om < 0) return -1;
    offsetMin = oh > 23 || om > 59 ? NaN : (buf[p] === DASH ? -1 : 1) * (oh * 60 + om);
    p += 5 + colon;
  }
  const y = c * 100 + y2;
  out.time = mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo) ? NaN : daysFromCivil(y, mo, d) * DAY_MS + clock + frac.ms - offsetMin * 60_000;
  return p;
}

/**
 * `Mon +\d{1,2} +\d\d:\d\d:\d\d(\.\d{1,9})?` from a (the classic and postlogd forms): sets out.time,
 * local ms in the year `clock` infers, and returns where it ends, or -1.
 */
export function classic(buf: Uint8Array, a: number, end: number, out: { time: number }, clock: YearClock): number {
  if (a + 4 > end || buf[a + 3] !== SP) return -1;
  const month = monthAt(buf, a);
  if (month < 0) return -1;
  let p = a + 4;
  while (p < end && buf[p] === SP) p++;
  if (p >= end || (CLASS[buf[p]!]! & DIGIT) === 0) return -1;
  let day = buf[p++]! - 0x30;
  if (p < end && (CLASS[buf[p]!]! & DIGIT) !== 0) day = day * 10 + buf[p++]! - 0x30;
  if (p >= end || buf[p] !== SP) return -1;
  while (p < end && buf[p] === SP) p++;
  if (p + 8 > end) return -1;
  const ms = hms(buf, p);
  if (ms === -1) return -1;
  const hour = d2(buf, p);
  const q = fraction(buf, p + 8, end);
  if (q < 0) return -1;
  out.time = clock.hourStart(month, day, hour) + (ms - hour * HOUR_MS) + frac.ms;
  return q;
}
