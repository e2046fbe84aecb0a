// The store as the pipeline commits to it, with its repairs: a failed commit is retried at once as a
// full write from memory (the caller's memory holds every count), and database files deleted or
// replaced under the daemon are recreated from memory at the next commit. OID indices and the commit
// sequence carry over to a recreated store, so neither moves under a reader.
import type { Kv } from '../history/kv.js';
import { Store, type Batch, type Loaded } from './store.js';

export interface CommitterHooks {
  /** The database files were gone: a new store was opened and gets a full write. */
  recreated(): void;
  /** A commit failed; `retrying`: a full write is tried at once (else at the next commit). */
  failed(err: Error, retrying: boolean): void;
}

/**
 * Other threads of this process that keep the store open to read it (the HTTP worker). lmdb-js gives
 * every thread of a process the one environment open on a lock file, so while any of them holds the
 * old one, "opening" the recreated store would hand back the deleted file: they let go first.
 */
export interface StoreReaders {
  /** Resolves false when a reader did not let go in time (the recreation is tried at the next commit). */
  release(): Promise<boolean>;
  /** The new store is open: readers may open it too. */
  reopen(): void;
}

/** lmdb's close has been seen never to settle (daemons deaf to SIGTERM after deleted files). */
const CLOSE_WAIT_MS = 3000;

export class Committer {
  private fullWrite = false;

  private constructor(
    private store: Store,
    private readonly dir: string,
    private readonly mapSize: number,
    private readonly hooks: CommitterHooks,
    private readonly readers: StoreReaders | undefined,
  ) {}

  /** Opens the store and loads it; throws when it cannot be opened or is damaged. */
  static open(dir: string, mapSize: number, hooks: CommitterHooks, readers?: StoreReaders): { committer: Committer; loaded: Loaded } {
    const store = Store.open(dir, mapSize);
    try {
      return { committer: new Committer(store, dir, mapSize, hooks, readers), loaded: store.load() };
    } catch (e) {
      void store.close();
      throw e;
    }
  }

  indexOf(key: string): number {
    return this.store.indexOf(key);
  }

  /** Reads the store's history (the daemon's own reads: no other process opens it). */
  readHistory<T>(f: (kv: Kv) => T): T {
    return f(this.store.kv);
  }

  get sequence(): number {
    return this.store.sequence;
  }

  /**
   * Writes `make(full)` (called again, full, for the retry after a failure); false when nothing could
   * be written, in which case the next commit writes everything.
   */
  async commit<T extends Batch>(make: (full: boolean) => T): Promise<T | null> {
    if (!this.store.intact()) {
      try {
        await this.recreate();
      } catch (e) {
        this.hooks.failed(e as Error, false);
        this.fullWrite = true;
        return null;
      }
    }
    try {
      const b = make(this.fullWrite);
      this.store.commit(b, this.fullWrite);
      this.fullWrite = false;
      return b;
    } catch (e) {
      this.hooks.failed(e as Error, true);
    }
    try {
      const b = make(true);
      this.store.commit(b, true);
      this.fullWrite = false;
      return b;
    } catch (e) {
      this.hooks.failed(e as Error, false);
      this.fullWrite = true;
      return null;
    }
  }

  /** The last commit is durable before close; waits for close at most CLOSE_WAIT_MS. */
  async close(): Promise<'closed' | 'late' | 'failed'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((res) => (timer = setTimeout(() => res('late'), CLOSE_WAIT_MS)));
    const closing = this.store.close().then(
      () => 'closed' as const,
      () => 'failed' as const,
    );
    const how = await Promise.race([closing, late]);
    clearTimeout(timer);
    return how;
  }

  private async recreate(): Promise<void> {
    if (this.readers !== undefined && !(await this.readers.release())) throw new Error('a reader thread still holds the deleted database open');
    await this.close(); // the old environment may be unusable; a new one is opened regardless
    const old = this.store;
    this.store = Store.open(this.dir, this.mapSize, true);
    this.store.adopt(old);
    this.fullWrite = true;
    this.readers?.reopen();
    this.hooks.recreated();
  }
}
