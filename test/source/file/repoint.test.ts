// `--log` may be a symlink an admin re-points between files (a.log, then b.log, then a.log again).
// A file named again must be read on from where it was left, not from its start, also after a
// restart; and a file that only looks the same (same inode, other content) must be read whole.
import { appendFileSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCursor, type Cursor } from '../../../src/source/file/cursor.js';
import { tmp } from '../../helpers/tmp.js';
import { expectLines, follower, lines } from './helpers.js';

/** Re-points `link` at `target` in one step, as `ln -sfn` through a rename does. */
function pointAt(link: string, target: string): void {
  const tmpLink = `${link}.tmp-link`;
  symlinkSync(target, tmpLink);
  renameSync(tmpLink, link);
}

/** What the engine commits and loads: the cursor through JSON. */
function committed(c: Cursor | null): Cursor {
  const back: unknown = JSON.parse(JSON.stringify(c));
  expect(isCursor(back)).toBe(true);
  return back as Cursor;
}

const drain = async (f: { poll(): Promise<number> }) => {
  while ((await f.poll()) > 0);
};

/** a.log (lines 0-9) read through the link, then b.log (10-19); the cursor committed, the follower closed. */
async function readAThenB() {
  const { a, b, link, ...first } = await followedAThenB('a.log', 'b.log');
  const c = committed(first.f.cursor());
  first.f.close();
  return { a, b, link, first, c };
}

/** mail.log pointing at `aName` (lines 0-9), read, then re-pointed at `bName` (10-19), read; the follower left running. */
async function followedAThenB(aName: string, bName: string) {
  const dir = tmp();
  const [a, b, link] = [join(dir, aName), join(dir, bName), join(dir, 'mail.log')];
  writeFileSync(a, lines(0, 10));
  writeFileSync(b, lines(10, 20));
  pointAt(link, a);
  const { f, got, events } = follower(link);
  await drain(f);
  pointAt(link, b);
  await drain(f);
  return { a, b, link, f, got, events };
}

describe('Follower over a re-pointed symlink', () => {
  it('re-pointed to a file whose name looks like a rotated copy of the link\'s (mail-20261201.log beside mail.log): read once', async () => {
    const { got, events } = await followedAThenB('mail-20261130.log', 'mail-20261201.log');
    expectLines(got, 0, 20);
    expect(events).not.toContain('gap');
  });

  it('reads a file named again from where it left it: a, b, a, b with appends in between, each line once', async () => {
    const { a, b, link, f, got, events } = await followedAThenB('a.log', 'b.log');
    appendFileSync(a, lines(20, 30));
    pointAt(link, a);
    await drain(f);
    appendFileSync(a, lines(30, 35)); // the file named again is followed as the live log
    await drain(f);
    appendFileSync(b, lines(35, 45));
    pointAt(link, b);
    await drain(f);
    expectLines(got, 0, 45);
    expect(events.filter((e) => e === 'rotation')).toHaveLength(3);
    expect(events).not.toContain('gap');
  });

  it('remembers the files it read across a restart, while the link still names the current one', async () => {
    const { a, link, first, c } = await readAThenB();
    const second = follower(link, c);
    await drain(second.f);
    appendFileSync(a, lines(20, 30));
    pointAt(link, a);
    await drain(second.f);
    expectLines([...first.got, ...second.got], 0, 30);
    expect(second.events).not.toContain('gap');
  });

  it('resumes a file named again while it was stopped where it left it, reports a gap for the one it stopped in, and resumes that one too when named again', async () => {
    const { a, b, link, first, c } = await readAThenB();

    appendFileSync(a, lines(20, 30));
    pointAt(link, a);
    const second = follower(link, c);
    await drain(second.f);
    expectLines([...first.got, ...second.got], 0, 30);
    // What b got after the commit is out of reach while no name leads to it: it may be lost.
    expect(second.events.filter((e) => e === 'gap')).toHaveLength(1);
    appendFileSync(b, lines(30, 40));
    pointAt(link, b);
    await drain(second.f);
    expectLines([...first.got, ...second.got], 0, 40);
    // The cursor it was saved with is kept as a position, not nested with its own list.
    expect(Object.keys(committed(second.f.cursor()).finished![0]!).sort()).toEqual(['dev', 'head', 'headLen', 'ino', 'offset', 'tail']);
  });

  it('reads whole a file truncated and rewritten since it was left: same inode, other content', async () => {
    const dir = tmp();
    const [a, b, link] = [join(dir, 'a.log'), join(dir, 'b.log'), join(dir, 'mail.log')];
    writeFileSync(a, lines(0, 10));
    writeFileSync(b, lines(10, 20));
    pointAt(link, a);
    const { f, got } = follower(link);
    await drain(f);
    pointAt(link, b);
    await drain(f);
    truncateSync(a, 0);
    appendFileSync(a, lines(100, 140)); // longer than where a was left: only its content tells
    pointAt(link, a);
    await drain(f);
    expect(got).toEqual([...lines(0, 20).split('\n'), ...lines(100, 140).split('\n')].filter((l) => l !== ''));
  });

  it('keeps the 8 files it left last in its cursor, and forgets older ones', async () => {
    const dir = tmp();
    const link = join(dir, 'mail.log');
    const files = Array.from({ length: 11 }, (_, i) => join(dir, `f${i}.log`));
    files.forEach((p, i) => writeFileSync(p, lines(i * 10, i * 10 + 10)));
    pointAt(link, files[0]!);
    const { f, got } = follower(link);
    await drain(f);
    for (const p of files.slice(1)) {
      pointAt(link, p);
      await drain(f);
    }
    expectLines(got, 0, 110);
    const c = committed(f.cursor());
    expect(c.finished).toHaveLength(8); // f2 .. f9; f10 is the current file
    // f1 was forgotten: named again, it is read from its start.
    pointAt(link, files[1]!);
    await drain(f);
    expect(got.slice(110)).toEqual(lines(10, 20).split('\n').slice(0, -1));
  });
});
