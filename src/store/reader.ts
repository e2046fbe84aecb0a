// The helper's side: a read-only view of the counters. Opening read-only still needs the lock file
// (LMDB readers register in it), and the environment is always closed so no reader slot leaks.
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { COUNTER, INDEX, decodeU32, decodeU64 } from './codec.js';
import { checkDataFile } from './check.js';

export type OpenResult = { ok: true; reader: Reader } | { ok: false; reason: 'missing' | 'denied' | 'broken'; message: string };

export interface Row {
  readonly key: string;
  readonly value: bigint;
  readonly index: number;
}

export class Reader {
  private constructor(private readonly db: RootDatabase<Buffer, string>) {}

  static open(dir: string): OpenResult {
    const data = join(dir, 'data.mdb');
    if (!existsSync(data)) return { ok: false, reason: 'missing', message: `no database at ${dir} (${data} does not exist)` };
    try {
      accessSync(data, constants.R_OK);
      accessSync(join(dir, 'lock.mdb'), constants.R_OK | constants.W_OK);
    } catch (e) {
      return { ok: false, reason: 'denied', message: `cannot open ${dir}: ${(e as Error).message}` };
    }
    const bad = checkDataFile(data);
    if (bad !== null) return { ok: false, reason: 'broken', message: bad };
    try {
      // Now and then, under a daemon committing many times a second, a fresh read-only open sees an
      // empty snapshot (measured: about 1 in 10,000 opens). Every database the daemon has committed
      // holds self:commits, so its absence means: look again.
      let db = open<Buffer, string>({ path: dir, readOnly: true, encoding: 'binary' });
      for (let retry = 0; retry < 3 && db.get(COUNTER + 'self:commits') === undefined; retry++) {
        void db.close();
        db = open<Buffer, string>({ path: dir, readOnly: true, encoding: 'binary' });
      }
      return { ok: true, reader: new Reader(db) };
    } catch (e) {
      return { ok: false, reason: 'broken', message: `cannot read ${dir}: ${(e as Error).message}` };
    }
  }

  /** The counter's value, or undefined when it was never written. */
  get(key: string): bigint | undefined {
    return decodeU64(this.db.get(COUNTER + key));
  }

  /** Every counter, in key order, with its stable OID index: one cursor pass, so one snapshot. */
  rows(): Row[] {
    const values = new Map<string, bigint>();
    const indices = new Map<string, number>();
    for (const { key, value } of this.db.getRange({ start: COUNTER, end: 'i;' })) {
      if (key.startsWith(COUNTER)) {
        const v = decodeU64(value);
        if (v !== undefined) values.set(key.slice(COUNTER.length), v);
      } else if (key.startsWith(INDEX)) {
        const i = decodeU32(value);
        if (i !== undefined) indices.set(key.slice(INDEX.length), i);
      }
    }
    return [...values].map(([key, value]) => ({ key, value, index: indices.get(key) ?? 0 }));
  }

  close(): void {
    void this.db.close();
  }
}
