// A damaged database is refused with exit 74 and a message, never read as counts and never a crash:
// LMDB itself would count garbage as keys or die of SIGSEGV/SIGBUS (both measured), so the daemon
// checks the meta pages, has a child process of its own read and commit the whole file first, and
// checks the counters against the checksum of the last commit.
import { cpSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
import { COUNTER, encodeU64 } from '../../src/store/codec.js';
import { mailCounters, runOnce } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const PAGE = 4096;

/** A database made from the fixture log, and its mail counters. */
function made(lines = 1): { dir: string; ref: string; want: Record<string, number> } {
  const dir = tmp();
  const log = join(dir, 'mail.log');
  writeFileSync(log, readFileSync('fixtures/logs/rfc3339.log', 'utf8').repeat(lines));
  const ref = join(dir, 'ref');
  expect(runOnce(log, ref).code).toBe(0);
  return { dir, ref, want: mailCounters(ref) };
}

/** Restarts the daemon on a copy of `ref` damaged by `harm`: its exit, and what it then published. */
function restartOn(ref: string, harm: (data: string) => void) {
  const db = join(ref, '..', 'copy');
  rmSync(db, { recursive: true, force: true });
  cpSync(ref, db, { recursive: true });
  rmSync(join(db, 'snapshot'));
  harm(join(db, 'data.mdb'));
  const empty = join(ref, '..', 'empty.log');
  writeFileSync(empty, '');
  const r = runOnce(empty, db);
  return { ...r, counts: r.code === 0 ? mailCounters(db) : null };
}

describe('a damaged database', () => {
  it('cut at any page boundary: exit 74, "truncated"', () => {
    const { ref } = made(4);
    const pages = statSync(join(ref, 'data.mdb')).size / PAGE;
    expect(pages).toBeGreaterThan(4);
    for (let cut = 0; cut < pages; cut++) {
      const r = restartOn(ref, (f) => truncateSync(f, cut * PAGE));
      expect([r.code, r.signal], `cut at page ${cut}: ${r.stderr}`).toEqual([cut === 0 ? 0 : 74, null]);
      if (cut > 0) expect(r.stderr).toMatch(/truncated|too short/);
    }
  });

  it('cut to nothing while its snapshot is still there: exit 74, never counted anew as a first start', () => {
    const { dir, ref } = made(1);
    const db = join(dir, 'zero');
    cpSync(ref, db, { recursive: true });
    truncateSync(join(db, 'data.mdb'), 0);
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const r = runOnce(empty, db);
    expect([r.code, r.stderr]).toEqual([74, expect.stringMatching(/data\.mdb is empty, but snapshot shows commits/)]);
    expect(statSync(join(db, 'data.mdb')).size).toBe(0); // left as it was, for the admin to look at
  });

  it('a page of random bytes, wherever it lands: exit 74 with a message, or exactly the right counts', () => {
    const { ref, want } = made(4);
    const pages = statSync(join(ref, 'data.mdb')).size / PAGE;
    const seen = { refused: 0, exact: 0 };
    let seed = 12345;
    for (let p = 0; p < pages; p += Math.max(1, Math.floor(pages / 16))) {
      const r = restartOn(ref, (f) => {
        const junk = Buffer.alloc(PAGE);
        for (let i = 0; i < PAGE; i++) junk[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
        const data = readFileSync(f);
        junk.copy(data, p * PAGE);
        writeFileSync(f, data);
      });
      expect(r.signal, `page ${p}`).toBeNull();
      if (r.code === 0) {
        expect(r.counts, `page ${p}`).toEqual(want);
        seen.exact++;
      } else {
        expect([r.code, r.stdout.includes('"level":60') || r.stderr.length > 0], `page ${p}: ${r.stderr}`).toEqual([74, true]);
        seen.refused++;
      }
    }
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('a counter changed behind LMDB\'s back (a structurally sound file): exit 74, "checksum"', () => {
    const { ref } = made();
    const r = restartOn(ref, (f) => {
      const env = open<Buffer, string>({ path: join(f, '..'), encoding: 'binary' });
      env.putSync(COUNTER + 'sent:smtp', encodeU64(0n));
      void env.close();
    });
    expect([r.code, r.signal]).toEqual([74, null]);
    expect(r.stderr).toMatch(/damaged: its counters do not match the checksum/);
  });
});
