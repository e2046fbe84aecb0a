// A log file as a Source: the follower reads it across rotations, a directory watch (with a poll
// behind it) says when to read again, and the follower's cursor is the checkpoint.
import type { Source, SourceSink } from '../source.js';
import { isCursor } from './cursor.js';
import { Follower } from './follower.js';
import { Waker } from './waker.js';

export interface FileSourceOptions {
  readonly path: string;
  /** Longest line handed over; longer ones are skipped and reported. */
  readonly maxLine: number;
  /** See FollowOptions.rotateWaitMs. */
  readonly rotateWaitMs: number;
  /** Re-check the file at least this often when no change was signalled. */
  readonly pollMs: number;
}

export class FileSource implements Source {
  private readonly follower: Follower;
  private readonly waker: Waker;

  /** `checkpoint`: what checkpoint() gave before (null or anything else: a first start). */
  constructor(opts: FileSourceOptions, sink: SourceSink, checkpoint: unknown) {
    const line = sink.line.bind(sink);
    this.follower = new Follower(
      { path: opts.path, maxLine: opts.maxLine, rotateWaitMs: opts.rotateWaitMs, onLine: line, onEvent: (ev, d) => sink.event(ev, d) },
      isCursor(checkpoint) ? checkpoint : null,
    );
    this.waker = new Waker(opts.path, opts.pollMs);
  }

  poll(budget?: number): Promise<number> {
    return this.follower.poll(budget);
  }

  checkpoint(): unknown {
    return this.follower.cursor();
  }

  atEnd(): boolean {
    return true;
  }

  wait(ms: number): Promise<void> {
    return this.waker.wait(ms);
  }

  interrupt(): void {
    this.waker.interrupt();
  }

  close(): void {
    this.follower.close();
    this.waker.close();
  }
}
