// Does a rotated copy hold the bytes a cursor points into? Plain copies are checked at the head and
// just before the offset; compressed ones at the decompressed head and by their recorded length.
// A position before any byte was seen has no head, and matches no copy.
import { closeSync, fstatSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { HEAD_BYTES, hashHead, pread, sameContent } from './fingerprint.js';
import type { Head, Position } from './cursor.js';
import type { Sibling } from './siblings.js';
import { openRegular } from './open.js';

/** Deflate's largest ratio of output to input. */
const MAX_INFLATION = 1032;

export function holdsCursor(s: Sibling, c: Position): boolean {
  let fd: number;
  try {
    fd = openRegular(s.path);
  } catch {
    return false;
  }
  try {
    if (!s.gz) return holdsAt(fd, c);
    if (c.headLen === 0) return false;
    const st = fstatSync(fd);
    // The trailer's length is mod 2^32: it proves a copy too short only when it cannot have wrapped
    // (deflate inflates at most 1032-fold), or a busy relay's 5 GiB day would never be found again.
    const isize = st.size >= 4 ? pread(fd, st.size - 4, 4).readUInt32LE(0) : 0;
    if (st.size * MAX_INFLATION < 2 ** 32 && isize < c.offset) return false;
    const head = gzHead(fd, c.headLen);
    return head.length === c.headLen && hashHead(head, c.headLen) === c.head;
  } finally {
    closeSync(fd);
  }
}

/** Whether the open plain file `fd` holds the bytes `c` points into (checked on the descriptor, not a name). */
export function holdsAt(fd: number, c: Position): boolean {
  if (c.headLen === 0) return false;
  return fstatSync(fd).size >= c.offset && sameContent(fd, c.head, c.headLen, c.offset, c.tail);
}

/**
 * The first `len` decompressed bytes, from the shortest compressed prefix that holds them: damage
 * further on (bit rot, a copy cut short) must not hide a head that is intact, or the copy holding a
 * position would not be known and be read again from its start.
 */
function gzHead(fd: number, len: number): Buffer {
  const compressed = Buffer.allocUnsafe(64 * 1024);
  const n = readSync(fd, compressed, 0, compressed.length, 0);
  let out = Buffer.alloc(0);
  for (let prefix = 1024; ; prefix *= 4) {
    try {
      out = gunzipSync(compressed.subarray(0, Math.min(prefix, n)), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // damaged within this prefix: a longer one fails too
      return out.subarray(0, len);
    }
    if (out.length >= len || prefix >= n) return out.subarray(0, len);
  }
}

/** The first bytes of a rotated copy, decompressed if need be (empty when unreadable). */
export function headOf(s: Sibling): Head {
  let fd: number;
  try {
    fd = openRegular(s.path);
  } catch {
    return { head: '', len: 0 };
  }
  try {
    const head = s.gz ? gzHead(fd, HEAD_BYTES) : pread(fd, 0, HEAD_BYTES);
    return { head: hashHead(head, head.length), len: head.length };
  } finally {
    closeSync(fd);
  }
}
