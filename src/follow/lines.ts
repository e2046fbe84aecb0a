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
      buf = Buffer.concat([this.carry, chunk.subarray(pos)]);
      this.carry = Buffer.alloc(0);
      pos = 0;
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
    if (this.carry.length > 0) this.onLine(this.carry, 0, this.carry.length);
    this.consumed += this.carry.length + Math.max(this.skipped, 0);
    this.reset();
  }

  reset(): void {
    this.carry = Buffer.alloc(0);
    this.skipped = -1;
  }
}
