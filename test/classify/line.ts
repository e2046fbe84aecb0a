// The production path for a test's text line: tokenize, then classify, as the engine does.
import { classify, NO_FILTERS, type ClassifyOptions, type Sink } from '../../src/classify/classify.js';
import type { QueueState } from '../../src/classify/queue.js';
import { emptyRecord, tokenize } from '../../src/syslog/tokenize.js';
import { YearClock } from '../../src/syslog/year.js';

const record = emptyRecord();
const clock = new YearClock();

/** Bytes [start, end) of buf (the whole buffer by default), or a string read as latin1. */
export function classifyLine(state: QueueState, line: string | Buffer, out: Sink, opts: ClassifyOptions = NO_FILTERS, start = 0, end?: number): void {
  const buf = typeof line === 'string' ? Buffer.from(line, 'latin1') : line;
  if (tokenize(buf, start, end ?? buf.length, record, clock)) classify(state, record, out, opts);
}
