// Where a log is cut for two threads, and the second half run on its own thread (or, for tests, in
// this one). Only a plain file worth it is cut: standard input and gzip can only be read in order.
import { closeSync, readSync } from 'node:fs';
import { openPlain, plainChunks } from '../read-input.js';
import { availableParallelism, loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../worker/spawn.js';
import type { ClassifyOptions } from '../../classify/classify.js';
import { SecondHalf, type SecondHalfResult } from './second-half.js';

export interface HalfJob {
  readonly path: string;
  /** The first byte of the second half: the start of a line. */
  readonly start: number;
  readonly tz: string;
  readonly opts: ClassifyOptions;
  readonly maxLine: number;
}

/** Below this a second thread's start-up and the join cost more than the half they save. */
export const MIN_SPLIT_BYTES = 16 << 20;
/**
 * Where the cut falls by default, as a share of the bytes before it: the second half costs about a
 * third more per line (its state checks every key, buffers each line's counts, defers what it cannot
 * know) and starts a thread, and the first half also replays the deferred lines, so the first takes
 * more. At 0.56 the first half of the bench's 2M-line log waited 80-225 ms for the second.
 */
const FIRST_SHARE = 0.58;
/** How far past the middle a cut looks for a line's end (longer lines are skipped by the reader anyway). */
const SEEK = 1 << 17;

/**
 * The byte where the second half starts, just after a newline near `at` (default: FIRST_SHARE); null
 * when the file is not to be cut (too small, gzip, one core, no newline near the middle).
 */
export function cutOf(path: string, at?: number): number | null {
  // POSTFIX_STATS_REPORT_SPLIT: `off` never, `on` whatever the load (measurements, tests)
  const mode = process.env.POSTFIX_STATS_REPORT_SPLIT;
  if (mode === 'off') return null;
  const file = openPlain(path);
  if (file === null) return null;
  const { fd, size } = file;
  try {
    if (at === undefined && (size < MIN_SPLIT_BYTES || availableParallelism() < 2 || (mode !== 'on' && !coreToSpare()))) return null;
    const from = at ?? Math.floor(size * FIRST_SHARE);
    if (from <= 0 || from >= size) return null;
    const buf = Buffer.alloc(Math.min(SEEK, size - from + 1));
    // the byte before `from` too: a cut right after a newline is a line start already
    const n = readSync(fd, buf, 0, buf.length, from - 1);
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl < 0 || from + nl >= size) return null;
    return from + nl;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a second thread would find a core: measured on this 2-core machine at a load of 6-7, the
 * split read took 1.4x the CPU and longer than one thread, so it is only tried when the last minute
 * left a core idle on average.
 */
function coreToSpare(): boolean {
  return loadavg()[0]! <= availableParallelism() - 1;
}

/** The second half on a worker thread; `inThread` (tests) runs it here, in order, instead. */
export function runSecondHalf(job: HalfJob, inThread = false): { result: Promise<SecondHalfResult>; stop(): void } {
  if (inThread) return { result: Promise.resolve(readHalf(job)), stop() {} };
  let worker: Worker;
  try {
    // no inherited flags: `node --input-type=module -e` would make the worker's own start fail
    worker = spawnWorker(new URL('./worker.js', import.meta.url), 'report-split-worker.cjs', { workerData: job, execArgv: [] });
  } catch (e) {
    // no thread (a bundle without worker.js beside it, a resource limit): the file is read in order
    return handled({ result: Promise.reject(e as Error), stop() {} });
  }
  const result = new Promise<SecondHalfResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the second half's thread exited with ${code}`)));
  });
  return handled({ result, stop: () => void worker.terminate() });
}

/**
 * The caller awaits the result only after reading the first half: a thread that fails before then
 * must not be an unhandled rejection (which ends the process); the caller still sees the error.
 */
function handled<T extends { result: Promise<unknown> }>(h: T): T {
  h.result.catch(() => {});
  return h;
}

/** Reads the second half of the job's file on the calling thread. */
export function readHalf(job: HalfJob): SecondHalfResult {
  const half = new SecondHalf(job.tz, job.opts, job.maxLine);
  const chunks = plainChunks(job.path, { start: job.start });
  if (chunks === null) throw new Error(`${job.path} is no longer a plain file`);
  for (const chunk of chunks) if (!half.push(chunk)) break;
  return half.finish();
}
