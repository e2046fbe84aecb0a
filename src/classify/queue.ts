// Per-queue-id memory, needed to count a message once although several lines (and retries) name it.
// Bounded: the oldest entries are evicted first, and every change is recorded so the store can persist
// exactly the entries a batch touched, in the same transaction as the counters they produced.

/** What is known of one queue id. `origin` '' marks a content-filter re-injection (never counted). */
export interface Entry {
  /** Age rank, so eviction order survives a restart (LMDB returns keys sorted by name). */
  seq: number;
  origin: string;
  received: boolean;
  held: boolean;
  discarded: boolean;
  /** qmgr's `size=` and the sender as the report tables keep it (a domain, or the address): 0 and '' until seen. */
  size: number;
  sender: string;
  /**
   * smtpd's `client=` value (`mail.example.org[192.0.2.1]`), kept while facts are made: the sending
   * domain of a sender without one (the null sender of a bounce, a local name), as pflogsumm takes it.
   */
  client: string;
  /** Some recipient was deferred: the message counts once among the report's deferred messages. */
  deferred: boolean;
}

/** An entry of nothing seen yet but its origin (and smtpd's client): a message, a mark, a tombstone. */
export function newEntry(seq: number, origin = '', client = ''): Entry {
  return { seq, origin, received: false, held: false, discarded: false, size: 0, sender: '', client, deferred: false };
}

/**
 * At most this many smtpd processes with a NOQUEUE hold/discard mark: a mark ends with its session
 * (`disconnect from`, or the process's next `connect from`), so only a process that died without
 * logging its disconnect leaves one behind; master.cf process limits keep live ones far below this.
 */
export const MAX_MARKS = 1000;

/** A mark's key is shaped like the syslog tag (`submission/smtpd[123]`); `[` is in no queue id. */
export function markKey(program: string, service: string, pid: string): string {
  return `${service === '' ? '' : `${service}/`}${program}[${pid}]`;
}

const isMarkKey = (key: string): boolean => key.endsWith(']');

export class QueueState {
  /** Protected for CutState, which keeps its removed ids here as tombstones. */
  protected readonly entries = new Map<string, Entry>();
  /**
   * smtpd processes that logged `NOQUEUE: hold:` / `NOQUEUE: discard:` (the queue file did not exist
   * yet): the process's next `QID: client=` is the message it applies to, whose queue id the mark
   * then keeps in `origin` until the session shows whether that message was accepted (effects.ts).
   * Persisted with the queue ids (same record shape), so a restart between the lines loses nothing.
   */
  private readonly marks = new Map<string, Entry>();
  /** Queue ids changed since the last `takeChanges()`; null value means deleted. */
  private changes = new Map<string, Entry | null>();
  /**
   * Queue ids begun since the last `takeChanges()` that the store does not hold: most messages are
   * received, delivered and removed within one batch, and then need no write at all (a removal of
   * an absent key was a third of the commit's cost).
   */
  private born = new Set<string>();
  evictions = 0;
  private nextSeq = 0;
  /**
   * One walk of `entries` in insertion order, resumed at each eviction. A fresh keys().next() per
   * eviction would step over every deleted slot before the first live one (V8 keeps them until the
   * table is rehashed): measured at 30 us per eviction with 100,000 ids, 0.2 us this way. Everything
   * before the walk's position was evicted, and ids inserted (or re-inserted) later come after it,
   * so the next key it yields is always the oldest.
   */
  private ageOrder: Iterator<string> | null = null;

  /**
   * `logsChanges` false: nothing will persist this state (a report read from files), so no change log
   * is kept; `begin` then costs two Map operations instead of five, on the hottest line kind.
   */
  constructor(
    readonly capacity: number,
    private readonly logsChanges = true,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(qid: string): Entry | undefined {
    return this.entries.get(qid);
  }

  /** A new message under `qid`: Postfix reuses queue ids, so an older entry is replaced. */
  begin(qid: string, origin: string, client = ''): Entry {
    const entry = newEntry(this.nextSeq++, origin, client);
    // delete first: a reused id moves to the young end (Map keeps insertion order). Unconditional:
    // deleting an absent id costs the one lookup a has() would.
    // not in memory and no deletion pending: the store does not hold it either
    if (!this.logsChanges) {
      this.entries.delete(qid);
      this.entries.set(qid, entry);
    } else {
      const known = this.entries.delete(qid) || this.changes.has(qid);
      this.entries.set(qid, entry);
      this.changes.set(qid, entry);
      if (!known) this.born.add(qid);
    }
    while (this.entries.size > this.capacity) {
      this.ageOrder ??= this.entries.keys();
      const oldest = this.ageOrder.next().value as string;
      this.entries.delete(oldest);
      this.dropped(oldest);
      this.evictions++;
    }
    return entry;
  }

  /**
   * Whether this state may apply a line of `program` with these keys (`qid`, and the smtpd process
   * `pid` when its program reads it). A whole log's state always may; the state of the second half of
   * a split log (cut-state.ts) refuses lines that need what only the first half knows.
   */
  admits(_program: string, _service: string, _pid: string, _qid: string | null | undefined): boolean {
    return true;
  }

  get hasMarks(): boolean {
    return this.marks.size > 0;
  }

  /** NOQUEUE marks pending now. */
  get marksHeld(): number {
    return this.marks.size;
  }

  getMark(key: string): Entry | undefined {
    return this.marks.get(key);
  }

  /** A new mark (`held`/`discarded` set by the caller), or a changed one. */
  putMark(key: string, m?: Entry): Entry {
    const mark = m ?? newEntry(this.nextSeq++);
    this.marks.set(key, mark);
    if (this.logsChanges) this.changes.set(key, mark);
    while (this.marks.size > MAX_MARKS) {
      const oldest = this.marks.keys().next().value as string;
      this.marks.delete(oldest);
      if (this.logsChanges) this.changes.set(oldest, null);
      this.evictions++;
    }
    return mark;
  }

  /** The pending mark of `key`, removed: it applies to one message only. */
  takeMark(key: string): Entry | undefined {
    const m = this.marks.get(key);
    if (m !== undefined) {
      this.marks.delete(key);
      if (this.logsChanges) this.changes.set(key, null);
    }
    return m;
  }

  touch(qid: string, entry: Entry): void {
    if (this.logsChanges) this.changes.set(qid, entry);
  }

  forget(qid: string): void {
    if (this.entries.delete(qid)) this.dropped(qid);
  }

  /** A deletion for the store, or none when the store never had the id. */
  private dropped(qid: string): void {
    if (!this.logsChanges) return;
    if (this.born.delete(qid)) this.changes.delete(qid);
    else this.changes.set(qid, null);
  }

  /** Queue ids in age order, oldest first, then the marks: what to persist (restore sorts by seq). */
  *all(): IterableIterator<[string, Entry]> {
    yield* this.entries;
    yield* this.marks;
  }

  /** Restores persisted entries without marking them changed. */
  restore(saved: Iterable<[string, Entry]>): void {
    const sorted = [...saved].sort((a, b) => a[1].seq - b[1].seq);
    for (const [key, entry] of sorted) (isMarkKey(key) ? this.marks : this.entries).set(key, entry);
    this.ageOrder = null;
    this.nextSeq = sorted.length ? sorted[sorted.length - 1]![1].seq + 1 : 0;
  }

  takeChanges(): Map<string, Entry | null> {
    const c = this.changes;
    this.changes = new Map();
    this.born.clear();
    return c;
  }
}
