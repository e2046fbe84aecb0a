import { appendFileSync, renameSync, truncateSync, writeFileSync, copyFileSync, readFileSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Cursor } from '../../../src/source/file/cursor.js';
import type { FollowEvent } from '../../../src/source/file/follower.js';
import { tmp } from '../../helpers/tmp.js';
import { expectLines, follower, lines } from './helpers.js';

/** Where a follower that read `lines(0, n)` of a new log stopped: the cursor it would have committed. */
async function stoppedAfter(path: string, n: number): Promise<Cursor> {
  writeFileSync(path, lines(0, n));
  const { f } = follower(path);
  await f.poll();
  const c = f.cursor()!;
  f.close();
  return c;
}

/** Where a follower that read a first file (lines 0-9), renamed to `renamedTo`, then the new one (10-19) stopped. */
async function stoppedInSecond(path: string, renamedTo: string): Promise<Cursor> {
  writeFileSync(path, lines(0, 10));
  const { f } = follower(path);
  await f.poll();
  renameSync(path, renamedTo);
  writeFileSync(path, lines(10, 20));
  await f.poll();
  await f.poll();
  const c = f.cursor()!;
  f.close();
  return c;
}

/** A follower of a new log that read its lines 0-49; `rotateWaitMs` and `during` (given the log's path) as follower()'s. */
async function readFifty(rotateWaitMs = 0, during?: (ev: FollowEvent, path: string) => void) {
  const path = join(tmp(), 'mail.log');
  writeFileSync(path, lines(0, 50));
  const b = follower(path, null, undefined, rotateWaitMs, during && ((ev) => during(ev, path)));
  await b.f.poll();
  return { ...b, path };
}

/**
 * A follower that read lines 0-49, then the log got 50-79, was copied to `.1` and truncated, and got
 * 80-89, read once more; `onTruncation` changes the files the moment the follower has seen it.
 */
async function copytruncated(onTruncation?: (path: string) => void) {
  const b = await readFifty(0, (ev, path) => {
    if (ev === 'truncation') onTruncation?.(path);
  });
  const { path } = b;
  appendFileSync(path, lines(50, 80));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(80, 90));
  await b.f.poll();
  return { ...b, path };
}

/** What gzip(1) does: `from` compressed to `to`, then removed. */
function compress(from: string, to = `${from}.gz`): void {
  writeFileSync(to, gzipSync(readFileSync(from)));
  unlinkSync(from);
}

/** A follower restarted from `saved`, after it has read all there is. */
async function drained(path: string, saved: Cursor) {
  const b = follower(path, saved);
  while ((await b.f.poll()) > 0);
  return b;
}

