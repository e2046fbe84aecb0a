// Where reading stopped, and what the file looked like there: enough to find the same bytes again
// after renames, compression, truncation or inode reuse.
export interface Position {
  readonly dev: number;
  readonly ino: number;
  /** Byte offset just past the last complete line consumed (in the decompressed stream for .gz). */
  readonly offset: number;
  /** Hash of the first `headLen` bytes. */
  readonly head: string;
  readonly headLen: number;
  /** Base64 of the bytes just before `offset` (empty when it cannot be checked cheaply, e.g. .gz). */
  readonly tail: string;
}

/** A first line's identity: the hash of a file's first `len` bytes (len 0: no such file). */
export interface Head {
  readonly head: string;
  readonly len: number;
}

export interface Cursor extends Position {
  /**
   * The newest non-empty file finished before this one. A file still empty when its position was
   * committed has no head to be recognised by once it is renamed and compressed; it is then found as
   * one of the rotated copies newer than this one.
   */
  readonly after: Head;
  /**
   * Files left for another (the log's path named a new file) and where each was left, newest last:
   * a path that names one of them again (a re-pointed symlink) resumes it there. Absent in cursors
   * written before it existed.
   */
  readonly finished?: readonly Position[];
  /** When it was taken (ms since the epoch): a copy changed after it cannot have been read before. Absent in older cursors. */
  readonly at?: number;
}

export const NO_HEAD: Head = { head: '', len: 0 };

export function isPosition(v: unknown): v is Position {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.dev === 'number' && typeof c.ino === 'number' && typeof c.offset === 'number' &&
    typeof c.head === 'string' && typeof c.headLen === 'number' && typeof c.tail === 'string'
  );
}

export function isCursor(v: unknown): v is Cursor {
  if (!isPosition(v)) return false;
  const c = v as unknown as Record<string, unknown>;
  const a = c.after as Record<string, unknown> | undefined;
  const f = c.finished;
  return (
    typeof a === 'object' && a !== null && typeof a.head === 'string' && typeof a.len === 'number' &&
    (f === undefined || (Array.isArray(f) && f.every(isPosition))) &&
    (c.at === undefined || typeof c.at === 'number')
  );
}
