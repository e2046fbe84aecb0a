// The second half of a log cut in two, read by its own thread from an empty state (cut-state.ts):
// lines it can apply alone go to its own history; the others are kept, with the time they were
// read with, to be replayed after the first half (join.ts). Year inference of classic time stamps
// starts afresh here too: the first placement is recorded so the join can check it is where the
// first half's clock would have put it (then every later one is as well).
import { classify, type ClassifyOptions } from '../../classify/classify.js';
import { BAIL, CutState, DEFER } from '../../classify/cut-state.js';
import { HistoryCounters, type Counters } from '../../counters/counters.js';
import { DayClock } from '../../history/clock.js';
import { History, type Pending } from '../../history/pending.js';
import { LineSplitter, hasNul } from '../../source/file/lines.js';
import { emptyRecord, tokenize } from '../../syslog/tokenize.js';
import { InputForm, type Form } from '../input-form.js';
import { YearClock, type YearPosition } from '../../syslog/year.js';
import { LineOps } from './line-ops.js';

/** The first classic time stamp's placement: where it was asked, what it gave, the clock after. */
export interface FirstPlacement {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly result: number;
  readonly after: YearPosition;
}

export interface SecondHalfResult {
  /** Why this half cannot be joined (then it is read in order instead); null: it can. */
  readonly bailed: string | null;
  readonly pending: Pending;
  readonly newest: number;
  /** Deferred lines, in log order: their bytes end to end, where each ends, the time each was read with. */
  readonly deferredBytes: Uint8Array;
  readonly deferredEnds: Int32Array;
  readonly deferredTimes: Float64Array;
  readonly peak: number;
  readonly peakMarks: number;
  readonly evictions: number;
  readonly first: FirstPlacement | null;
  /** CPU time of the thread that read this half, ms (NaN where Node cannot tell: before 23.9). */
  readonly cpuMs: number;
  /** Whether this half was in a form the report reads (input-form.ts). */
  readonly form: Form;
}

/** This thread's CPU time so far, ms; NaN before Node 23.9. */
export const threadCpuMs = (): number => {
  const u = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  return u === undefined ? NaN : (u.user + u.system) / 1000;
};

/** Records the first placement; the later ones follow from it. */
class FirstPlacedClock extends YearClock {
  first: FirstPlacement | null = null;

  override hourStart(month: number, day: number, hour: number): number {
    const result = super.hourStart(month, day, hour);
    this.first ??= { month, day, hour, result, after: this.position };
    return result;
  }
}

export class SecondHalf {
  private readonly state: CutState;
  private readonly clock = new FirstPlacedClock();
  private readonly history: History;
  private readonly counters: Counters;
  private readonly ops = new LineOps();
  private readonly rec = emptyRecord();
  private readonly split: LineSplitter;
  private bailed: string | null = null;
  private readonly form = new InputForm();
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private readonly ends: number[] = [];
  private readonly times: number[] = [];
  private readonly cpu0 = threadCpuMs();

  private readonly opts: ClassifyOptions;

  constructor(tz: string, opts: ClassifyOptions, maxLine: number) {
    // this half's state names its own first host plainly: its keys meet no other state's
    this.opts = opts.firstHostPlain === undefined ? opts : { ...opts, firstHostPlain: { host: null } };
    this.state = new CutState();
    this.history = new History(new DayClock(tz));
    this.counters = new HistoryCounters(this.history);
    this.split = new LineSplitter(maxLine, (buf, start, end) => this.line(buf, start, end), () => this.form.longLine(maxLine));
  }

  /** False once the half gave up: the caller may stop reading. */
  push(chunk: Buffer): boolean {
    if (this.bailed === null) this.split.push(chunk);
    return this.bailed === null;
  }

  finish(): SecondHalfResult {
    if (this.bailed === null) this.split.finish();
    const bytes = Buffer.concat(this.kept, this.keptBytes);
    this.kept = [];
    return {
      bailed: this.bailed,
      pending: this.history.take(),
      newest: this.history.newest,
      deferredBytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      deferredEnds: Int32Array.from(this.ends),
      deferredTimes: Float64Array.from(this.times),
      peak: this.state.peak,
      peakMarks: this.state.peakMarks,
      evictions: this.state.evictions,
      first: this.clock.first,
      cpuMs: threadCpuMs() - this.cpu0,
      form: this.form.value,
    };
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (this.bailed !== null) return;
    const nul = hasNul(buf, start, end);
    const rec = this.rec;
    const record = !nul && tokenize(buf, start, end, rec, this.clock);
    this.form.line(buf, start, end, record, nul);
    if (!record) return;
    this.counters.at(rec.time);
    const state = this.state;
    state.startLine();
    try {
      classify(state, rec, this.ops, this.opts);
    } catch (e) {
      if (e === BAIL) return this.bail('a line needed the first half after changing state');
      if (e !== DEFER) throw e;
      try {
        state.defer();
      } catch (e2) {
        if (e2 === BAIL) return this.bail('a deferred line held state of this half');
        throw e2;
      }
    }
    if (!state.lineDeferred) return this.ops.commit(this.counters);
    this.ops.clear();
    const copy = Buffer.from(buf.subarray(start, end));
    this.kept.push(copy);
    this.keptBytes += copy.length;
    this.ends.push(this.keptBytes);
    this.times.push(rec.time);
  }

  private bail(why: string): void {
    this.bailed = why;
    this.ops.clear();
  }
}
