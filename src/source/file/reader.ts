// One file being read: the live log through a held descriptor (so a renamed or deleted file can still
// be finished), or a rotated copy, plain or gzip-compressed.
import { closeSync, fstatSync, readSync, createReadStream, type ReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HEAD_BYTES, TAIL_BYTES, hashHead, pread } from './fingerprint.js';
import type { Position } from './cursor.js';
import { fileId } from './siblings.js';
import { openRegular } from './open.js';

export interface Reader {
  readonly path: string;
  /** See Sibling.id. */
  readonly id: string;
  /** Offset just past the last consumed line. */
  offset: number;
  /** Pushes up to `max` bytes to `push`; returns how many (0 at end of data). */
  read(max: number, push: (b: Buffer) => void): Promise<number>;
  cursor(): Position;
  close(): void;
}

const CHUNK = 1 << 20;

export class PlainReader implements Reader {
  readonly dev: number;
  readonly ino: number;
  readonly id: string;
  /** Read position: `offset` plus the unterminated bytes handed to the splitter. */
  pos: number;
  private tail = '';
  private tailEnd = 0;
  private head = hashHead(Buffer.alloc(0), 0);
  private headLen = 0;
  private readonly buf = Buffer.allocUnsafe(CHUNK);

  constructor(readonly path: string, readonly fd: number, public offset: number) {
    const st = fstatSync(fd);
    this.dev = st.dev;
    this.ino = st.ino;
    this.id = fileId(st);
    this.pos = offset;
    this.remember();
  }

  static open(path: string, offset = 0): PlainReader {
    const fd = openRegular(path);
    try {
      return new PlainReader(path, fd, offset);
    } catch (e) {
      closeSync(fd); // an error reading its first bytes must not leak a descriptor per poll
      throw e;
    }
  }

  /** Goes on from `offset` instead, a line boundary known to be in this file (a resumed position). */
  skipTo(offset: number): void {
    this.offset = this.pos = offset;
    this.remember();
  }

  size(): number {
    return fstatSync(this.fd).size;
  }

  mtimeMs(): number {
    return fstatSync(this.fd).mtimeMs;
  }

  async read(max: number, push: (b: Buffer) => void): Promise<number> {
    const n = readSync(this.fd, this.buf, 0, Math.min(CHUNK, max), this.pos);
    if (n > 0) {
      this.pos += n;
      push(this.buf.subarray(0, n));
    }
    return n;
  }

  /**
   * Records the bytes just before `offset`, from the data just consumed (`consumed`), never by
   * reading the file again: it may have been truncated since it was read. Without them (a skipped
   * over-long line, a fresh open) the file is read, at a moment it is known to be intact.
   */
  remember(consumed?: Buffer): void {
    this.noteHead();
    if (consumed === undefined) {
      const t = Math.min(this.offset, TAIL_BYTES);
      consumed = pread(this.fd, this.offset - t, t);
    }
    this.tail = consumed.toString('base64');
    this.tailEnd = this.offset;
  }

  /**
   * Records the file's first bytes as soon as they exist, read or not (appending never changes
   * them): so even a position at offset 0 names this content, and a copytruncate of bytes not yet
   * read is found in the copy. False when the bytes already recorded are no longer there.
   */
  private noteHead(): boolean {
    if (this.headLen >= HEAD_BYTES) return true;
    const head = pread(this.fd, 0, HEAD_BYTES);
    if (this.headLen > 0 && hashHead(head, Math.min(this.headLen, head.length)) !== this.head) return false;
    if (head.length > this.headLen) {
      this.headLen = head.length;
      this.head = hashHead(head, head.length);
    }
    return true;
  }

  /** False when the file was truncated or rewritten under the same inode. */
  unchanged(): boolean {
    if (!this.noteHead()) return false;
    const t = Buffer.from(this.tail, 'base64');
    if (this.size() < this.pos) return false;
    return pread(this.fd, this.tailEnd - t.length, t.length).equals(t);
  }

  cursor(): Position {
    return { dev: this.dev, ino: this.ino, offset: this.offset, head: this.head, headLen: this.headLen, tail: this.tail };
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A compressed rotated log, decompressed as a stream from its start; `skip` bytes are not pushed. */
export class GzReader implements Reader {
  private readonly file: ReadStream;
  private readonly it: AsyncIterator<Buffer>;
  private pos = 0;
  private headBuf = Buffer.alloc(0);

  /** The compressed file's own: what names it before its first bytes are decompressed. */
  readonly dev: number;
  readonly ino: number;
  readonly id: string;

  constructor(readonly path: string, public offset: number) {
    // Opened now, so a file that vanished since it was listed fails here, not in a later read.
    const fd = openRegular(path);
    const st = fstatSync(fd);
    this.dev = st.dev;
    this.ino = st.ino;
    this.id = fileId(st);
    this.file = createReadStream(path, { fd });
    const gunzip = createGunzip();
    // Not pipe(): a read error of the file must reach read(), and either end closing must close the
    // other, or a copy left early (corrupt, renamed again, a stop) keeps its descriptor for good.
    pipeline(this.file, gunzip, () => {});
    this.it = gunzip[Symbol.asyncIterator]();
  }

  async read(max: number, push: (b: Buffer) => void): Promise<number> {
    let total = 0;
    while (total < max) {
      const r = await this.it.next();
      if (r.done) break;
      let chunk: Buffer = r.value;
      if (this.headBuf.length < HEAD_BYTES) {
        this.headBuf = Buffer.concat([this.headBuf, chunk.subarray(0, HEAD_BYTES - this.headBuf.length)]);
      }
      const start = this.pos;
      this.pos += chunk.length;
      if (this.pos <= this.offset) continue;
      if (start < this.offset) chunk = chunk.subarray(this.offset - start);
      push(chunk);
      total += chunk.length;
    }
    return total;
  }

  cursor(): Position {
    // The decompressed head is known as soon as it is read, whatever the offset (as for plain files).
    const headLen = Math.min(HEAD_BYTES, this.headBuf.length);
    return { dev: this.dev, ino: this.ino, offset: this.offset, head: hashHead(this.headBuf, headLen), headLen, tail: '' };
  }

  close(): void {
    this.file.destroy();
    void this.it.return?.();
  }
}
