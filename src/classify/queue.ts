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
}

export class QueueState {
  private readonly entries = new Map<string, Entry>();
  /** Queue ids changed since the last `takeChanges()`; null value means deleted. */
  private changes = new Map<string, Entry | null>();
  evictions = 0;
  private nextSeq = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(qid: string): Entry | undefined {
    return this.entries.get(qid);
  }

  /** A new message under `qid`: Postfix reuses queue ids, so an older entry is replaced. */
  begin(qid: string, origin: string): Entry {
    const entry: Entry = { seq: this.nextSeq++, origin, received: false, held: false, discarded: false };
    // delete first: a reused id moves to the young end (Map keeps insertion order)
    if (this.entries.has(qid)) this.entries.delete(qid);
    this.entries.set(qid, entry);
    this.changes.set(qid, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.changes.set(oldest, null);
      this.evictions++;
    }
    return entry;
  }

  touch(qid: string, entry: Entry): void {
    this.changes.set(qid, entry);
  }

  forget(qid: string): void {
    if (this.entries.delete(qid)) this.changes.set(qid, null);
  }

  /** Entries in age order, oldest first: the order to persist and to restore. */
  *all(): IterableIterator<[string, Entry]> {
    yield* this.entries;
  }

  /** Restores persisted entries without marking them changed. */
  restore(saved: Iterable<[string, Entry]>): void {
    const sorted = [...saved].sort((a, b) => a[1].seq - b[1].seq);
    for (const [qid, entry] of sorted) this.entries.set(qid, entry);
    this.nextSeq = sorted.length ? sorted[sorted.length - 1]![1].seq + 1 : 0;
  }

  takeChanges(): Map<string, Entry | null> {
    const c = this.changes;
    this.changes = new Map();
    return c;
  }
}