describe('Follower', () => {
  it('hands over complete lines only, and the rest once its newline arrives', async () => {
    const path = join(tmp(), 'mail.log');
    writeFileSync(path, 'first\nsecond wit');
    const { f, got } = follower(path);
    await f.poll();
    expect(got).toEqual(['first']);
    expect(f.cursor()!.offset).toBe(6);
    appendFileSync(path, 'hout end\n');
    await f.poll();
    expect(got).toEqual(['first', 'second without end']);
  });

  it('finishes the renamed file before the newly created one (logrotate create)', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 100));
    const { f, got, events } = follower(path);
    await f.poll();
    appendFileSync(path, lines(100, 150));
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(150, 200));
    await f.poll();
    expectLines(got, 0, 200);
    expect(events).toContain('rotation');
  });

  it('keeps reading a renamed file that a syslog daemon still writes to until it is quiet', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 10));
    const { f, got } = follower(path, null, undefined, 60_000);
    await f.poll();
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(20, 30)); // logrotate's create
    await f.poll();
    appendFileSync(`${path}.1`, lines(10, 20)); // written through the old descriptor before the HUP
    await f.poll();
    expectLines(got, 0, 20); // the new file waits while the old one may still grow
    const g = follower(path, f.cursor(), undefined, 0);
    f.close();
    while ((await g.f.poll()) > 0);
    expectLines(g.got, 20, 30);
  });

  it('orders postfix logrotate names by date and finishes them before the current file', async () => {
    const dir = tmp();
    const path = join(dir, 'postfix.log');
    const c = await stoppedAfter(path, 10);
    appendFileSync(path, lines(10, 20));
    writeFileSync(`${path}.20261121-235959.gz`, gzipSync(readFileSync(path)));
    writeFileSync(`${path}.20261122-000500.gz`, gzipSync(lines(20, 30)));
    writeFileSync(path, lines(30, 40));
    const b = await drained(path, c);
    expectLines(b.got, 10, 40);
  });

  it('reads a copy rotated between two polls when two rotations happen before it looks', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 10));
    const { f, got } = follower(path);
    await f.poll();
    appendFileSync(path, lines(10, 20));
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(20, 30));
    renameSync(`${path}.1`, `${path}.2`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(30, 40));
    await f.poll();
    expectLines(got, 0, 40);
  });

  it('recovers the lines copied by copytruncate that it had not read yet', async () => {
    const { got, events } = await copytruncated();
    expectLines(got, 0, 90);
    expect(events).toContain('truncation');
  });

  it('copytruncate, then its copy deleted before it is opened (a second rotation, rotate 0): a gap, then the current file', async () => {
    const { f, got, events, path } = await copytruncated((path) => unlinkSync(`${path}.1`));
    expect(events).toEqual(['truncation', 'gap']);
    expect(got).toEqual([...lines(0, 50).split('\n').slice(0, -1), ...lines(80, 90).split('\n').slice(0, -1)]);
    appendFileSync(path, lines(90, 95));
    await f.poll();
    expect(got.slice(-5)).toEqual(lines(90, 95).split('\n').slice(0, -1));
  });

  it('copytruncate, then its copy rotated on before it is opened: found again by content, nothing lost', async () => {
    const { got, events } = await copytruncated((path) => {
      renameSync(`${path}.1`, `${path}.2`);
      copyFileSync(path, `${path}.1`);
      truncateSync(path, 0);
      appendFileSync(path, lines(90, 100));
    });
    expectLines(got, 0, 100);
    expect(events).not.toContain('gap');
  });

  it('a truncation seen only after the file was also renamed away (rotated again at once): its new lines, then the next file', async () => {
    const { f, got, events, path } = await readFifty();
    truncateSync(path, 0);
    appendFileSync(path, lines(50, 60));
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(60, 70));
    await f.poll();
    await f.poll();
    expectLines(got, 0, 70);
    expect(events).toEqual(['truncation', 'rotation']);
  });

  it('a truncation seen only after the file was renamed away while still empty: what its writer adds before reopening is read', async () => {
    // a rotate wait longer than the test: the renamed file is never taken for finished
    const { f, got, events, path } = await readFifty(600_000);
    truncateSync(path, 0);
    renameSync(path, `${path}.1`);
    writeFileSync(path, '');
    await f.poll();
    appendFileSync(`${path}.1`, lines(50, 60)); // the writer still holds the renamed file
    appendFileSync(path, lines(60, 70));
    await f.poll();
    expectLines(got, 0, 60);
    expect(events).toEqual(['truncation']);
  });

  it('copytruncate seen only after a rotation renamed the truncated file away: the copy, the file\'s new lines, the next file', async () => {
    const { f, got, events, path } = await copytruncated((path) => {
      renameSync(`${path}.1`, `${path}.2`);
      renameSync(path, `${path}.1`);
      writeFileSync(path, lines(90, 100));
    });
    await f.poll();
    expectLines(got, 0, 100);
    expect(events).not.toContain('gap');
  });

  it('the same with the truncated file compressed as it was renamed: read once, from the copy', async () => {
    const { f, got, events } = await copytruncated((path) => {
      renameSync(`${path}.1`, `${path}.2`);
      compress(path, `${path}.1.gz`);
      writeFileSync(path, lines(90, 100));
    });
    await f.poll();
    expectLines(got, 0, 100);
    expect(events).not.toContain('gap');
  });

  it('a second rotation between the listing of the copies and the opening of the log: the file rotated then is read too', async () => {
    const { f, got, events, path } = await readFifty(0, (ev, path) => {
      if (ev !== 'rotation') return;
      renameSync(`${path}.1`, `${path}.2`);
      renameSync(path, `${path}.1`);
      writeFileSync(path, lines(60, 70));
    });
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(50, 60));
    await f.poll();
    await f.poll();
    expectLines(got, 0, 70);
    expect(events).not.toContain('gap');
  });

  it('copytruncate, then two rotations before it is seen: the copy, the truncated file\'s new lines, the files after it, each once and in order', async () => {
    const { f, got, events, path } = await readFifty();
    appendFileSync(path, lines(50, 80));
    copyFileSync(path, `${path}.1`); // copytruncate
    truncateSync(path, 0);
    appendFileSync(path, lines(80, 90));
    renameSync(`${path}.1`, `${path}.2`); // delaycompress
    renameSync(path, `${path}.1`);
    compress(`${path}.2`);
    writeFileSync(path, lines(90, 100));
    renameSync(`${path}.2.gz`, `${path}.3.gz`); // create
    renameSync(`${path}.1`, `${path}.2`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(100, 110));
    await f.poll();
    await f.poll();
    expectLines(got, 0, 110);
    expect(events).not.toContain('gap');
  });

  it('notices a truncation that regrew past its position, by the bytes before it', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 5));
    const { f, got, events } = follower(path);
    await f.poll();
    truncateSync(path, 0);
    appendFileSync(path, lines(100, 140));
    await f.poll();
    expect(events).toContain('truncation');
    expect(got).toEqual([...lines(0, 5).split('\n').slice(0, -1), ...lines(100, 140).split('\n').slice(0, -1)]);
  });

  it('resumes at the committed position after a restart, including lines written meanwhile', async () => {
    const path = join(tmp(), 'mail.log');
    const c = await stoppedAfter(path, 30);
    appendFileSync(path, lines(30, 60));
    const b = follower(path, c);
    await b.f.poll();
    expectLines(b.got, 30, 60);
  });

  it('after rotations while stopped, finishes each rotated file in order, gzip included', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    appendFileSync(path, lines(20, 40));
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(40, 60));
    // second rotation compresses the older copy at once, as `postfix logrotate` does
    compress(`${path}.1`, `${path}.2.gz`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(60, 80));
    const b = await drained(path, c);
    expectLines(b.got, 20, 80);
    expect(b.events.filter((e) => e === 'rotated_file')).toHaveLength(2);
  });

  it('after rotations while stopped to logrotate\'s other names (dateformat -%Y-%m-%d, extension .log), reads them in order', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    appendFileSync(path, lines(20, 40));
    renameSync(path, join(dir, 'mail-2026-11-29.log'));
    compress(join(dir, 'mail-2026-11-29.log'), join(dir, 'mail-2026-11-29.log.gz'));
    writeFileSync(path, lines(40, 60));
    renameSync(path, join(dir, 'mail-2026-11-30.log'));
    writeFileSync(path, lines(60, 80));
    const b = await drained(path, c);
    expectLines(b.got, 20, 80);
    expect(b.events).not.toContain('gap');
  });

  it('resumes inside a gzip copy when it stopped while reading it', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c1 = await stoppedAfter(path, 20);
    appendFileSync(path, lines(20, 4000));
    writeFileSync(`${path}.1.gz`, gzipSync(readFileSync(path)));
    writeFileSync(path, lines(4000, 4010));
    const b = follower(path, c1);
    await b.f.poll(1000); // a small budget stops it inside the compressed copy
    const c2 = b.f.cursor()!;
    b.f.close();
    expect(c2.offset).toBeGreaterThan(c1.offset);
    const c = follower(path, c2);
    while ((await c.f.poll()) > 0);
    expect([...b.got, ...c.got]).toEqual(lines(20, 4010).split('\n').slice(0, -1));
  });

  it('finds a file still empty at its last commit, once renamed and compressed, as the copy after the one before it', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 20));
    const a = follower(path);
    await a.f.poll();
    renameSync(path, `${path}.1`);
    writeFileSync(path, '');
    await a.f.poll(); // finishes .1, opens the new, empty file
    const c = a.f.cursor()!;
    a.f.close();
    expect([c.offset, c.headLen]).toEqual([0, 0]); // nothing but an inode names this file
    appendFileSync(path, lines(20, 40)); // read, perhaps, but never committed
    renameSync(`${path}.1`, `${path}.2`);
    compress(path, `${path}.1.gz`);
    writeFileSync(path, lines(40, 60));
    const b = await drained(path, c);
    expectLines(b.got, 20, 60);
    expect(b.events).not.toContain('gap');
  });

  it('after a truncation in place, finds the refilled file among the copies newer than the newest one before it', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(`${path}.1.gz`, gzipSync(lines(900, 910))); // history, read long ago
    writeFileSync(path, lines(0, 20));
    const a = follower(path);
    await a.f.poll();
    truncateSync(path, 0);
    await a.f.poll();
    expect(a.events).toContain('truncation');
    const c = a.f.cursor()!;
    a.f.close();
    appendFileSync(path, lines(20, 40));
    renameSync(`${path}.1.gz`, `${path}.2.gz`);
    compress(path, `${path}.1.gz`);
    writeFileSync(path, lines(40, 60));
    const b = await drained(path, c);
    expectLines(b.got, 20, 60);
    expect(b.events).not.toContain('gap');
  });

  it('reads no copy twice and reports no gap when an empty current file was rotated while stopped', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(`${path}.20261121-040000.gz`, gzipSync(lines(900, 910))); // history
    writeFileSync(path, '');
    const a = follower(path);
    await a.f.poll();
    const c = a.f.cursor()!;
    a.f.close();
    renameSync(path, `${path}.20261122-040000`); // postfix logrotate, compressing at once
    compress(`${path}.20261122-040000`);
    writeFileSync(path, lines(0, 10));
    const b = await drained(path, c);
    expectLines(b.got, 0, 10);
    expect(b.events).not.toContain('gap');
  });

  it('reports a gap when no file holds the saved position, then reads the current file', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    unlinkSync(path);
    writeFileSync(path, lines(100, 110));
    const b = follower(path, c);
    await b.f.poll();
    expect(b.events).toContain('gap');
    expectLines(b.got, 100, 110);
  });

  it('the copy holding the position deleted while stopped (rotate 2, three rotations): a gap, then the copies left, oldest first, and the current file', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    // logrotate `rotate 2` (create, compress) three times while stopped: lines 20-40 go with the
    // copy that held the position, 40-60 and 60-80 are left in .2.gz and .1.gz
    const rotate = () => {
      try {
        unlinkSync(`${path}.2.gz`);
      } catch {
        // not there yet
      }
      try {
        renameSync(`${path}.1.gz`, `${path}.2.gz`);
      } catch {
        // not there yet
      }
      renameSync(path, `${path}.1`);
      compress(`${path}.1`);
    };
    appendFileSync(path, lines(20, 40));
    rotate();
    writeFileSync(path, lines(40, 60));
    rotate();
    writeFileSync(path, lines(60, 80));
    rotate();
    writeFileSync(path, lines(80, 100));
    const b = await drained(path, c);
    expect(b.events.filter((e) => e === 'gap')).toHaveLength(1);
    expectLines(b.got, 40, 100);
  });

  /**
   * A leftover numbered copy beside dateext ones (the naming changed); the daemon stops in the second
   * dated file; while stopped, `rotate 1` deletes both the file it stopped in and the one before it.
   */
  async function bothGone(): Promise<{ path: string; c: Cursor }> {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(`${path}.1`, lines(200, 210));
    utimesSync(`${path}.1`, Date.now() / 1000 - 3600, Date.now() / 1000 - 3600);
    const c = await stoppedInSecond(path, `${path}-20261128`);
    appendFileSync(path, lines(20, 30));
    renameSync(path, `${path}-20261129`);
    writeFileSync(path, lines(30, 40));
    renameSync(path, `${path}-20261130`);
    writeFileSync(path, lines(40, 50));
    unlinkSync(`${path}-20261128`);
    unlinkSync(`${path}-20261129`);
    return { path, c };
  }

  it('the file it stopped in and the one before it both deleted while stopped: the copies changed since are read, not an older leftover', async () => {
    const { path, c } = await bothGone();
    // stopped a second before the rotations (file times run on a coarser clock than Date.now())
    const b = await drained(path, { ...c, at: c.at! - 1000 });
    expect(b.events.filter((e) => e === 'gap')).toHaveLength(1);
    expectLines(b.got, 30, 50);
  });

  it('the same with a cursor from before cursors had a time: a gap, and no copy read', async () => {
    const { path, c } = await bothGone();
    const { at: _, ...old } = c;
    const b = await drained(path, old);
    expect(b.events.filter((e) => e === 'gap')).toHaveLength(1);
    expectLines(b.got, 40, 50);
  });

  it('the copy holding the position deleted while stopped, the one before it left: read from there on, not again', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedInSecond(path, `${path}.1`);
    // stopped inside the second file; it is rotated and deleted by hand, its predecessor kept
    renameSync(`${path}.1`, `${path}.2`);
    appendFileSync(path, lines(20, 30));
    renameSync(path, `${path}.1`);
    unlinkSync(`${path}.1`);
    writeFileSync(`${path}.1`, lines(30, 40));
    writeFileSync(path, lines(40, 50));
    const b = await drained(path, c);
    expect(b.events.filter((e) => e === 'gap')).toHaveLength(1);
    expectLines(b.got, 30, 50);
  });

  it('reports a corrupt compressed copy as a gap and goes on with the newer files', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    appendFileSync(path, lines(20, 40));
    renameSync(path, `${path}.2`);
    const gz = gzipSync(lines(40, 50));
    gz.fill(0x55, 12, gz.length - 8); // a gzip header, then garbage
    writeFileSync(`${path}.1.gz`, gz);
    writeFileSync(path, lines(50, 60));
    const b = await drained(path, c);
    expect(b.events).toContain('gap');
    expect(b.got).toEqual([...lines(20, 40).split('\n').slice(0, -1), ...lines(50, 60).split('\n').slice(0, -1)]);
  });

  it('resumes inside a compressed copy damaged past its head: the lines before the position are not read again', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 50);
    appendFileSync(path, lines(50, 20_000));
    const gz = gzipSync(readFileSync(path)).fill(0xff, 5000, 5016);
    writeFileSync(`${path}.1.gz`, gz);
    unlinkSync(path);
    writeFileSync(path, lines(20_000, 20_010));
    const b = await drained(path, c);
    expect(b.got[0]).toBe(lines(50, 51).slice(0, -1));
    expect(b.got.slice(-10)).toEqual(lines(20_000, 20_010).split('\n').slice(0, -1));
    expect(b.details.filter((d) => d.includes('no file holds'))).toEqual([]);
  });

  it('is not fooled by a new file that reuses the inode: the head fingerprint differs', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    const c = await stoppedAfter(path, 20);
    // Same inode and a longer size, but other content: what inode reuse after rotation looks like.
    writeFileSync(path, lines(500, 600));
    const b = follower(path, c);
    await b.f.poll();
    expectLines(b.got, 500, 600);
  });

  it('skips an over-long line whole, reports it, and keeps the lines around it', async () => {
    const path = join(tmp(), 'mail.log');
    writeFileSync(path, `before\n${'y'.repeat(5000)}\nafter\n`);
    const { f, got, events } = follower(path, null, 1000);
    await f.poll();
    expect(got).toEqual(['before', 'after']);
    expect(events).toEqual(['long_line']);
  });

  it('waits for a missing log and reports it once, then reads it when it appears', async () => {
    const path = join(tmp(), 'mail.log');
    const { f, got, events } = follower(path);
    await f.poll();
    await f.poll();
    expect(events).toEqual(['missing']);
    writeFileSync(path, lines(0, 3));
    await f.poll();
    expectLines(got, 0, 3);
  });
});
