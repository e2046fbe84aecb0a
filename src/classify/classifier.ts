// The classifier as the pipeline calls it, bound to its options: a raw syslog line is tokenized into
// a record first; a record a source already cut up (the journal) is classified as it is. With
// `maxHosts` (--per-host) every count also goes to the record's host, and all state is per host.
import { latin1, spanIs } from '../syslog/bytes.js';
import { SELF, type Counters } from '../counters/counters.js';
import { PerHost } from '../counters/hosts.js';
import type { LogRecord } from '../syslog/record.js';
import { emptyRecord, tokenize } from '../syslog/tokenize.js';
import { YearClock } from '../syslog/year.js';
import { classify, type ClassifyOptions } from './classify.js';
import type { QueueState } from './queue.js';

export interface Classifier {
  /** Returns whether the line was a Postfix line (a record), counted or not. */
  line(state: QueueState, buf: Buffer, start: number, end: number, out: Counters): boolean;
  record(state: QueueState, r: LogRecord, out: Counters): void;
}

/** `clock`: the year clock of the log's classic time stamps, given by a caller that needs to see its position. */
export function classifier(opts: ClassifyOptions, perHost?: { readonly maxHosts: number }, clock: YearClock = new YearClock()): Classifier {
  const rec = emptyRecord();
  // The year of a traditional time stamp follows the log it is read from (see year.ts).
  if (perHost === undefined) {
    // Without --per-host all records share one state, right for one host only: a record of another
    // host is counted in self:mixed_hosts, so a central log read this way does not look right.
    const first = new FirstHost();
    const mixed = (r: LogRecord, out: Counters) => {
      if (!opts.stateByHost && first.other(r.buf, r.hostStart, r.hostEnd)) out.add(SELF.mixedHosts);
    };
    return {
      line: (state, buf, start, end, out) => {
        if (!tokenize(buf, start, end, rec, clock)) return false;
        mixed(rec, out);
        out.at(rec.time);
        classify(state, rec, out, opts);
        return true;
      },
      record: (state, r, out) => (mixed(r, out), out.at(r.time), classify(state, r, out, opts)),
    };
  }
  const byHost: ClassifyOptions = { ...opts, stateByHost: true };
  let hosts: PerHost | null = null;
  const counted = (state: QueueState, r: LogRecord, out: Counters) => {
    hosts ??= new PerHost(out, perHost.maxHosts);
    hosts.at(latin1(r.buf, r.hostStart, r.hostEnd));
    out.at(r.time);
    classify(state, r, hosts, byHost);
  };
  return {
    line: (state, buf, start, end, out) => {
      if (!tokenize(buf, start, end, rec, clock)) return false;
      counted(state, rec, out);
      return true;
    },
    record: counted,
  };
}

/** The first record's host, by its bytes; whether a later record's is another. */
class FirstHost {
  private bytes: Uint8Array | null = null;

  other(buf: Buffer, a: number, b: number): boolean {
    if (this.bytes !== null) return !spanIs(buf, a, b, this.bytes);
    this.bytes = Buffer.from(buf.subarray(a, b));
    return false;
  }
}
