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
      return { ok: true, reader: new Reader(open<Buffer, string>({ path: dir, readOnly: true, encoding: 'binary' })) };
    } catch (e) {
      return { ok: false, reason: 'broken', message: `cannot read ${dir}: ${(e as Error).message}` };
    }
  }

  /** The counter's value, or undefined when it was never written. */
  get(key: string): bigint | undefined {
    return decodeU64(this.db.get(COUNTER + key));
  }

  /** Every counter, in key order, with its stable OID index. */
  rows(): Row[] {
    const rows: Row[] = [];
    for (const { key, value } of this.db.getRange({ start: COUNTER, end: 'c;' })) {
      const name = key.slice(COUNTER.length);
      const v = decodeU64(value);
      if (v !== undefined) rows.push({ key: name, value: v, index: decodeU32(this.db.get(INDEX + name)) ?? 0 });
    }
    return rows;
  }

  close(): void {
    void this.db.close();
  }
}
