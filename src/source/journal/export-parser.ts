// journalctl's export format (systemd's "Journal Export Format"), parsed as a stream. An entry is a
// run of fields ended by an empty line; a field is `NAME=value\n`, or, when the value may hold a
// newline or bytes that are not UTF-8, `NAME\n` + its length as a little-endian u64 + the bytes +
// `\n`. Only the fields the caller names are kept, copied into one buffer per entry; every other
// value is stepped over without being buffered, so memory stays bounded whatever the journal holds.

/** One parsed entry; the parser reuses it, so a consumer copies what it keeps beyond the call. */
export interface ExportEntry {
  /** The kept values, laid end to end. */
  buf: Buffer;
  /** Per kept name (constructor order): the value's span in `buf`, or -1/-1 when absent. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Kept fields dropped because their value exceeded `maxField` (their names in `longNames`). */
  long: number;
  longNames: string[];
}

export interface ExportParserOptions {
  /** The names of the fields to keep; all others are skipped. */
  readonly keep: readonly string[];
  /** The longest value kept, in bytes; a longer one is skipped and counted in `long`. */
  readonly maxField: number;
}

/** Field names are short (journald refuses names over 64 bytes); a longer "name" is garbage. */
const MAX_NAME = 256;
const NL = 0x0a;
const EQ = 0x3d;

const enum State {
  /** At the start of a line: a field name, or the empty line that ends the entry. */
  Name,
  /** In a text value, up to its newline. */
  Text,
  /** Reading the 8 length bytes of a binary value. */
  Length,
  /** In a binary value's bytes. */
  Binary,
  /** Expecting the newline after a binary value. */
  BinaryEnd,
}

export class ExportParser {
  private readonly keep: readonly string[];
  private readonly names: Map<string, number>;
  private readonly maxField: number;
  private readonly entry: ExportEntry;
  private state = State.Name;
  /** A field name split across chunks. */
  private name = Buffer.alloc(MAX_NAME);
  private nameLen = 0;
  /** The kept field being read (its index), or -1 while skipping a value. */
  private field = -1;
  private lenBytes = Buffer.alloc(8);
  private lenHave = 0;
  /** Bytes of the current binary value still to come. */
  private remaining = 0;
  /** Whether the current entry has any field yet (an empty line before one ends nothing). */
  private fields = 0;
  private used = 0;
  /** Malformed input seen (a name line without `=` that is not followed by a length, ...). */
  malformed = 0;

  constructor(opts: ExportParserOptions) {
    this.keep = opts.keep;
    this.names = new Map(opts.keep.map((n, i) => [n, i]));
    this.maxField = opts.maxField;
    const n = opts.keep.length;
    this.entry = {
      buf: Buffer.allocUnsafe(Math.min(4096, opts.maxField * n + n)),
      start: new Int32Array(n).fill(-1),
      end: new Int32Array(n).fill(-1),
      long: 0,
      longNames: [],
    };
  }

  /** True while an entry has started and not ended: input cut short here lost it. */
  get inEntry(): boolean {
    return this.fields > 0 || this.state !== State.Name || this.nameLen > 0;
  }

  /** Forgets a partly read entry (its producer was restarted and will write it again). */
  reset(): void {
    this.state = State.Name;
    this.nameLen = 0;
    this.field = -1;
    this.lenHave = 0;
    this.remaining = 0;
    this.clearEntry();
  }

