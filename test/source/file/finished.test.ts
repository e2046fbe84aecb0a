// The bounded list of files left for another: what it keeps, and what it recognises again.
import { closeSync, openSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINISHED_KEPT, FinishedFiles } from '../../../src/source/file/finished.js';
import { PlainReader } from '../../../src/source/file/reader.js';
import type { Position } from '../../../src/source/file/cursor.js';
import { tmp } from '../../helpers/tmp.js';
import { lines } from './helpers.js';

/** Where a reader that read all of `path` left it. */
function endOf(path: string): Position {
  const s = PlainReader.open(path, statSync(path).size);
  const p = s.cursor();
  s.close();
  return p;
}

function take(list: FinishedFiles, path: string): Position | null {
  const fd = openSync(path, 'r');
  try {
    const st = statSync(path);
    return list.take(fd, st.dev, st.ino);
  } finally {
    closeSync(fd);
  }
}

describe('FinishedFiles', () => {
  it('recognises a file left at a position, once, also after it grew', () => {
    const path = join(tmp(), 'a.log');
    writeFileSync(path, lines(0, 10));
    const end = endOf(path);
    const list = new FinishedFiles();
    list.add(end);
    appendFileSync(path, lines(10, 20));
    expect(take(list, path)).toEqual(end);
    expect(take(list, path)).toBeNull(); // it is the current file now, no longer a left one
  });

  it('keeps one entry per inode, the latest', () => {
    const path = join(tmp(), 'a.log');
    writeFileSync(path, lines(0, 10));
    const list = new FinishedFiles();
    list.add(endOf(path));
    appendFileSync(path, lines(10, 20));
    const later = endOf(path);
    list.add(later);
    expect(list.positions()).toEqual([later]);
  });

  it('does not keep a file left before its first byte: there is nothing to skip', () => {
    const path = join(tmp(), 'a.log');
    writeFileSync(path, '');
    const list = new FinishedFiles();
    list.add(endOf(path));
    expect(list.positions()).toEqual([]);
  });

  it(`keeps the newest ${FINISHED_KEPT}, also of a longer saved list`, () => {
    const dir = tmp();
    const ends = Array.from({ length: FINISHED_KEPT + 3 }, (_, i) => {
      const p = join(dir, `f${i}.log`);
      writeFileSync(p, lines(i * 10, i * 10 + 10));
      return endOf(p);
    });
    expect(new FinishedFiles(ends).positions()).toEqual(ends.slice(-FINISHED_KEPT));
    const list = new FinishedFiles();
    for (const e of ends) list.add(e);
    expect(list.positions()).toEqual(ends.slice(-FINISHED_KEPT));
  });
});
