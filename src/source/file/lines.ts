// Splits a byte stream into complete lines. Bytes after the last newline stay unconsumed until the
// line completes, so a saved position is always a line boundary. A line longer than `maxLine` is
// skipped whole (reported once), so memory stays bounded whatever the input.

export type LineSink = (buf: Buffer, start: number, end: number) => void;

export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes of an over-long line seen so far (not consumed until its newline arrives). */
  private skipped = -1;
  private consumed = 0;

  constructor(
    private readonly maxLine: number,
    private readonly onLine: LineSink,
    private readonly onLongLine: () => void,
  ) {}

  push(chunk: Buffer): void {
    forgetNul();
    let pos = 0;
    if (this.skipped >= 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return void (this.skipped += chunk.length);
      this.consumed += this.skipped + nl + 1;
      this.skipped = -1;
      pos = nl + 1;
    }
    let buf = chunk;
    if (this.carry.length > 0) {
      // only the line that completes the carry is copied, not the whole chunk
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        buf = Buffer.concat([this.carry, chunk.subarray(pos)]);
        pos = 0;
      } else {
        const line = Buffer.concat([this.carry, chunk.subarray(pos, nl)]);
        if (line.length > this.maxLine) this.onLongLine();
        else this.onLine(line, 0, line.length);
        this.consumed += line.length + 1;
        pos = nl + 1;
      }
      this.carry = Buffer.alloc(0);
    }
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      if (nl - pos > this.maxLine) this.onLongLine();
      else this.onLine(buf, pos, nl);
      this.consumed += nl + 1 - pos;
      pos = nl + 1;
    }
    const rest = buf.length - pos;
    if (rest > this.maxLine) {
      this.onLongLine();
      this.skipped = rest;
    } else if (rest > 0) {
      this.carry = Buffer.from(buf.subarray(pos));
    }
  }

  /** Bytes consumed through a newline since the last call. */
  take(): number {
    const n = this.consumed;
    this.consumed = 0;
    return n;
  }

  /** Ends a file that will never grow again (rotated away): its unterminated last line still counts. */
  finish(): void {
    forgetNul();
    if (this.carry.length > 0) this.onLine(this.carry, 0, this.carry.length);
    this.consumed += this.carry.length + Math.max(this.skipped, 0);
    this.reset();
  }

  reset(): void {
    this.carry = Buffer.alloc(0);
    this.skipped = -1;
  }
}

// Whether a line holds a NUL byte, without a search past its end per line (buf.indexOf(0, start) scans
// to the end of the whole chunk, or to the next NUL): the first NUL at or after a position is remembered
// for the following lines of the same buffer, so a chunk costs one search per NUL it holds. The
// splitter forgets it on every push, before a buffer's bytes could change.
let nulBuf: Uint8Array | null = null;
let nulFrom = 0;
let nulAt = -1;

export function hasNul(buf: Buffer, start: number, end: number): boolean {
  if (buf !== nulBuf || start < nulFrom || (nulAt >= 0 && nulAt < start)) {
    nulBuf = buf;
    nulFrom = start;
    nulAt = buf.indexOf(0, start);
  }
  return nulAt >= 0 && nulAt < end;
}

function forgetNul(): void {
  nulBuf = null;
}
