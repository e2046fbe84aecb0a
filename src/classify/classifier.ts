// The classifier as the pipeline calls it, bound to its options: a raw syslog line, or a record whose
// fields a source already knows (the journal).
import type { Counters } from '../counters/counters.js';
import type { LogRecord } from '../syslog/record.js';
import { stepBytes } from './fast.js';
import type { QueueState } from './queue.js';
import type { ClassifyOptions } from './step.js';

export interface Classifier {
  line(state: QueueState, buf: Buffer, start: number, end: number, out: Counters): void;
  record(state: QueueState, r: LogRecord, out: Counters): void;
}

export function classifier(opts: ClassifyOptions): Classifier {
  return {
    line: (state, buf, start, end, out) => stepBytes(state, buf, start, end, out, opts),
    record: () => {
      throw new Error('no source hands over records yet');
    },
  };
}
