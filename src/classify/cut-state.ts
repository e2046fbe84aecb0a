// The queue state of the second half of a log cut in two (a report read by two threads). It starts
// empty, without the first half's messages and smtpd processes, so a line is applied here only when
// its effect cannot depend on them; every other line is deferred, to be replayed in order after the
// first half's final state (src/report/split/join.ts). The rule, per key (a queue id, an smtpd
// process's mark key):
//  - a queue id is known here once a line of this half began it (`client=`, a bounce's first line):
//    its entry here is then the whole truth, absence included. Any other use of an unknown id defers.
//  - once one line of a key is deferred, every later line of that key is deferred too, so the key's
//    lines replay in their log order.
//  - marks (a NOQUEUE hold/discard pending on an smtpd process) are assumed absent at the cut; the
//    join checks that the first half ended with none, else the split is not used.
// A line found to need deferring only once its effect has begun to change state cannot be taken
// back: the half then gives up (BAIL) and the caller reads it in order instead. Never a wrong count.
import { markKey, newEntry, QueueState, type Entry } from './queue.js';

/** Thrown from a state access that only the first half could answer, before this line changed anything. */
export const DEFER = { deferred: true } as const;
/** Thrown when a line turns out to need the first half after it already changed this state. */
export const BAIL = { bail: true } as const;

/** What a removed queue id's entry becomes. */
const GONE: Entry = newEntry(-1);

export class CutState extends QueueState {
  /**
   * Queue ids this half began are those in `entries`: a removed one stays there as GONE, since its
   * absence is known here too (a Set of removed ids beside the Map cost a tenth of this half's time).
   */
  private tombs = 0;
  private readonly deferredIds = new Set<string>();
  private readonly deferredMarks = new Set<string>();
  /** The current line's keys (admits() sees them before any effect runs); its mark key is made on demand. */
  private lineQid: string | null | undefined;
  private lineProgram = '';
  private lineService = '';
  private linePid = '';
  /** The current line changed this state: a deferral is no longer possible. */
  private changed = false;
  /** The current line was deferred. */
  lineDeferred = false;
  /** Most queue ids and marks held at once: the join checks the whole log's state would not have evicted. */
  peak = 0;
  peakMarks = 0;

  /** No capacity: nothing is evicted here; the join checks the whole log's state would not have. */
  constructor() {
    super(Number.MAX_SAFE_INTEGER, false);
  }

  /** Called before each line is classified. */
  startLine(): void {
    this.changed = false;
    this.lineDeferred = false;
    this.lineQid = undefined;
    this.linePid = '';
  }

  private begun(qid: string): boolean {
    return this.entries.has(qid);
  }

  private lineMark(): string | null {
    return this.linePid === '' ? null : markKey(this.lineProgram, this.lineService, this.linePid);
  }

  /** Lines with a deferred key are deferred too: their key's earlier lines run later. */
  override admits(program: string, service: string, pid: string, qid: string | null | undefined): boolean {
    this.lineQid = qid;
    this.lineProgram = program;
    this.lineService = service;
    this.linePid = pid;
    if ((pid !== '' && this.deferredMarks.size > 0 && this.deferredMarks.has(markKey(program, service, pid))) || (typeof qid === 'string' && this.deferredIds.has(qid))) {
      this.defer();
      return false;
    }
    return true;
  }

  /**
   * Defers the current line: its keys are deferred from now on. A key whose state this half already
   * holds (a begun id, a live mark) would then be split between here and the replay: BAIL.
   */
  defer(): void {
    const qid = this.lineQid;
    if (typeof qid === 'string') {
      if (this.begun(qid)) throw BAIL;
      this.deferredIds.add(qid);
    }
    const mark = this.lineMark();
    if (mark !== null) {
      if (super.getMark(mark) !== undefined) throw BAIL;
      this.deferredMarks.add(mark);
    }
    this.lineDeferred = true;
  }

  /** A session line of a deferred process must reach admits(), even when this half has no mark. */
  override get hasMarks(): boolean {
    return super.hasMarks || this.deferredMarks.size > 0;
  }

  private needFirstHalf(): never {
    throw this.changed ? BAIL : DEFER;
  }

  override get(qid: string): Entry | undefined {
    const e = this.entries.get(qid);
    if (e === undefined) this.needFirstHalf();
    return e === GONE ? undefined : e;
  }

  /**
   * QueueState's begin without its change log and eviction (neither applies here), and with the
   * tombstone check folded into the one lookup; the line's own id was checked by admits().
   */
  override begin(qid: string, origin: string, client = ''): Entry {
    if (qid !== this.lineQid && this.deferredIds.has(qid)) this.needFirstHalf();
    this.changed = true;
    const old = this.entries.get(qid);
    if (old !== undefined) {
      // a reused id moves to the young end, as in QueueState
      this.entries.delete(qid);
      if (old === GONE) this.tombs--;
    }
    const entry = newEntry(0, origin, client);
    this.entries.set(qid, entry);
    if (this.entries.size - this.tombs > this.peak) this.peak = this.entries.size - this.tombs;
    return entry;
  }

  override forget(qid: string): void {
    const e = this.entries.get(qid);
    if (e === undefined) this.needFirstHalf();
    this.changed = true;
    if (e !== GONE) this.entries.set(qid, GONE), this.tombs++;
  }

  override touch(qid: string, entry: Entry): void {
    if (!this.begun(qid)) this.needFirstHalf();
    this.changed = true;
    super.touch(qid, entry);
  }

  override getMark(key: string): Entry | undefined {
    if (this.deferredMarks.has(key)) this.needFirstHalf();
    return super.getMark(key);
  }

  override putMark(key: string, m?: Entry): Entry {
    if (this.deferredMarks.has(key)) this.needFirstHalf();
    this.changed = true;
    const mark = super.putMark(key, m);
    if (this.marksHeld > this.peakMarks) this.peakMarks = this.marksHeld;
    return mark;
  }

  override takeMark(key: string): Entry | undefined {
    if (this.deferredMarks.has(key)) this.needFirstHalf();
    const m = super.takeMark(key);
    if (m !== undefined) this.changed = true;
    return m;
  }
}
