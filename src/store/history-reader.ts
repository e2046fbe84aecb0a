// The store's history as another thread of the daemon's process reads it (the HTTP worker): the same
// LMDB environment, opened read-only, read in a read transaction of its own, so a read never waits for
// a commit and a commit never waits for a read. lmdb-js shares one environment per lock file among
// the threads of a process (LMDB forbids opening it twice in one process); only other processes are
// kept out of the store (see the README's design notes).
import { open, type RootDatabase } from 'lmdb';
import type { Kv } from '../history/kv.js';

/** The reader has let go of the store (the daemon is recreating its files): try again shortly. */
export class StoreReleased extends Error {}

export class HistoryReader {
  private db: RootDatabase<Buffer, string> | null = null;

  /** `opened` false: the store is released until reopen() (a worker started in the middle of a recreation). */
  constructor(private readonly dir: string, opened = true) {
    if (opened) this.reopen();
  }

  /** `f` sees one commit throughout, however many ranges it reads. Throws StoreReleased while released. */
  read<T>(f: (kv: Kv) => T): T {
    const db = this.db;
    if (db === null) throw new StoreReleased('the store is being recreated');
    const transaction = db.useReadTransaction();
    try {
      return f({
        get: (key) => db.get(key, { transaction }),
        put: () => {
          throw new Error('history is read-only here');
        },
        remove: () => {
          throw new Error('history is read-only here');
        },
        range: (start, end) => db.getRange({ start, end, transaction }),
      });
    } finally {
      transaction.done();
    }
  }

  /**
   * Lets go of the environment. Within one process lmdb-js hands an opening thread the environment
   * already open on the same lock file, so the daemon's new store after its files were deleted is a
   * new file only once no thread holds the old one. A read-only close is synchronous.
   */
  release(): void {
    const db = this.db;
    this.db = null;
    if (db !== null) void db.close();
  }

  reopen(): void {
    // noSubdir false, as the daemon opens it (a --db with a dot is a directory)
    this.db ??= open<Buffer, string>({ path: this.dir, noSubdir: false, encoding: 'binary', readOnly: true });
  }
}
