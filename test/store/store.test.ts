import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { decodeU64, encodeU64 } from '../../src/store/codec.js';
import { tmp } from '../helpers/tmp.js';

const E = (seq: number) => ({ seq, origin: 'smtp', received: true, held: false, discarded: true, size: 0, sender: '', client: '', deferred: false });

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
    expect(loaded.sum).toBeUndefined();
    await t.close();
  });

  it('keeps a message\'s client until qmgr names its sender, and reads entries of every earlier form', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    const waiting = { ...E(1), client: 'mx.example.org[192.0.2.1]' };
    const named = { ...E(2), size: 512, sender: 'example.org', client: '' };
    s.commit({ counters: new Map(), cursor: null, queue: new Map([['AAAAAA', waiting], ['BBBBBB', named], ['CCCCCC', E(3)]]) });
    await s.close();
    const t = Store.open(dir, 16 << 20);
    expect(t.load().queue).toEqual([['AAAAAA', waiting], ['BBBBBB', named], ['CCCCCC', E(3)]]);
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
    const t = Store.open(dir, 16 << 20);
    expect(['a', 'b', 'c', 'd'].map((k) => t.indexOf(k))).toEqual([2, 1, 3, 4]);
    expect(new Map(t.load().counters)).toEqual(new Map([['a', 2n], ['b', 1n], ['c', 1n]]));
    await t.close();
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

  it('a store replacing a deleted one keeps every OID index and goes on counting commits from the old one', async () => {
    const dir = tmp();
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 1n], ['recv:smtp', 1n]]), cursor: null, queue: new Map() });
    s.commit({ counters: new Map([['held', 1n]]), cursor: null, queue: new Map() });
    await s.close();
    rmSync(dir, { recursive: true });
    const t = Store.open(dir, 16 << 20);
    t.adopt(s);
    t.commit({ counters: new Map([['discarded', 1n], ['sent:smtp', 2n]]), cursor: null, queue: new Map() }, true);
    expect(t.sequence).toBe(3);
    await t.close();
    const u = Store.open(dir, 16 << 20);
    expect(['recv:smtp', 'sent:smtp', 'held', 'discarded'].map((k) => u.indexOf(k))).toEqual([2, 1, 3, 4]);
    await u.close();
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

describe('Store.open', () => {
  it('refuses a data file that is not LMDB, and leaves it as it was', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'data.mdb'), 'this is not an LMDB file at all, just text\n'.repeat(200));
    expect(() => Store.open(dir, 16 << 20)).toThrow(/not an LMDB data file/);
    expect(readFileSync(join(dir, 'data.mdb'), 'utf8')).toContain('not an LMDB');
  });

  it('starts afresh on an empty data file, a creation that never finished (a full disk, say)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'data.mdb'), '');
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 1n]]), cursor: null, queue: new Map() });
    expect(s.load().counters).toEqual([['sent:smtp', 1n]]);
    await s.close();
  });

  it('an empty data file beside a snapshot: refused at a start, taken as its own failed try when the daemon recreates deleted files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'data.mdb'), '');
    writeFileSync(join(dir, 'snapshot'), 'published before');
    expect(() => Store.open(dir, 16 << 20)).toThrow(/data\.mdb is empty, but snapshot shows commits/);
    const s = Store.open(dir, 16 << 20, true);
    s.commit({ counters: new Map([['sent:smtp', 1n]]), cursor: null, queue: new Map() });
    expect(s.load().counters).toEqual([['sent:smtp', 1n]]);
    await s.close();
  });

  it('opens a directory whose name has a dot as a directory (lmdb-js would take it for a file)', async () => {
    const dir = join(tmp(), 'stats.d');
    const s = Store.open(dir, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 1n]]), cursor: null, queue: new Map() });
    await s.close();
    expect(readdirSync(dir).sort()).toEqual(['data.mdb', 'lock.mdb']);
    expect(readdirSync(dirname(dir))).toEqual(['stats.d']);
  });
});
