// lmdb-js grows its map on demand, so a "full map" is in truth a full file system. On a tiny tmpfs
// (needs root to mount; skipped otherwise) a commit must fail with a clear error, leave the last good
// commit intact, and succeed again, whole, once space is back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';

function mountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pfs-full-'));
const mounted = mountTmpfs(dir);
afterAll(() => {
  if (mounted) execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

const entry = (seq: number) => ({ seq, origin: 'smtp', received: false, held: false, discarded: false, size: 0, sender: '', client: '', deferred: false });

describe.skipIf(!mounted)('a full file system', () => {
  it('fails the commit with ENOSPC, keeps the last good commit, and recovers once space is back', async () => {
    const db = join(dir, 'db');
    const s = Store.open(db, 16 << 20);
    s.commit({ counters: new Map([['sent:smtp', 1n]]), cursor: { offset: 1 }, queue: new Map() });
    expect(() => writeFileSync(join(dir, 'filler'), Buffer.alloc(2 << 20))).toThrow(/ENOSPC/);
    const big = new Map(Array.from({ length: 500 }, (_, j) => [`Q${j}`, entry(j)] as const));
    expect(() => s.commit({ counters: new Map([['sent:smtp', 2n]]), cursor: { offset: 2 }, queue: big })).toThrow(/No space left/);
    expect(s.load().counters).toEqual([['sent:smtp', 1n]]);
    expect(s.load().cursor).toEqual({ offset: 1 });
    rmSync(join(dir, 'filler'));
    s.commit({ counters: new Map([['sent:smtp', 3n]]), cursor: { offset: 3 }, queue: big }, true);
    await s.close();
    const t = Store.open(db, 16 << 20);
    expect(t.load().counters).toEqual([['sent:smtp', 3n]]);
    expect(t.load().queue).toHaveLength(500);
    await t.close();
  });
});
