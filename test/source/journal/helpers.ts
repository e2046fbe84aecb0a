// Driving a JournalSource in tests: a sink that keeps copies of what it is handed, and bounded loops
// that wait on what was handed over, never on time alone.
import { expect } from 'vitest';
import { JournalSource, type JournalSourceOptions } from '../../../src/source/journal/journal-source.js';
import type { SourceEvent, SourceSink } from '../../../src/source/source.js';
import type { LogRecord } from '../../../src/syslog/record.js';

export interface Got {
  time: number;
  host: string;
  ident: string;
  pid: string;
  message: Buffer;
}

export class CollectSink implements SourceSink {
  readonly records: Got[] = [];
  readonly events: Array<{ kind: SourceEvent; detail: string }> = [];
  line(): void {
    throw new Error('the journal source hands over records, not lines');
  }
  record(r: LogRecord): void {
    const s = (a: number, b: number): string => r.buf.toString('utf8', a, b);
    this.records.push({ time: r.time, host: s(r.hostStart, r.hostEnd), ident: s(r.identStart, r.identEnd), pid: s(r.pidStart, r.pidEnd), message: Buffer.from(r.buf.subarray(r.msgStart, r.msgEnd)) });
  }
  event(kind: SourceEvent, detail: string): void {
    this.events.push({ kind, detail });
  }
}

export function source(opts: Partial<JournalSourceOptions> & Pick<JournalSourceOptions, 'scope'>, sink: SourceSink, checkpoint: unknown = null): JournalSource {
  return new JournalSource({ log: () => {}, ...opts }, sink, checkpoint);
}

/** Polls until `done()` or `ms` pass (then fails); polls once more after, so extra records would show. */
export async function pollUntil(s: JournalSource, done: () => boolean, ms = 20_000, budget?: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) expect.fail(`not reached within ${ms} ms`);
    if ((await s.poll(budget)) === 0) await s.wait(50);
  }
}

/** A source that does not follow, read to its end. */
export async function readAll(s: JournalSource, budget?: number): Promise<void> {
  for (let i = 0; i < 1_000_000; i++) {
    if ((await s.poll(budget)) > 0) continue;
    if ((s as unknown as { finished: boolean }).finished) return;
    await s.wait(50);
  }
  expect.fail('never finished');
}
