// The loop's body: records from a source are classified at once, and a batch's counters, queue state
// and the source's checkpoint are committed together, so a restart resumes exactly where the last
// commit ended. After each commit the counters are published as the snapshot file, the only thing
// other processes read (only this process opens LMDB). Source, classifier and store are handed in, so
// the whole of it runs in-process in tests.
import { statSync } from 'node:fs';
import type { Classifier } from '../classify/classifier.js';
import { QueueState } from '../classify/queue.js';
import { Counters, SELF } from '../counters/counters.js';
import type { Source, SourceEvent, SourceSink } from '../source/source.js';
import { hasNul } from '../source/file/lines.js';
import type { LogRecord } from '../syslog/record.js';
import type { Kv } from '../history/kv.js';
import { Committer, type StoreReaders } from '../store/committer.js';
import { encodeRows, sha256, toRows, type Row, type Snapshot } from '../snapshot/format.js';
import { publish, snapshotPath } from '../snapshot/publish.js';
import { DayClock, systemZone } from '../history/clock.js';
import { History } from '../history/pending.js';
import { DEFAULT_MAX_ROWS, RETENTION, applyPending, prune } from '../history/apply.js';
import { readDay } from '../history/day.js';
import { DayPublisher } from '../history/day-publisher.js';
import { HOUR_MS } from '../history/layout.js';

export interface PipelineOptions {
  readonly db: string;
  readonly mapSize: number;
  readonly maxKeys: number;
  readonly maxQueue: number;
  readonly commitMs: number;
  readonly commitLines: number;
  /** How often the snapshot file is checked to be the one last written (default 1000 ms; tests 0). */
  readonly snapshotCheckMs?: number;
  /** The wait before writing again a snapshot that could not be written (default 30 s). */
  readonly snapshotRetryMs?: number;
  /** The zone of the history's days (default: the system's). */
  readonly tz?: string;
  /** Rows per table and day before the rest goes to the table's `other` row (default 1000). */
  readonly maxRows?: number;
  /** Publish changed days to DIR/days at most this often (default 10 s; always at close). */
  readonly daysMs?: number;
  /** Other threads that read the store (the HTTP worker): they let go of it when it is recreated. */
  readonly readers?: StoreReaders;
  /** Called with every snapshot the pipeline publishes, after its commit. */
  readonly published?: (s: Snapshot) => void;
}

const DEFAULT_DAYS_MS = 10_000;

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Opens the source, resuming at `checkpoint` (null: none was ever committed). */
export type OpenSource = (sink: SourceSink, checkpoint: unknown) => Source;

const MIN_COMMIT_GAP_MS = 10;
/**
 * After a failed commit (a full disk), the next try comes this long after, doubling up to
 * RETRY_MAX_MS: not at once (a full disk answers the same), and not only when mail next comes (a
 * quiet server would keep its readers on the old numbers after space came back).
 */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

const EVENT_COUNTER: Partial<Record<SourceEvent, string>> = {
  rotation: SELF.rotations,
  truncation: SELF.truncations,
  gap: SELF.gaps,
  unreadable: SELF.unreadable,
  long_line: SELF.badLines,
};

export class Pipeline implements SourceSink {
  readonly counters: Counters;
  readonly queue: QueueState;
  readonly source: Source;
  private readonly committer: Committer;
  private uncommitted = 0;
  private lastCommit = Date.now();
  /** 0, or the wait before retrying the commit that failed last. */
  private retryMs = 0;
  /** No checkpoint was ever committed: the first one is committed at once (see poll). */
  private firstStart: boolean;
  private published: Snapshot;
  /** fileIdentity() of the snapshot file this daemon last wrote (null: none written yet; STALE: the last write failed). */
  private publishedFile: string | null = null;
  private snapshotCheckedAt = 0;
  private mixedWarned = false;
  readonly clock: DayClock;
  private readonly history: History;
  private readonly days: DayPublisher;
  private lastPrune = 0;

