// Where reading stopped, and what the file looked like there: enough to find the same bytes again
// after renames, compression, truncation or inode reuse.
export interface Cursor {
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

export function isCursor(v: unknown): v is Cursor {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.dev === 'number' && typeof c.ino === 'number' && typeof c.offset === 'number' &&
    typeof c.head === 'string' && typeof c.headLen === 'number' && typeof c.tail === 'string'
  );
}
