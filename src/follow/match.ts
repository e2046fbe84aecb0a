// Does a rotated copy hold the bytes a cursor points into? Plain copies are checked at the head and
// just before the offset; compressed ones at the decompressed head and by their recorded length.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { hashHead, pread, sameContent } from './fingerprint.js';
import type { Cursor } from './cursor.js';
import type { Sibling } from './siblings.js';

export function holdsCursor(s: Sibling, c: Cursor): boolean {
  let fd: number;
  try {
    fd = openSync(s.path, 'r');
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!s.gz) {
      // An empty head says nothing: then only the same inode will do.
      if (c.headLen === 0 && (st.dev !== c.dev || st.ino !== c.ino)) return false;
      return st.size >= c.offset && sameContent(fd, c.head, c.headLen, c.offset, c.tail);
    }
    if (c.headLen === 0) return false;
    const isize = st.size >= 4 ? pread(fd, st.size - 4, 4).readUInt32LE(0) : 0;
    if (st.size < 2 ** 31 && isize < c.offset) return false;
    const head = gzHead(fd, c.headLen);
    return head.length === c.headLen && hashHead(head, c.headLen) === c.head;
  } finally {
    closeSync(fd);
  }
}

function gzHead(fd: number, len: number): Buffer {
  const compressed = Buffer.allocUnsafe(64 * 1024);
  const n = readSync(fd, compressed, 0, compressed.length, 0);
  try {
    const out = gunzipSync(compressed.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
    return out.subarray(0, len);
  } catch {
    return Buffer.alloc(0);
  }
}
