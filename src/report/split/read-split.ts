// One file read as two halves: the second started on its thread, the first read here, then the join
// or, when refused, the second half read here after the first, in order. The caller owns the first
// half's state and history; this only sequences the halves and says how it went.
import { join, refusal, type FirstHalf } from './join.js';
import { runSecondHalf, type HalfJob } from './run-half.js';
import { threadCpuMs } from './second-half.js';
import type { Form } from '../input-form.js';

export interface SplitRead {
  readonly job: HalfJob;
  /** Run the second half on this thread after the first (tests). */
  readonly inThread: boolean;
  readonly first: FirstHalf;
  /** Reads bytes [from, to) of the file into the first half's lines (to undefined: to its end). */
  readonly read: (from: number | undefined, to: number | undefined) => Promise<void>;
  /** Moves the pending history into the store. */
  readonly flush: () => void;
  /** Whether some table reached its row cap: which rows it keeps follows the order rows came, which a split changes. */
  readonly capped: () => boolean;
}

export interface SplitOutcome {
  /** 'joined', or why the second half was read in order (or must be). */
  readonly outcome: string;
  /** The first half's state is spoilt: the whole file must be read again, in order. */
  readonly redo: boolean;
  /** The second thread's input form; null when the second half was read here, in order, into the first's. */
  readonly second: Form | null;
}

export async function readSplit(r: SplitRead): Promise<SplitOutcome> {
  const t0 = performance.now();
  const c0 = threadCpuMs();
  const second = runSecondHalf(r.job, r.inThread);
  try {
    await r.read(undefined, r.job.start);
  } catch (e) {
    second.stop(); // the first half's error is the report's: the second thread must not outlive it
    throw e;
  }
  const t1 = performance.now();
  const c1 = threadCpuMs();
  const b = await second.result.catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const t2 = performance.now();
  const refused = typeof b === 'string' ? b : refusal(r.first, b);
  if (refused === null && typeof b !== 'string') {
    const spoilt = join(r.first, b);
    r.flush();
    const again = spoilt ?? (r.capped() ? 'a table reached its row cap' : null);
    // where a split read's time goes (bench and tuning): the first half, the wait for the second, the join
    if (process.env.POSTFIX_STATS_SPLIT_TRACE)
      process.stderr.write(`split: ${again ?? 'joined'} at byte ${r.job.start}: first half ${Math.round(t1 - t0)} ms (CPU ${Math.round(c1 - c0)} ms), waited ${Math.round(t2 - t1)} ms for the second (its thread's CPU ${Math.round(b.cpuMs)} ms), join ${Math.round(performance.now() - t2)} ms, ${b.deferredEnds.length} lines deferred\n`);
    return again === null ? { outcome: 'joined', redo: false, second: b.form } : { outcome: again, redo: true, second: b.form };
  }
  if (process.env.POSTFIX_STATS_SPLIT_TRACE) process.stderr.write(`split: refused at byte ${r.job.start}: ${refused}\n`);
  // refused before anything changed: the second half is read here, in order, after the first
  await r.read(r.job.start, undefined);
  r.flush();
  return { outcome: refused ?? 'refused', redo: false, second: null };
}
