// The daemon's LMDB environment, opened by no other process: counters, their stable OID indices, the
// follower's cursor, the queue-id state and a checksum of the counters, all written in one
// transaction per batch. Readers get the snapshot file the engine publishes after each commit.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { checkDataFile } from './check.js';
import { COUNTER, CURSOR, INDEX, NEXT_INDEX, QUEUE, SEQ, SUM, decodeJson, decodeU32, decodeU64, encodeJson, encodeU32, encodeU64 } from './codec.js';
import type { Entry } from '../classify/queue.js';
import type { Kv } from '../history/kv.js';
import { encodeRows, sha256, toRows } from '../snapshot/format.js';
import { SNAPSHOT_FILE } from '../snapshot/publish.js';

export interface Loaded {
  readonly counters: [string, bigint][];
  readonly cursor: unknown;
  readonly queue: [string, Entry][];
  /** The checksum the last commit wrote over its counters (see Batch.sum); undefined before any. */
  readonly sum: string | undefined;
}

export interface Batch {
  readonly counters: ReadonlyMap<string, bigint>;
  readonly cursor: unknown;
  readonly queue: ReadonlyMap<string, Entry | null>;
  /** A checksum of every counter after this batch, so a damaged file is refused at the next start. */
  readonly sum?: string;
  /** Writes the batch's history (src/history/apply.ts), inside the same transaction. */
  readonly history?: (kv: Kv) => void;
}

export const DEFAULT_MAP_SIZE = 256 * 1024 * 1024;

export class Store {
  private nextIndex: number;
  private seq: number;
  /** Every key's OID index: given out here, written with the next commit (and by every full write). */
  private readonly indices = new Map<string, number>();
  private readonly unwritten = new Set<string>();
  private readonly dataIno: number;

  private constructor(readonly dir: string, private readonly db: RootDatabase<Buffer, string>) {
    this.nextIndex = decodeU32(db.get(NEXT_INDEX)) ?? 1;
    this.seq = decodeU32(db.get(SEQ)) ?? 0;
    for (const { key, value } of db.getRange({ start: INDEX, end: 'i;' })) {
      const i = decodeU32(value);
      if (i !== undefined) this.indices.set(key.slice(INDEX.length), i);
    }
    this.dataIno = statSync(join(dir, 'data.mdb')).ino;
  }

  /** `recreating`: the daemon replaces files deleted under it, so an empty data file is its own failed try. */
  static open(dir: string, mapSize = DEFAULT_MAP_SIZE, recreating = false): Store {
    mkdirSync(dir, { recursive: true });
    const data = join(dir, 'data.mdb');
    // An empty data file is a creation that never finished (no space for its first pages, say): it
    // holds no commit, so nothing is lost by starting it again. Unless a snapshot was published from
    // it: then commits were made and the file was cut to nothing since, which is damage.
    if (existsSync(data) && statSync(data).size === 0) {
      if (!recreating && existsSync(join(dir, SNAPSHOT_FILE))) {
        throw new Error(`refusing to open ${dir}: data.mdb is empty, but ${SNAPSHOT_FILE} shows commits were made to it (cut to nothing since?); move data.mdb and ${SNAPSHOT_FILE} away to count anew`);
      }
      rmSync(data);
      rmSync(join(dir, 'lock.mdb'), { force: true });
    }
    const bad = existsSync(data) ? checkDataFile(data) : null;
    if (bad !== null) throw new Error(`refusing to open ${dir}: ${bad}`);
    allocateLockFile(join(dir, 'lock.mdb'));
    // noSubdir false: lmdb-js would otherwise take a directory whose name has a dot for a file.
    // overlappingSync off: a commit is durable when transactionSync returns, so a crash right after
    // cannot roll the cursor back behind counters a reader already saw.
    const db = open<Buffer, string>({ path: dir, noSubdir: false, encoding: 'binary', mapSize, overlappingSync: false });
    try {
      return new Store(dir, db);
    } catch (e) {
      void db.close();
      throw e;
    }
  }

  /**
   * Carries the OID indices and the commit sequence over from the store this one replaces (its files
   * were deleted under the daemon), so no key changes its OID and no snapshot number goes back.
   */
  adopt(old: Store): void {
    for (const [key, i] of old.indices) this.indices.set(key, i);
    this.nextIndex = Math.max(this.nextIndex, old.nextIndex);
    this.seq = Math.max(this.seq, old.seq);
  }

  /** The commit the store is at; grows by one per commit. */
  get sequence(): number {
    return this.seq;
  }

  /** The key's OID index, given out now if it has none: kept for the life of the database. */
  indexOf(key: string): number {
    let i = this.indices.get(key);
    if (i === undefined) {
      i = this.nextIndex++;
      this.indices.set(key, i);
      this.unwritten.add(key);
    }
    return i;
  }

