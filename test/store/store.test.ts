import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { Rewound, Store } from '../../src/store/store.js';
import { Reader } from '../../src/store/reader.js';
import { COUNTER, INDEX, SEQ, decodeU64, encodeU64 } from '../../src/store/codec.js';
import { tmp } from '../helpers/tmp.js';

/** Every row as the helper sees it, through the Reader. */
function rowsOf(dir: string) {
  const r = Reader.open(dir);
  if (!r.ok) throw new Error(r.message);
  try {
    return r.reader.rows();
  } finally {
    r.reader.close();
  }
}

const E = (seq: number) => ({ seq, origin: 'smtp', received: true, held: false, discarded: true });

describe('Store', () => {
  it('commits counters, cursor and queue state together and loads them back', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 5n], ['recv:smtp', 2n]]), cursor: { offset: 42 }, queue: new Map([['ABCDEF', E(3)]]) });
    await s.close();
    const t = Store.open(dir, 16 << 20);
    const loaded = t.load();
    expect(new Map(loaded.counters)).toEqual(new Map([['recv:smtp', 2n], ['sent:smtp', 5n]]));
    expect(loaded.cursor).toEqual({ offset: 42 });
    expect(loaded.queue).toEqual([['ABCDEF', E(3)]]);
    await t.close();
  });

  it('stores counters as 8-byte big-endian unsigned integers, exact above 2^53', () => {
    const big = (1n << 64n) - 3n;
    expect(encodeU64(big).toString('hex')).toBe('fffffffffffffffd');
    expect(decodeU64(encodeU64(big))).toBe(big);
  });

  it('gives each key an index once and keeps it across commits and restarts', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['b', 1n], ['a', 1n]]), cursor: null, queue: new Map() });
    s.commit({ counters: new Map([['c', 1n], ['a', 2n]]), cursor: null, queue: new Map() });
    await s.close();
    expect(rowsOf(dir)).toEqual([
      { key: 'a', value: 2n, index: 2 },
      { key: 'b', value: 1n, index: 1 },
      { key: 'c', value: 1n, index: 3 },
    ]);
  });

  it('deletes queue entries marked null and, on a full write, every entry not in the batch', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map(), cursor: null, queue: new Map([['AAAAAA', E(1)], ['BBBBBB', E(2)], ['CCCCCC', E(3)]]) });
    s.commit({ counters: new Map(), cursor: null, queue: new Map([['AAAAAA', null]]) });
    expect(s.load().queue.map(([q]) => q)).toEqual(['BBBBBB', 'CCCCCC']);
    s.commit({ counters: new Map(), cursor: null, queue: new Map([['DDDDDD', E(4)]]) }, true);
    expect(s.load().queue.map(([q]) => q)).toEqual(['DDDDDD']);
    await s.close();
  });

  it('refuses a partial commit onto a store its last commit no longer shows (Rewound), then a full write repairs it', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 1n]]), cursor: { offset: 1 }, queue: new Map() });
    s.commit({ counters: new Map([['sent:smtp', 2n], ['recv:smtp', 1n]]), cursor: { offset: 2 }, queue: new Map() });
    // What an undone last commit leaves: the first commit's state (see Rewound).
    const raw = open<Buffer, string>({ path: dir, encoding: 'binary' });
    raw.transactionSync(() => {
      raw.putSync(COUNTER + 'sent:smtp', encodeU64(1n));
      raw.removeSync(COUNTER + 'recv:smtp');
      raw.removeSync(INDEX + 'recv:smtp');
      raw.putSync(SEQ, Buffer.from([0, 0, 0, 1]));
    });
    expect(() => s.commit({ counters: new Map([['sent:smtp', 3n]]), cursor: { offset: 3 }, queue: new Map() })).toThrow(Rewound);
    expect(new Map(s.load().counters)).toEqual(new Map([['sent:smtp', 1n]])); // nothing written
    s.commit({ counters: new Map([['sent:smtp', 3n], ['recv:smtp', 1n]]), cursor: { offset: 3 }, queue: new Map() }, true);
    s.commit({ counters: new Map([['sent:smtp', 4n]]), cursor: { offset: 4 }, queue: new Map() }); // partial again
    await s.close();
    // recv:smtp keeps the index it was given before the rewind
    expect(rowsOf(dir)).toEqual([
      { key: 'recv:smtp', value: 1n, index: 2 },
      { key: 'sent:smtp', value: 4n, index: 1 },
    ]);
  });

  it('tells when its data file was deleted under it', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    expect(s.intact()).toBe(true);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, 'data.mdb'));
    expect(s.intact()).toBe(false);
    await s.close();
  });
});

describe('Reader', () => {
  it('reports a missing database as missing, not as zero', () => {
    const r = Reader.open(join(tmp(), 'nothing-here'));
    expect(r).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('reports a database file that is not LMDB as broken', async () => {
    const dir = tmp();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'data.mdb'), 'this is not an LMDB file at all, just text');
    writeFileSync(join(dir, 'lock.mdb'), '');
    const r = Reader.open(dir);
    expect(r).toMatchObject({ ok: false, reason: 'broken' });
    expect(readFileSync(join(dir, 'data.mdb'), 'utf8')).toContain('not an LMDB');
  });

  it('reports a data file cut short as broken instead of crashing on it', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    for (let i = 0; i < 4; i++) {
      const queue = new Map(Array.from({ length: 300 }, (_, j) => [`Q${i}X${j}`, E(j)] as const));
      s.commit({ counters: new Map([['sent:smtp', BigInt(i)]]), cursor: null, queue });
    }
    await s.close();
    const { truncateSync } = await import('node:fs');
    truncateSync(join(dir, 'data.mdb'), 8192);
    expect(Reader.open(dir)).toMatchObject({ ok: false, reason: 'broken' });
    expect(() => Store.open(dir, 16 << 20)).toThrow(/truncated/);
  });
});
