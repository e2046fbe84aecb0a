// The loop: read, classify, commit, and wait for more when caught up, until `stop` is aborted (or,
// with `once`, until the source is read to its end); then commit what is left and close.
import type { Pipeline } from './pipeline.js';
import { SourceFailed } from '../source/source.js';

export interface RunOptions {
  readonly once: boolean;
  /** Re-check the source at least this often when idle. */
  readonly pollMs: number;
  readonly stop: AbortSignal;
}

/** Resolves false when the last commit failed (its records are read again at the next start). */
export async function run(p: Pipeline, o: RunOptions): Promise<boolean> {
  const wake = () => p.source.interrupt();
  o.stop.addEventListener('abort', wake);
  try {
    while (!o.stop.aborted) {
      const n = await p.poll();
      if (n === 0) {
        if (o.once && p.source.atEnd()) break;
        await p.source.wait(Math.min(o.pollMs, p.commitDueIn(true) ?? o.pollMs, p.daysDueIn() ?? o.pollMs));
      } else {
        // A backlog resolves every read at once: without a turn of the event loop, SIGTERM would
        // wait for its end (measured: 2.8 s on a 2M-line log).
        await new Promise((r) => setImmediate(r));
      }
    }
  } catch (e) {
    // what was read before the source failed is committed: the next run goes on after it
    if (e instanceof SourceFailed) await p.close();
    throw e;
  } finally {
    o.stop.removeEventListener('abort', wake);
  }
  return p.close();
}
