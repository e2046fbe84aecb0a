// Resume planning: which rotated copies come before the live log, and from where, after a restart,
// a rotation or a copytruncate. Files are found by content (their head and the bytes before a
// position), never by name or inode alone: names move with every rotation and ext4 hands inodes out
// again within one.
import { headOf, holdsCursor } from './match.js';
import { rotatedSiblings, type Sibling } from './siblings.js';
import { NO_HEAD, type Head, type Position } from './cursor.js';

/** A file to read before the live one: from `start`, and `cursor` when that is a saved position. */
export interface Pending extends Sibling {
  readonly start: number;
  readonly cursor?: Position;
}

const from = (sibs: Sibling[], i: number): Pending[] => sibs.slice(i).map((n) => ({ ...n, start: 0 }));

export class ResumePlan {
  /** The newest non-empty file finished (see Cursor.after), and the empty ones finished since. */
  private after: Head;
  private readonly finishedEmpty = new Set<string>();

  constructor(private readonly path: string, after: Head) {
    this.after = after;
  }

  /** What a cursor records as `after`. */
  get anchor(): Head {
    return this.after;
  }

  /**
   * The rotated copy holding `c` (from c.offset, marked with `cursor`), then every newer copy, oldest
   * first. Nothing was read yet from a file with no head, and its inode may be another file's by now:
   * wherever it went, it is among the copies newer than `after`, all of them unread. Null when no
   * copy holds the position (or `after`): where it went is unknown. `exclude`: the live file.
   */
  unread(c: Position, exclude?: { dev: number; ino: number }): Pending[] | null {
    const sibs = this.siblings(exclude);
    if (c.headLen === 0) return this.afterAnchor(sibs);
    for (let i = sibs.length - 1; i >= 0; i--) {
      if (holdsCursor(sibs[i]!, c)) return [{ ...sibs[i]!, start: c.offset, cursor: c }, ...from(sibs, i + 1)];
    }
    return null;
  }

  /**
   * After the copy holding a position was lost (deleted while stopped): the copies newer than
   * `after` when that one is left; else those changed after the position was saved (`savedAt`, ms),
   * which cannot have been read then, oldest first. A copy left from before (another naming, an old
   * leftover) is older than that and stays unread; without `savedAt` (an older cursor), none is read.
   */
  afterLoss(exclude: { dev: number; ino: number } | undefined, savedAt: number | undefined): Pending[] {
    const sibs = this.siblings(exclude);
    const after = this.afterAnchor(sibs);
    if (after !== null) return after;
    return savedAt === undefined ? [] : from(sibs, 0).filter((s) => s.mtimeMs !== undefined && s.mtimeMs > savedAt);
  }

  /** The rotated copies newer than the finished file `c` ends, oldest first; `exclude`: the file the log's path names now. */
  newerThan(c: Position, exclude?: { dev: number; ino: number }): Pending[] {
    return (this.unread(c, exclude) ?? []).filter((p) => p.cursor === undefined);
  }

  /** Everything up to the newest rotated copy is history (a first start, a truncation in place). */
  historyUpToNow(): void {
    this.moveAfter(this.newestHead());
  }

  /** A file was read to its end: a non-empty one is the new anchor, an empty one is remembered. */
  finished(end: Position, id: string): void {
    if (end.headLen > 0) this.moveAfter({ head: end.head, len: end.headLen });
    else this.finishedEmpty.add(id);
  }

  /** The copies newer than `after`, but for empty ones already finished; null when `after` is gone. */
  private afterAnchor(sibs: Sibling[]): Pending[] | null {
    const fresh = (list: Pending[]) => list.filter((p) => p.id === undefined || !this.finishedEmpty.has(p.id));
    if (this.after.len === 0) return fresh(from(sibs, 0));
    const anchor = { dev: -1, ino: -1, offset: 0, head: this.after.head, headLen: this.after.len, tail: '' };
    for (let i = sibs.length - 1; i >= 0; i--) if (holdsCursor(sibs[i]!, anchor)) return fresh(from(sibs, i + 1));
    return null;
  }

  /** The rotated copies, oldest first, but for `exclude` (the live file, should a copy's name also name it). */
  private siblings(exclude?: { dev: number; ino: number }): Sibling[] {
    return rotatedSiblings(this.path).filter((s) => !(exclude && !s.gz && s.ino === exclude.ino && s.dev === exclude.dev));
  }

  private moveAfter(h: Head): void {
    this.after = h;
    this.finishedEmpty.clear();
  }

  /** The head of the newest non-empty rotated copy. */
  private newestHead(): Head {
    const sibs = rotatedSiblings(this.path);
    for (let i = sibs.length - 1; i >= 0; i--) {
      const h = headOf(sibs[i]!);
      if (h.len > 0) return h;
    }
    return NO_HEAD;
  }
}
