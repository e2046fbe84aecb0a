// `--log` naming a FIFO, a device or a directory: opening a FIFO blocks until a writer comes (and the
// daemon with it, deaf to SIGTERM), /dev/zero never ends, a directory cannot be read. The follower
// must refuse them without opening them in a way that blocks, say so once, and read the regular file
// an admin puts there instead. A rotated copy that is no regular file is passed over.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cursor } from '../../../src/source/file/cursor.js';
import { tmp } from '../../helpers/tmp.js';
import { expectLines, follower, lines, openFds } from './helpers.js';

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** Puts a regular file holding `body` at `path` in one step, whatever was there (but a directory). */
function replaceWithFile(path: string, body: string): void {
  const next = join(path, '..', 'incoming');
  writeFileSync(next, body);
  renameSync(next, path);
}

/** Polls a follower over a path that is no regular file, as an idle daemon would, again and again. */
async function refusedAgainAndAgain(path: string) {
  const r = follower(path);
  const fds = openFds();
  for (let i = 0; i < 5; i++) expect(await r.f.poll()).toBe(0);
  expect(openFds()).toBe(fds); // nothing left open
  expect(r.got).toEqual([]);
  expect(r.events).toEqual(['unreadable']);
  expect(r.f.cursor()).toBeNull();
  return r;
}

describe('Follower over a path that is not a regular file', () => {
  it('refuses a FIFO without blocking, says so once, and reads the regular file put in its place', async () => {
    const path = join(tmp(), 'mail.log');
    mkfifo(path);
    const r = await refusedAgainAndAgain(path);
    expect(r.details[0]).toBe(`${path}: is a FIFO, not a regular file`);
    replaceWithFile(path, lines(0, 5));
    await r.f.poll();
    expectLines(r.got, 0, 5);
  });

  it('refuses a symlink to /dev/zero without reading it, and reads the regular file put in its place', async () => {
    const path = join(tmp(), 'mail.log');
    symlinkSync('/dev/zero', path);
    const r = await refusedAgainAndAgain(path);
    expect(r.details[0]).toBe(`${path}: is a character device, not a regular file`);
    replaceWithFile(path, lines(0, 5));
    await r.f.poll();
    expectLines(r.got, 0, 5);
  });

  it('refuses a directory, and reads the regular file put in its place', async () => {
    const path = join(tmp(), 'mail.log');
    mkdirSync(path);
    const r = await refusedAgainAndAgain(path);
    expect(r.details[0]).toBe(`${path}: is a directory, not a regular file`);
    rmdirSync(path);
    writeFileSync(path, lines(0, 5));
    await r.f.poll();
    expectLines(r.got, 0, 5);
  });

  it('finishes the file it follows when a FIFO takes its name, says so once, and reads the file after it', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 10));
    const { f, got, events, details } = follower(path);
    await f.poll();
    appendFileSync(path, lines(10, 20));
    const fifo = join(dir, 'fifo');
    mkfifo(fifo);
    renameSync(fifo, path);
    for (let i = 0; i < 5; i++) await f.poll();
    expectLines(got, 0, 20);
    expect(events).toEqual(['rotation', 'unreadable']);
    expect(details[1]).toMatch(/is a FIFO/);
    replaceWithFile(path, lines(20, 30));
    await f.poll();
    expectLines(got, 0, 30);
  });

  it('passes over rotated copies that are a FIFO or a directory when it looks for its position after a restart', async () => {
    const dir = tmp();
    const path = join(dir, 'mail.log');
    writeFileSync(path, lines(0, 20));
    const a = follower(path);
    await a.f.poll();
    const c: Cursor = a.f.cursor()!;
    a.f.close();
    appendFileSync(path, lines(20, 40));
    renameSync(path, `${path}.3`);
    mkfifo(`${path}.2`); // newer than .3: looked at before it, newest first
    mkdirSync(`${path}.1`);
    writeFileSync(path, lines(40, 60));
    const b = follower(path, c);
    while ((await b.f.poll()) > 0);
    expectLines(b.got, 20, 60);
    expect(b.events).not.toContain('gap');
  });
});