  /** Throws when the database cannot be opened, or is damaged (its counters fail their checksum). */
  constructor(private readonly opts: PipelineOptions, private readonly classifier: Classifier, open: OpenSource, private readonly logger: Logger) {
    const { committer, loaded } = Committer.open(
      opts.db,
      opts.mapSize,
      {
        recreated: () => {
          this.counters.add(SELF.dbRecreated);
          logger.warn({ db: opts.db }, 'database files were removed or replaced; recreated them from memory');
        },
        failed: (err, retrying) => {
          this.counters.add(SELF.storeErrors);
          logger.error({ err: err.message, db: opts.db }, retrying ? 'commit failed; rewriting everything' : 'write failed; retrying (after 1 s, then up to every 30 s)');
        },
      },
      opts.readers,
    );
    this.committer = committer;
    this.clock = new DayClock(opts.tz ?? systemZone());
    this.history = new History(this.clock);
    this.days = new DayPublisher(opts.db, opts.daysMs ?? DEFAULT_DAYS_MS);
    this.counters = new Counters(opts.maxKeys, this.history);
    this.counters.restore(loaded.counters);
    this.queue = new QueueState(opts.maxQueue);
    this.queue.restore(loaded.queue);
    const checkpoint = loaded.cursor ?? null;
    this.firstStart = checkpoint === null;
    this.published = { seq: committer.sequence, time: Date.now(), rows: this.rows() };
    this.source = open(this, checkpoint);
    this.publish();
    // Killed between a commit and the publication of its days, the daemon publishes them now.
    this.committer.readHistory((kv) => this.days.recover(kv));
    logger.info({ db: opts.db, checkpoint }, 'started');
  }

  /** The last commit's counters, as readers of the snapshot file see them. */
  get snapshot(): Snapshot {
    return this.published;
  }

  /** Reads what the source holds now and commits when a batch is due; returns what was consumed. */
  async poll(): Promise<number> {
    const n = await this.source.poll();
    this.checkSnapshot();
    // Committed at once, the first checkpoint holds the promise from the first second: lines written
    // and rotated away while the daemon is down are then found after it, not skipped as history.
    const first = this.firstStart && this.source.checkpoint() !== null && this.retryMs === 0; // failed: its backoff
    if (first || this.commitDueIn(n === 0) === 0) await this.commit();
    if (this.daysDueIn() === 0) this.publishDays();
    return n;
  }

  /** Milliseconds until changed days are due to be published (0: now), or null with none changed. */
  daysDueIn(): number | null {
    return this.days.dueIn();
  }

  /**
   * Milliseconds until a commit is due (0: now), or null with nothing to commit. Once the source is
   * read to its end, what was read is committed at once (after a short gap that bounds the commit
   * rate), so a reader sees new mail within milliseconds, not at the next poll.
   */
  commitDueIn(caughtUp: boolean): number | null {
    if (this.retryMs > 0) return Math.max(0, this.retryMs - (Date.now() - this.lastCommit));
    if (this.uncommitted === 0) return null;
    if (this.uncommitted >= this.opts.commitLines) return 0;
    const wait = (caughtUp ? Math.min(MIN_COMMIT_GAP_MS, this.opts.commitMs) : this.opts.commitMs) - (Date.now() - this.lastCommit);
    return Math.max(0, wait);
  }

  /** Returns false when the batch could not be written (memory keeps it for the next commit). */
  async commit(): Promise<boolean> {
    const evicted = this.queue.evictions;
    if (evicted > 0) this.counters.add(SELF.queueEvictions, evicted), (this.queue.evictions = 0);
    this.counters.add(SELF.commits);
    const history = this.history.take();
    const now = Date.now();
    const pruning = now - this.lastPrune >= HOUR_MS;
    let touched = new Set<string>();
    const writeHistory = (kv: Kv) => {
      const seq = this.committer.sequence + 1; // the commit this transaction makes
      touched = applyPending(kv, history, { clock: this.clock, maxRows: this.opts.maxRows ?? DEFAULT_MAX_ROWS, now, retention: RETENTION, seq });
      if (pruning) prune(kv, now, this.clock);
    };
    const done = await this.committer.commit((full) => {
      const changed = this.counters.flush();
      const queue = this.queue.takeChanges();
      const rows = this.rows();
      return {
        counters: full ? new Map(this.counters.entries()) : changed,
        cursor: this.source.checkpoint(),
        queue: full ? new Map(this.queue.all()) : queue,
        sum: sha256(encodeRows(rows)),
        rows,
        history: writeHistory,
      };
    });
    this.uncommitted = 0;
    this.lastCommit = Date.now();
    if (done === null) {
      this.history.restore(history); // the failed transaction wrote none of it
      this.retryMs = this.retryMs === 0 ? RETRY_FIRST_MS : Math.min(RETRY_MAX_MS, this.retryMs * 2);
      return false;
    }
    this.retryMs = 0;
    if (pruning) this.lastPrune = now;
    this.days.changed(touched);
    this.firstStart = false;
    this.published = { seq: this.committer.sequence, time: this.lastCommit, rows: done.rows };
    this.publish();
    this.opts.published?.(this.published);
    if (!this.mixedWarned && this.counters.get(SELF.mixedHosts) > 0n) {
      this.mixedWarned = true;
      this.logger.warn({ db: this.opts.db, records: String(this.counters.get(SELF.mixedHosts)) }, 'the log holds records of more than one syslog host, all counted in one state (queue ids are one host\'s only): run with --per-host');
    }
    return true;
  }