  /** Throws when the counters do not match the checksum of the last commit (a damaged file). */
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
    const raw = this.db.get(SUM);
    const sum = raw === undefined ? undefined : Buffer.from(raw).toString('latin1');
    if (sum !== undefined && sum !== sha256(encodeRows(toRows(counters, (k) => this.indexOf(k)))))
      throw new Error(`${this.dir}/data.mdb is damaged: its counters do not match the checksum of its last commit`);
    return { counters, cursor: decodeJson(this.db.get(CURSOR)), queue, sum };
  }

  /**
   * Writes one batch atomically. `full` rewrites everything the batch does not say by difference: all
   * queue state and all indices (into a recreated store, or after a failed commit).
   */
  commit(b: Batch, full = false): void {
    const next = (this.seq + 1) >>> 0;
    this.db.transactionSync(() => {
      if (full) for (const key of this.db.getKeys({ start: QUEUE, end: 'q;' })) this.db.removeSync(key);
      for (const [key, v] of b.counters) {
        this.indexOf(key);
        this.db.putSync(COUNTER + key, encodeU64(v));
      }
      for (const key of full ? this.indices.keys() : this.unwritten) this.db.putSync(INDEX + key, encodeU32(this.indices.get(key)!));
      this.db.putSync(NEXT_INDEX, encodeU32(this.nextIndex));
      for (const [qid, e] of b.queue) {
        if (e === null) this.db.removeSync(QUEUE + qid);
        else this.db.putSync(QUEUE + qid, encodeEntry(e));
      }
      if (b.cursor !== undefined && b.cursor !== null) this.db.putSync(CURSOR, encodeJson(b.cursor));
      if (b.sum !== undefined) this.db.putSync(SUM, Buffer.from(b.sum, 'latin1'));
      b.history?.(this.kv);
      this.db.putSync(SEQ, encodeU32(next));
    });
    this.unwritten.clear();
    this.seq = next;
  }

  /** History's view of the store: writes only inside commit()'s transaction (Batch.history). */
  readonly kv: Kv = {
    get: (key) => this.db.get(key),
    put: (key, value) => void this.db.putSync(key, Buffer.from(value.buffer, value.byteOffset, value.length)),
    remove: (key) => void this.db.removeSync(key),
    range: (start, end) => this.db.getRange({ start, end }),
  };

  /** False once data.mdb was deleted or replaced under us (the daemon then recreates the store). */
  intact(): boolean {
    try {
      return statSync(join(this.dir, 'data.mdb')).ino === this.dataIno;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }
}

/**
 * LMDB maps its lock file after extending it with ftruncate, which allocates no blocks: on a full
 * file system the first touch of a page then kills the process with SIGBUS (measured). Written out
 * with real zeros first (LMDB initialises a lock file it finds without its magic), a full disk is an
 * ENOSPC error here instead; the rename leaves no half-written lock file behind.
 */
function allocateLockFile(path: string): void {
  if (existsSync(path)) return;
  const tmp = `${path}.new`;
  try {
    writeFileSync(tmp, Buffer.alloc(LOCK_FILE_BYTES));
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** More than lmdb-js's lock file takes for its 126 reader slots (8,272 bytes). */
const LOCK_FILE_BYTES = 16384;

function encodeEntry(e: Entry): Buffer {
  const flags = +e.received | (+e.held << 1) | (+e.discarded << 2) | (+e.deferred << 3);
  // size and sender only once qmgr named them: most entries of a busy queue are written before that;
  // the client only while it may still be wanted (until qmgr's line)
  if (e.client !== '' && e.sender === '') return encodeJson([e.seq, e.origin, flags, e.size, e.sender, e.client]);
  return encodeJson(e.size === 0 && e.sender === '' ? [e.seq, e.origin, flags] : [e.seq, e.origin, flags, e.size, e.sender]);
}

/** Three fields (written before the report's facts existed, or before qmgr's line), five, or six (with the client). */
function decodeEntry(v: unknown): Entry | null {
  if (!Array.isArray(v) || (v.length !== 3 && v.length !== 5 && v.length !== 6)) return null;
  const [seq, origin, flags, size = 0, sender = '', client = ''] = v as unknown[];
  if (typeof seq !== 'number' || typeof origin !== 'string' || typeof flags !== 'number') return null;
  if (typeof size !== 'number' || typeof sender !== 'string' || typeof client !== 'string') return null;
  return { seq, origin, received: (flags & 1) !== 0, held: (flags & 2) !== 0, discarded: (flags & 4) !== 0, size, sender, client, deferred: (flags & 8) !== 0 };
}
