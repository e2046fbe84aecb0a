// The second half's result joined onto the first half's final state, or refused: a split read is
// used only when it provably gives what one read in order gives. Checked before anything changes:
// the first half ended with no NOQUEUE mark (the second assumed none), the year clock of classic
// time stamps would have placed the second half's first one alike, and neither state could have
// evicted a queue id. Then the deferred lines replay in their order, and the second half's counts
// and facts (sums and maxima, which any order adds alike) are added to the first half's history.
import type { Classifier } from '../../classify/classifier.js';
import { MAX_MARKS, type QueueState } from '../../classify/queue.js';
import type { Counters } from '../../counters/counters.js';
import type { History } from '../../history/pending.js';
import { emptyRecord, tokenize } from '../../syslog/tokenize.js';
import { YearClock, samePosition } from '../../syslog/year.js';
import type { SecondHalfResult } from './second-half.js';

export interface FirstHalf {
  readonly state: QueueState;
  readonly clock: YearClock;
  readonly classify: Classifier;
  readonly counters: Counters;
  readonly history: History;
}

/** Why `b` cannot follow `a`'s state; null when it can. Changes nothing. */
export function refusal(a: FirstHalf, b: SecondHalfResult): string | null {
  if (b.bailed !== null) return b.bailed;
  if (a.state.hasMarks) return 'the first half ended with a NOQUEUE mark pending';
  if (a.state.evictions > 0 || b.evictions > 0) return 'a half evicted queue ids or marks';
  if (a.state.size + b.peak + b.deferredEnds.length > a.state.capacity) return 'the whole log could have evicted queue ids';
  if (b.first !== null) {
    const probe = YearClock.resumed(a.clock.position);
    const t = probe.hourStart(b.first.month, b.first.day, b.first.hour);
    if (!Object.is(t, b.first.result) || !samePosition(probe.position, b.first.after)) return "the second half's year differs";
  }
  return null;
}

/**
 * Replays `b`'s deferred lines on `a`'s state and adds `b`'s history to `a`'s. Returns null, or why the
 * result may differ from a read in order after all (marks evicted): `a` is then spoilt.
 */
export function join(a: FirstHalf, b: SecondHalfResult): string | null {
  const rec = emptyRecord();
  // Deferred lines keep the time the second half read them with (its year checked by refusal());
  // this clock only lets tokenize() run.
  const scratch = new YearClock();
  const bytes = Buffer.from(b.deferredBytes.buffer, b.deferredBytes.byteOffset, b.deferredBytes.length);
  const evictions = a.state.evictions;
  let marks = 0;
  let start = 0;
  for (let i = 0; i < b.deferredEnds.length; i++) {
    const end = b.deferredEnds[i]!;
    if (!tokenize(bytes, start, end, rec, scratch)) throw new Error('a deferred line no longer tokenizes');
    rec.time = b.deferredTimes[i]!;
    a.classify.record(a.state, rec, a.counters);
    if (a.state.marksHeld > marks) marks = a.state.marksHeld;
    start = end;
  }
  if (a.state.evictions !== evictions) return 'the replay evicted';
  // the second half's marks and the replay's were held apart; together they might have been too many
  if (marks + b.peakMarks > MAX_MARKS) return 'the whole log could have evicted NOQUEUE marks';
  a.history.restore(b.pending);
  if (b.newest > a.history.newest) a.history.newest = b.newest;
  return null;
}