  /** Commits what is left and closes; false when that last commit failed (its lines are read again). */
  async close(): Promise<boolean> {
    const ok = await this.commit();
    this.publishDays();
    this.source.close();
    const how = await this.committer.close();
    if (how !== 'closed') this.logger.warn({ db: this.opts.db, how }, 'database close did not finish; going on');
    return ok;
  }

  /** One of the daemon's own counters, for what happens outside a log line (an HTTP worker restarted, a source event, a failed publication); seen at the next commit. */
  count(key: string): void {
    this.counters.add(key);
    this.uncommitted++;
  }

  line(buf: Buffer, start: number, end: number): void {
    this.uncommitted++;
    this.counters.add(SELF.lines);
    if (hasNul(buf, start, end)) return void this.counters.add(SELF.badLines);
    this.classifier.line(this.queue, buf, start, end, this.counters);
  }

  record(r: LogRecord): void {
    this.uncommitted++;
    this.counters.add(SELF.lines);
    this.classifier.record(this.queue, r, this.counters);
  }

  event(ev: SourceEvent, detail: string): void {
    const key = EVENT_COUNTER[ev];
    if (key) this.count(key);
    const level = ev === 'gap' || ev === 'unreadable' || ev === 'missing' ? 'warn' : 'info';
    this.logger[level]({ event: ev, detail }, `log ${ev}`);
  }

  /** Every counter in key order with its OID index (given out here to keys new since the last commit). */
  private rows(): Row[] {
    return toRows(this.counters.entries(), (key) => this.committer.indexOf(key));
  }

  /** Publishes every changed day as DIR/days/DAY; a day that fails stays changed for the next try. */
  publishDays(): void {
    try {
      this.days.publish((day) => this.committer.readHistory((kv) => readDay(kv, day, this.clock)), this.committer.sequence, this.lastCommit);
    } catch (e) {
      this.counters.add(SELF.publishErrors); // seen at the next commit, which it does not bring on
      this.logger.error({ err: (e as Error).message, db: this.opts.db }, 'cannot publish the history of a day');
    }
  }

  /** False when the snapshot could not be written. */
  private publish(): boolean {
    try {
      publish(this.opts.db, this.published);
      this.publishedFile = fileIdentity(snapshotPath(this.opts.db));
      this.snapshotCheckedAt = Date.now(); // (ends a failure's retry wait)
      return true;
    } catch (e) {
      // Readers keep the previous snapshot, whole. Written again at the next commit or after the
      // retry wait; counting the error must not itself call for a commit, or a full disk (commits
      // still fit in LMDB's free pages) makes a commit and an error line every few milliseconds.
      this.counters.add(SELF.publishErrors);
      this.publishedFile = STALE;
      this.snapshotCheckedAt = Date.now() + (this.opts.snapshotRetryMs ?? SNAPSHOT_RETRY_MS);
      this.logger.error({ err: (e as Error).message, db: this.opts.db }, 'cannot publish the snapshot');
      return false;
    }
  }

  /**
   * The snapshot file as this daemon last wrote it, checked once a second: deleted or replaced
   * behind it (a restore, a cleanup script), it is written again from memory at once, not only at
   * the next commit, which a quiet server may not make for hours (readers would say no daemon runs).
   */
  private checkSnapshot(): void {
    const now = Date.now();
    if (now - this.snapshotCheckedAt < (this.opts.snapshotCheckMs ?? SNAPSHOT_CHECK_MS) || this.publishedFile === null) return;
    this.snapshotCheckedAt = now;
    if (this.publishedFile !== STALE) {
      if (fileIdentity(snapshotPath(this.opts.db)) === this.publishedFile) return;
      this.logger.warn({ db: this.opts.db }, 'the snapshot file was removed or replaced behind the daemon; published again');
    }
    this.publish();
  }
}

const SNAPSHOT_CHECK_MS = 1000;
const SNAPSHOT_RETRY_MS = 30_000;
/** publishedFile after a failed write: equal to no file's identity. */
const STALE = 'stale';

/** A file's device, inode, size and change time, or null when it cannot be seen. */
function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.ctimeMs}`;
  } catch {
    return null;
  }
}
