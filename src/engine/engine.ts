// Wires follower, classifier, counters and store: every line read is classified at once, and a
// batch's counters, queue state and cursor are committed together, so a restart resumes exactly
// where the last commit ended. After each commit the counters are published as a snapshot file, the
// only thing other processes read (only this process opens LMDB).
import { classify, type ClassifyOptions } from '../classify/classify.js';
import { QueueState } from '../classify/queue.js';
import { Counters, SELF } from '../counters/counters.js';
import { Follower, type FollowEvent } from '../follow/follower.js';
import { isCursor } from '../follow/cursor.js';
import { hasNul } from '../follow/lines.js';
import { Store } from '../store/store.js';
import { encodeRows, sha256, toRows, type Row, type Snapshot } from '../snapshot/format.js';
import { publish } from '../snapshot/publish.js';
import { emptyRecord, tokenize } from '../syslog/tokenize.js';
import { YearClock } from '../syslog/year.js';

export interface EngineOptions {
  readonly log: string;
  readonly db: string;
  readonly mapSize: number;
  readonly maxKeys: number;
  readonly maxQueue: number;
  readonly maxLine: number;
  readonly commitMs: number;
  readonly commitLines: number;
  readonly rotateWaitMs: number;
  readonly classify: ClassifyOptions;
}

const MIN_COMMIT_GAP_MS = 10;
const CLOSE_WAIT_MS = 3000;

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const EVENT_COUNTER: Partial<Record<FollowEvent, string>> = {
  rotation: SELF.rotations,
  truncation: SELF.truncations,
  gap: SELF.gaps,
  unreadable: SELF.unreadable,
  long_line: SELF.badLines,
};

export class Engine {
  readonly counters: Counters;
  readonly queue: QueueState;
  private readonly follower: Follower;
  private store: Store;
  private uncommitted = 0;
  private lastCommit = Date.now();
  private fullWrite = false;
  /** No position was ever committed: the first one is committed at once (see poll). */
  private firstStart: boolean;
  private published: Snapshot;

  /** Throws when the database cannot be opened, or is damaged (its counters fail their checksum). */
  constructor(private readonly opts: EngineOptions, private readonly logger: Logger) {
    this.store = Store.open(opts.db, opts.mapSize);
    let saved;
    try {
      saved = this.store.load();
    } catch (e) {
      void this.store.close();
      throw e;
    }
    this.counters = new Counters(opts.maxKeys);
    this.counters.restore(saved.counters);
    const rows = this.rows();
    this.queue = new QueueState(opts.maxQueue);
    this.queue.restore(saved.queue);
    const cursor = isCursor(saved.cursor) ? saved.cursor : null;
    this.firstStart = cursor === null;
    this.published = { seq: this.store.sequence, time: Date.now(), rows };
    this.follower = new Follower(
      { path: opts.log, maxLine: opts.maxLine, rotateWaitMs: opts.rotateWaitMs, onLine: (b, s, e) => this.line(b, s, e), onEvent: (ev, d) => this.event(ev, d) },
      cursor,
    );
    this.publish();
    logger.info({ db: opts.db, log: opts.log, cursor }, 'started');
  }

  /** The last commit's counters, as readers of the snapshot file see them. */
  get snapshot(): Snapshot {
    return this.published;
  }

  /** Reads what the log holds now and commits when a batch is due; returns the bytes consumed. */
  async poll(): Promise<number> {
    const n = await this.follower.poll();
    // Committed at once, the first position holds the promise from the first second: lines written
    // and rotated away while the daemon is down are then found after it, not skipped as history.
    const first = this.firstStart && this.follower.cursor() !== null;
    if (first || this.commitDueIn(n === 0) === 0) await this.commit();
    return n;
  }

  /**
   * Milliseconds until a commit is due (0: now), or null with nothing to commit. Once the log is read
   * to its end, what was read is committed at once (after a short gap that bounds the commit rate),
   * so a reader sees new mail within milliseconds, not at the next poll.
   */
  commitDueIn(caughtUp: boolean): number | null {
    if (this.uncommitted === 0) return null;
    if (this.uncommitted >= this.opts.commitLines) return 0;
    const wait = (caughtUp ? Math.min(MIN_COMMIT_GAP_MS, this.opts.commitMs) : this.opts.commitMs) - (Date.now() - this.lastCommit);
    return Math.max(0, wait);
  }

