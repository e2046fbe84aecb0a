// A parsed export entry as the LogRecord the classifier reads: the spans point into the entry's own
// buffer, no text line is made. Field indexes are those of ENTRY_FIELDS.
import type { LogRecord } from '../../syslog/record.js';
import type { ExportEntry } from './export-parser.js';

export const ENTRY_FIELDS = ['__CURSOR', '__REALTIME_TIMESTAMP', '_HOSTNAME', 'SYSLOG_IDENTIFIER', 'SYSLOG_PID', '_PID', 'MESSAGE'] as const;
export const F_CURSOR = 0;
export const F_REALTIME = 1;
export const F_HOST = 2;
export const F_IDENT = 3;
export const F_SYSLOG_PID = 4;
export const F_PID = 5;
export const F_MESSAGE = 6;

export function present(e: ExportEntry, f: number): boolean {
  return e.start[f]! >= 0;
}

/** Fills `r` from `e`. An absent field is an empty span; an absent or bad time is NaN. */
export function toRecord(e: ExportEntry, r: LogRecord): LogRecord {
  r.buf = e.buf;
  r.time = micros(e) / 1000;
  [r.hostStart, r.hostEnd] = span(e, F_HOST);
  [r.identStart, r.identEnd] = span(e, F_IDENT);
  // SYSLOG_PID is what the program said (Postfix's own pid); _PID is the sender's, set by journald
  [r.pidStart, r.pidEnd] = span(e, present(e, F_SYSLOG_PID) ? F_SYSLOG_PID : F_PID);
  [r.msgStart, r.msgEnd] = span(e, F_MESSAGE);
  return r;
}

export function newRecord(): LogRecord {
  return { buf: Buffer.alloc(0), time: NaN, hostStart: 0, hostEnd: 0, identStart: 0, identEnd: 0, pidStart: 0, pidEnd: 0, msgStart: 0, msgEnd: 0 };
}

function span(e: ExportEntry, f: number): [number, number] {
  const s = e.start[f]!;
  return s < 0 ? [0, 0] : [s, e.end[f]!];
}

function micros(e: ExportEntry): number {
  const s = e.start[F_REALTIME]!;
  const end = e.end[F_REALTIME]!;
  if (s < 0 || end === s || end - s > 17) return NaN;
  let v = 0;
  for (let i = s; i < end; i++) {
    const d = e.buf[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}
