// The files the follower left because the log's path came to name another one, each with where it
// was left. A re-pointed symlink (a.log, b.log, a.log again) names such a file again; read from 0 it
// would count its lines twice. Bounded: only a path switching among a few files needs it, and the
// list travels in every committed cursor.
import type { Position } from './cursor.js';
import { holdsAt } from './match.js';

export const FINISHED_KEPT = 8;

export class FinishedFiles {
  private list: Position[];

  constructor(saved: readonly Position[] = []) {
    this.list = saved.slice(-FINISHED_KEPT).map(positionOf);
  }

  /** A file left at `end`; an earlier entry for the same inode is another, older state of it. */
  add(end: Position): void {
    // A file left before its first byte has nothing to resume: offset 0 is where any file starts.
    if (end.headLen === 0) return;
    this.list = [...this.list.filter((p) => p.dev !== end.dev || p.ino !== end.ino), positionOf(end)].slice(-FINISHED_KEPT);
  }

  /**
   * Where the open file `fd` was left, if it is one of these, and forgets it: from now on it is the
   * current file. Same inode is not enough (truncated and rewritten, or the inode handed to a new
   * file): its first bytes and the bytes before the position must be those read.
   */
  take(fd: number, dev: number, ino: number): Position | null {
    const i = this.list.findIndex((p) => p.dev === dev && p.ino === ino);
    if (i < 0) return null;
    const p = this.list[i]!;
    // Not spliced: the array may be in a cursor handed out and not yet committed.
    this.list = this.list.filter((_, j) => j !== i);
    return holdsAt(fd, p) ? p : null;
  }

  positions(): readonly Position[] {
    return this.list;
  }
}

/** The position alone: a cursor handed in carries its own `after` and `finished`, not to be nested. */
const positionOf = ({ dev, ino, offset, head, headLen, tail }: Position): Position => ({ dev, ino, offset, head, headLen, tail });