  /** Returns false when the batch could not be written (memory keeps it for the next commit). */
  async commit(): Promise<boolean> {
    if (!this.store.intact()) await this.recreate();
    const evicted = this.queue.evictions;
    if (evicted > 0) this.counters.add(SELF.queueEvictions, evicted), (this.queue.evictions = 0);
    this.counters.add(SELF.commits);
    const write = (full: boolean): Row[] => {
      const changed = this.counters.flush();
      const queue = this.queue.takeChanges();
      const rows = this.rows();
      this.store.commit(
        {
          counters: full ? new Map(this.counters.entries()) : changed,
          cursor: this.follower.cursor(),
          queue: full ? new Map(this.queue.all()) : queue,
          sum: sha256(encodeRows(rows)),
        },
        full,
      );
      return rows;
    };
    let rows: Row[] | null = null;
    try {
      rows = write(this.fullWrite);
    } catch (e) {
      // Memory holds every count: a full write repairs a failed commit, now if it can, else later.
      this.counters.add(SELF.storeErrors);
      this.logger.error({ err: (e as Error).message, db: this.opts.db }, 'commit failed; rewriting everything');
      try {
        rows = write(true);
      } catch (again) {
        this.logger.error({ err: (again as Error).message, db: this.opts.db }, 'full write failed too; will retry at the next commit');
      }
    }
    this.fullWrite = rows === null;
    this.uncommitted = 0;
    this.lastCommit = Date.now();
    if (rows === null) return false;
    this.firstStart = false;
    this.published = { seq: this.store.sequence, time: this.lastCommit, rows };
    this.publish();
    return true;
  }

  /** Every counter in key order with its OID index (given out here to keys new since the last commit). */
  private rows(): Row[] {
    return toRows(this.counters.entries(), (key) => this.store.indexOf(key));
  }

  private publish(): void {
    try {
      publish(this.opts.db, this.published);
    } catch (e) {
      // Readers keep the previous snapshot, whole; the next commit publishes again.
      this.counters.add(SELF.publishErrors);
      this.uncommitted++;
      this.logger.error({ err: (e as Error).message, db: this.opts.db }, 'cannot publish the snapshot');
    }
  }

  /** Commits what is left and closes; false when that last commit failed (its lines are read again). */
  async close(): Promise<boolean> {
    const ok = await this.commit();
    this.follower.close();
    await this.closeStore();
    return ok;
  }

  /**
   * The last commit is durable once transactionSync returns (overlappingSync is off), and lmdb's
   * close has been seen never to settle (daemons left hanging on SIGTERM, in the torture runs with
   * deleted database files): a close may not hold the exit, or a recreation, hostage.
   */
  private async closeStore(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((res) => (timer = setTimeout(() => res('late'), CLOSE_WAIT_MS)));
    const closing = this.store.close().then(
      () => 'closed' as const,
      () => 'failed' as const,
    );
    const how = await Promise.race([closing, late]);
    clearTimeout(timer);
    if (how !== 'closed') this.logger.warn({ db: this.opts.db, how }, 'database close did not finish; going on');
  }

  private readonly record = emptyRecord();
  private readonly clock = new YearClock();

  private line(buf: Buffer, start: number, end: number): void {
    this.uncommitted++;
    this.counters.add(SELF.lines);
    if (hasNul(buf, start, end)) return void this.counters.add(SELF.badLines);
    if (tokenize(buf, start, end, this.record, this.clock)) classify(this.queue, this.record, this.counters, this.opts.classify);
  }

  private event(ev: FollowEvent, detail: string): void {
    const key = EVENT_COUNTER[ev];
    if (key) this.counters.add(key), this.uncommitted++; // so the event is visible at the next commit
    const level = ev === 'gap' || ev === 'unreadable' || ev === 'missing' ? 'warn' : 'info';
    this.logger[level]({ event: ev, detail }, `log ${ev}`);
  }

  private async recreate(): Promise<void> {
    this.logger.warn({ db: this.opts.db }, 'database files were removed or replaced; recreating them from memory');
    await this.closeStore(); // the old environment may be unusable; a new one is opened regardless
    const old = this.store;
    this.store = Store.open(this.opts.db, this.opts.mapSize);
    this.store.adopt(old);
    this.counters.add(SELF.dbRecreated);
    this.fullWrite = true;
  }
}
