// The daemon's side of the LMDB environment: counters, their stable OID indices, the follower's
// cursor and the queue-id state, all written in one transaction per batch.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { checkDataFile } from './check.js';
import { COUNTER, CURSOR, INDEX, NEXT_INDEX, QUEUE, SEQ, decodeJson, decodeU32, decodeU64, encodeJson, encodeU32, encodeU64 } from './codec.js';
import type { Entry } from '../classify/queue.js';

export interface Loaded {
  readonly counters: [string, bigint][];
  readonly cursor: unknown;
  readonly queue: [string, Entry][];
}

export interface Batch {
  readonly counters: ReadonlyMap<string, bigint>;
  readonly cursor: unknown;
  readonly queue: ReadonlyMap<string, Entry | null>;
}

export const DEFAULT_MAP_SIZE = 256 * 1024 * 1024;

/**
 * The transaction started from an older state than this store's last commit. lmdb-js (3.5.6) lets a
 * read-only open in another process set the environment's last transaction id back to the one it
 * read (mdb_env_open2), so now and then, under SNMP reads, the next write transaction builds on the
 * commit before the last one (measured in test/torture/concurrency.test.ts: snapshots with a few
 * counters from the commit before). Only a full write repairs that.
 */
export class Rewound extends Error {}

export class Store {
  private nextIndex: number;
  private seq: number;
  /** OID indices given out, so a full write after a rewind gives each key the index it had. */
  private readonly indices = new Map<string, number>();
  private readonly dataIno: number;

  private constructor(readonly dir: string, private readonly db: RootDatabase<Buffer, string>) {
    this.nextIndex = decodeU32(db.get(NEXT_INDEX)) ?? 1;
    this.seq = decodeU32(db.get(SEQ)) ?? 0;
    this.dataIno = statSync(join(dir, 'data.mdb')).ino;
  }

  static open(dir: string, mapSize = DEFAULT_MAP_SIZE): Store {
    mkdirSync(dir, { recursive: true });
    const data = join(dir, 'data.mdb');
    const bad = existsSync(data) ? checkDataFile(data) : null;
    if (bad !== null) throw new Error(`refusing to open ${dir}: ${bad}`);
    // overlappingSync off: a commit is durable when transactionSync returns, so a crash right after
    // cannot roll the cursor back behind counters an SNMP poller already saw.
    for (let attempt = 1; ; attempt++) {
      const db = open<Buffer, string>({ path: dir, encoding: 'binary', mapSize, overlappingSync: false });
      try {
        // A process killed with SIGKILL leaves its reader slot behind; clear such slots before the
        // first read, which otherwise fails now and then ("No transaction to renew", measured).
        db.readerCheck();
        return new Store(dir, db);
      } catch (e) {
        void db.close();
        if (attempt >= 5) throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt);
      }
    }
  }

  load(): Loaded {
    const counters: [string, bigint][] = [];
    for (const { key, value } of this.db.getRange({ start: COUNTER, end: 'c;' })) {
      const v = decodeU64(value);
      if (v !== undefined) counters.push([key.slice(COUNTER.length), v]);
    }
    const queue: [string, Entry][] = [];
    for (const { key, value } of this.db.getRange({ start: QUEUE, end: 'q;' })) {
      const e = decodeEntry(decodeJson(value));
      if (e) queue.push([key.slice(QUEUE.length), e]);
    }
    return { counters, cursor: decodeJson(this.db.get(CURSOR)), queue };
  }

  /**
   * Writes one batch atomically; new counter keys get the next OID index, kept for life. `full`
   * replaces all queue state (after a failed commit, into a recreated store, or after Rewound, which
   * a partial batch throws, writing nothing, when the store is not as its last commit left it).
   */
  commit(b: Batch, full = false): void {
    let next = 0;
    this.db.transactionSync(() => {
      const base = decodeU32(this.db.get(SEQ)) ?? 0;
      next = (base + 1) >>> 0;
      if (!full && base !== this.seq) throw new Rewound(`the store is at commit ${base}, not ${this.seq}`);
      if (full) {
        for (const key of this.db.getKeys({ start: QUEUE, end: 'q;' })) this.db.removeSync(key);
        this.db.putSync(NEXT_INDEX, encodeU32(this.nextIndex));
      }
      for (const [key, v] of b.counters) {
        if (this.db.get(INDEX + key) === undefined) {
          const index = this.indices.get(key) ?? this.nextIndex++;
          this.indices.set(key, index);
          this.db.putSync(INDEX + key, encodeU32(index));
          this.db.putSync(NEXT_INDEX, encodeU32(this.nextIndex));
        }
        this.db.putSync(COUNTER + key, encodeU64(v));
      }
      for (const [qid, e] of b.queue) {
        if (e === null) this.db.removeSync(QUEUE + qid);
        else this.db.putSync(QUEUE + qid, encodeJson([e.seq, e.origin, +e.received | (+e.held << 1) | (+e.discarded << 2)]));
      }
      if (b.cursor !== undefined && b.cursor !== null) this.db.putSync(CURSOR, encodeJson(b.cursor));
      this.db.putSync(SEQ, encodeU32(next));
    });
    this.seq = next;
  }

  /** False once data.mdb was deleted or replaced under us (the daemon then recreates the store). */
  intact(): boolean {
    try {
      return statSync(join(this.dir, 'data.mdb')).ino === this.dataIno;
    } catch {
      return false;
    }
  }

  /** Frees reader slots left by helpers that died without closing. */
  readerCheck(): number {
    return this.db.readerCheck();
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }
}

function decodeEntry(v: unknown): Entry | null {
  if (!Array.isArray(v) || v.length !== 3) return null;
  const [seq, origin, flags] = v as unknown[];
  if (typeof seq !== 'number' || typeof origin !== 'string' || typeof flags !== 'number') return null;
  return { seq, origin, received: (flags & 1) !== 0, held: (flags & 2) !== 0, discarded: (flags & 4) !== 0 };
}
