// The cursor is committed as JSON and loaded back by whichever version runs next: a cursor written
// before `finished` existed must still resume, and a malformed one must not be trusted.
import { describe, expect, it } from 'vitest';
import { isCursor } from '../../../src/source/file/cursor.js';

const position = { dev: 2049, ino: 131, offset: 4096, head: 'a1b2c3', headLen: 1024, tail: 'bGluZQo=' };
const old = { ...position, after: { head: '', len: 0 } };

describe('isCursor', () => {
  it('accepts a cursor written before the finished files were part of it', () => {
    expect(isCursor(old)).toBe(true);
  });

  it('accepts a cursor with the files it left', () => {
    expect(isCursor({ ...old, finished: [] })).toBe(true);
    expect(isCursor({ ...old, finished: [position, { ...position, ino: 7 }] })).toBe(true);
  });

  it('refuses finished files that are not a list of positions', () => {
    expect(isCursor({ ...old, finished: position })).toBe(false);
    expect(isCursor({ ...old, finished: [position, { ...position, offset: '12' }] })).toBe(false);
    expect(isCursor({ ...old, finished: [null] })).toBe(false);
    expect(isCursor({ ...old, finished: null })).toBe(false);
  });

  it('still refuses a cursor missing a field of its own', () => {
    const { tail: _tail, ...noTail } = old;
    expect(isCursor(noTail)).toBe(false);
    const { after: _after, ...noAfter } = old;
    expect(isCursor(noAfter)).toBe(false);
  });
});