  /**
   * Parses `chunk` from `pos`, calling `onEntry` for each complete entry; stops right after an entry
   * for which it returns false. Returns the offset where it stopped (chunk.length when all was used).
   */
  push(chunk: Buffer, pos: number, onEntry: (e: ExportEntry) => boolean): number {
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case State.Name: {
          if (this.nameLen === 0 && chunk[pos] === NL) {
            pos++;
            if (this.fields > 0) {
              const go = onEntry(this.entry);
              this.clearEntry();
              if (!go) return pos;
            }
            continue;
          }
          // the name ends at `=` (text value) or at a newline (binary value follows)
          let i = pos;
          const stop = Math.min(len, pos + MAX_NAME - this.nameLen + 1);
          while (i < stop && chunk[i] !== EQ && chunk[i] !== NL) i++;
          if (i === stop && i < len) {
            // no `=` nor newline within MAX_NAME bytes: not a field; skip the line as a text value
            this.malformed++;
            this.nameLen = 0;
            this.fields++;
            this.field = -1;
            this.state = State.Text;
            pos = i;
            continue;
          }
          if (i === len) {
            // the name goes on in the next chunk
            if (this.nameLen + (i - pos) > MAX_NAME) {
              this.malformed++;
              this.nameLen = 0;
              this.fields++;
              this.field = -1;
              this.state = State.Text;
            } else {
              chunk.copy(this.name, this.nameLen, pos, i);
              this.nameLen += i - pos;
            }
            return len;
          }
          this.field = this.lookup(chunk, pos, i);
          this.fields++;
          if (chunk[i] === EQ) {
            this.state = State.Text;
            this.openValue();
          } else {
            this.state = State.Length;
            this.lenHave = 0;
          }
          pos = i + 1;
          continue;
        }
        case State.Text: {
          let i = chunk.indexOf(NL, pos);
          const end = i < 0 ? len : i;
          this.take(chunk, pos, end);
          if (i < 0) return len;
          this.closeValue();
          this.state = State.Name;
          pos = i + 1;
          continue;
        }
        case State.Length: {
          const n = Math.min(8 - this.lenHave, len - pos);
          chunk.copy(this.lenBytes, this.lenHave, pos, pos + n);
          this.lenHave += n;
          pos += n;
          if (this.lenHave < 8) return len;
          const big = this.lenBytes.readBigUInt64LE(0);
          // a length beyond what a Number holds exactly is no real field: skip as much as we can
          this.remaining = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
          this.openValue();
          this.state = this.remaining > 0 ? State.Binary : State.BinaryEnd;
          continue;
        }
        case State.Binary: {
          const n = Math.min(this.remaining, len - pos);
          this.take(chunk, pos, pos + n);
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.state = State.BinaryEnd;
          continue;
        }
        case State.BinaryEnd: {
          if (chunk[pos] !== NL) this.malformed++;
          else pos++;
          this.closeValue();
          this.state = State.Name;
          continue;
        }
      }
    }
    return pos;
  }

  private lookup(chunk: Buffer, from: number, to: number): number {
    let key: string;
    if (this.nameLen > 0) {
      const n = Math.min(to - from, MAX_NAME - this.nameLen);
      chunk.copy(this.name, this.nameLen, from, from + n);
      key = this.name.toString('latin1', 0, this.nameLen + n);
      this.nameLen = 0;
    } else {
      key = chunk.toString('latin1', from, to);
    }
    return this.names.get(key) ?? -1;
  }

  /**
   * Starts the value of `this.field` at the end of the entry buffer. A field repeated in one entry
   * keeps its first value: keeping each would let one entry grow the buffer without bound.
   */
  private openValue(): void {
    const f = this.field;
    if (f < 0) return;
    if (this.entry.start[f] !== -1 || this.longSeen(f)) {
      this.field = -1;
      return;
    }
    this.entry.start[f] = this.used;
    this.entry.end[f] = this.used;
  }

  private take(chunk: Buffer, from: number, to: number): void {
    const f = this.field;
    if (f < 0 || to === from) return;
    const e = this.entry;
    const have = e.end[f]! - e.start[f]!;
    if (have + (to - from) > this.maxField) {
      // drop what was kept of it; the rest of the value is stepped over
      e.long++;
      e.longNames.push(this.keep[f]!);
      this.used = e.start[f]!;
      e.start[f] = -1;
      e.end[f] = -1;
      this.field = -1;
      return;
    }
    const need = this.used + (to - from);
    if (need > e.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, e.buf.length * 2));
      e.buf.copy(grown, 0, 0, this.used);
      e.buf = grown;
    }
    chunk.copy(e.buf, this.used, from, to);
    this.used = need;
    e.end[f] = need;
  }

  private longSeen(f: number): boolean {
    return this.entry.long > 0 && this.entry.longNames.includes(this.keep[f]!);
  }

  private closeValue(): void {
    this.field = -1;
  }

  private clearEntry(): void {
    const e = this.entry;
    e.start.fill(-1);
    e.end.fill(-1);
    e.long = 0;
    if (e.longNames.length > 0) e.longNames = [];
    this.used = 0;
    this.fields = 0;
  }
}
