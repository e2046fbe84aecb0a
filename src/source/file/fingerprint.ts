// A file's identity that survives renames and compression and is not fooled by inode reuse: a hash
// of its first bytes, plus the bytes just before the read position, which must still be there.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';

export const HEAD_BYTES = 1024;
export const TAIL_BYTES = 64;

export function hashHead(buf: Buffer, len: number): string {
  return createHash('sha1').update(buf.subarray(0, len)).digest('hex').slice(0, 24);
}

/** Reads up to `len` bytes at `pos`; returns fewer at end of file. */
export function pread(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Whether `fd` holds, at `offset`, the same head and the same bytes before offset that were read. */
export function sameContent(fd: number, head: string, headLen: number, offset: number, tail: string): boolean {
  const h = pread(fd, 0, headLen);
  if (h.length !== headLen || hashHead(h, headLen) !== head) return false;
  const t = Buffer.from(tail, 'base64');
  return offset < t.length ? false : pread(fd, offset - t.length, t.length).equals(t);
}
