// What the follower tests share: numbered lines to write, and a follower that records what it hands over.
import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { Follower, type FollowEvent } from '../../../src/source/file/follower.js';
import type { Cursor } from '../../../src/source/file/cursor.js';

export function lines(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `line ${i} ${'x'.repeat(i % 37)}\n`;
  return s;
}

/** `during`: called with each event as it happens, to change the files at that very moment. */
export function follower(path: string, saved: Cursor | null = null, maxLine?: number, rotateWaitMs = 0, during?: (ev: FollowEvent) => void) {
  const got: string[] = [];
  const events: FollowEvent[] = [];
  const details: string[] = [];
  const f = new Follower(
    {
      path,
      maxLine,
      rotateWaitMs,
      onLine: (b, s, e) => got.push(b.toString('latin1', s, e)),
      onEvent: (ev, d) => {
        events.push(ev);
        details.push(d);
        during?.(ev);
      },
    },
    saved,
  );
  return { f, got, events, details };
}

export const expectLines = (got: string[], from: number, to: number) =>
  expect(got).toEqual(lines(from, to).split('\n').slice(0, -1));

/** Descriptors this process holds, to prove a refused file was not left open. */
export const openFds = (): number => readdirSync('/proc/self/fd').length;
