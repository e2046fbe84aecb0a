// A syslog line of a Postfix daemon cut into the spans of a LogRecord, in one forward pass over its
// header, each byte read about once and nothing decoded: the time stamp, the host, then the tag,
// which must be a Postfix identifier and a numeric pid ending in the line's first `]: `. The header is
// located by structure rather than by substring search, so text quoted inside a message (a Subject:
// header, a hostile HELO) can never pose as a Postfix tag.
import { CLASS, COLON, CR, DIGIT, LBRACKET, RBRACKET, SP } from './bytes.js';
import { identEnd } from './ident.js';
import type { LogRecord } from './record.js';
import { classic, rfc3339 } from './timestamp.js';
import { YearClock } from './year.js';

const MAX_PID = 10;

/**
 * Fills `out` from the line [start, end) of `buf` (without its newline; one CR before the end is
 * dropped, as relays and collectors that write CRLF add it) and returns true, or returns false
 * (`out` then holds garbage) for anything but a Postfix line in one of the three time stamp forms:
 * `Nov 22 04:01:45 host`, `2026-11-22T04:01:45.018437+00:00 host`, `Nov 22 04:01:45.018437 host`.
 * Tokens are separated by one or more spaces.
 */
export function tokenize(buf: Buffer, start: number, end: number, out: LogRecord, clock: YearClock): boolean {
  if (end > start && buf[end - 1] === CR) end--;
  const tag = stampAndHost(buf, start, end, out, clock);
  if (tag < 0) return false;
  const open = identEnd(buf, tag, end, null);
  if (open < 0 || open >= end || buf[open] !== LBRACKET) return false;
  let close = open + 1;
  while (close < end && (CLASS[buf[close]!]! & DIGIT) !== 0) close++;
  if (close - open - 1 < 1 || close - open - 1 > MAX_PID) return false;
  if (close + 3 > end || buf[close] !== RBRACKET || buf[close + 1] !== COLON || buf[close + 2] !== SP) return false;
  out.buf = buf;
  out.identStart = tag;
  out.identEnd = open;
  out.pidStart = open + 1;
  out.pidEnd = close;
  out.msgStart = close + 3;
  out.msgEnd = end;
  return true;
}

/**
 * A syslog header's time stamp and host, the start of every line any program logs: fills the time
 * and the host's span and returns where the tag starts, or -1.
 */
function stampAndHost(buf: Buffer, start: number, end: number, out: Pick<LogRecord, 'time' | 'hostStart' | 'hostEnd'>, clock: YearClock): number {
  let p = start;
  while (p < end && buf[p] === SP) p++;
  if (p >= end) return -1;
  p = (CLASS[buf[p]!]! & DIGIT) !== 0 ? rfc3339(buf, p, end, out) : classic(buf, p, end, out, clock);
  if (p < 0 || p >= end || buf[p] !== SP) return -1;
  while (p < end && buf[p] === SP) p++;
  const host = p;
  while (p < end && buf[p] !== SP) p++;
  // a host ending in `]:` holds the line's first `]: `: the tag would be the host
  if (p >= end || (buf[p - 1] === COLON && buf[p - 2] === RBRACKET && p - host >= 2)) return -1;
  out.hostStart = host;
  out.hostEnd = p;
  while (p < end && buf[p] === SP) p++;
  return p;
}

/** The year clock of startsLikeSyslog's probes: the year of what it finds does not matter. */
const PROBE_CLOCK = new YearClock();
const probe = { time: 0, hostStart: 0, hostEnd: 0 };

/**
 * Whether the line [start, end) is a syslog line of any program in a form tokenize() reads: a time
 * stamp of the three forms, a host, and a tag ending in `:` (`dovecot[99]:`, `kernel:`). So a mail
 * log of other programs' lines tells apart from text in another form, whose time stamp may read but
 * whose host and tag do not (`docker logs -t`'s prefix, busybox syslogd's `host mail.info tag:`).
 */
export function startsLikeSyslog(buf: Buffer, start: number, end: number): boolean {
  const tag = stampAndHost(buf, start, end, probe, PROBE_CLOCK);
  if (tag < 0) return false;
  let p = tag;
  while (p < end && buf[p] !== SP) p++;
  return p - tag >= 2 && buf[p - 1] === COLON;
}

/** A record to fill again and again (tokenize() writes every field). */
export function emptyRecord(): LogRecord {
  return { buf: Buffer.alloc(0), time: NaN, hostStart: 0, hostEnd: 0, identStart: 0, identEnd: 0, pidStart: 0, pidEnd: 0, msgStart: 0, msgEnd: 0 };
}
