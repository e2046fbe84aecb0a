// Follows one log file across rename+create rotation, copytruncate, truncation, restarts and a
// re-pointed symlink, handing over complete lines only. After a restart or a rotation it finishes the
// rotated copies it has not read (plain or .gz, oldest first) before the current file; a file the path
// names again goes on where it was left. Only regular files are read. It knows nothing of Postfix or
// storage.
import { closeSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { SourceEvent } from '../source.js';
import { LineSplitter, type LineSink } from './lines.js';
import { holdsAt } from './match.js';
import { FinishedFiles } from './finished.js';
import { TAIL_BYTES } from './fingerprint.js';
import { ResumePlan, type Pending } from './resume.js';
import { GzReader, PlainReader, type Reader } from './reader.js';
import { NO_HEAD, type Cursor, type Position } from './cursor.js';
import { openProblem, type OpenProblem } from './open.js';

const NEWLINE = Buffer.from('\n');
/** Looks for vanished copies per opening: logrotate renames a set of copies in well under a millisecond each. */
const MAX_RELISTS = 8;

export type FollowEvent = SourceEvent;

export interface FollowOptions {
  readonly path: string;
  readonly onLine: LineSink;
  readonly onEvent: (event: FollowEvent, detail: string) => void;
  /** Longest line handed over; longer ones are skipped and reported. */
  readonly maxLine?: number;
  /**
   * After the path names a new file, keep reading the old one until it has been quiet this long:
   * a syslog daemon writes to the renamed file until it is told to reopen (logrotate's postrotate).
   */
  readonly rotateWaitMs?: number;
}


export class Follower {
  private src: Reader | null = null;
  private live: PlainReader | null = null;
  /** The live file, truncated in place, its descriptor kept until its new lines are known to be read (see truncated). */
  private truncatedFile: { path: string; fd: number; dev: number; ino: number } | null = null;
  private queue: Pending[] = [];
  private readonly splitter: LineSplitter;
  /** Why the live path could not be opened, said once until it can be. */
  private problem: OpenProblem | null = null;
  /** Where the last finished file ended, reported until the next file is open. */
  private done: Position | null = null;
  private readonly plan: ResumePlan;
  /** The files left because the path came to name another, which it may name again. */
  private readonly finished: FinishedFiles;
  /** Whether the file being read (or just finished) is a rotated copy rather than the live log. */
  private fromSibling = false;
  /** The last line handed over (valid until the next read), for the bytes before the position. */
  private last: Buffer | null = null;
  private lastStart = 0;
  private lastEnd = 0;
  /** When the current file last gave data, and when its path was first seen naming another file. */
  private lastData = 0;
  private rotationSeen = 0;

  /** `saved`: the committed cursor to resume from (null: start of the file). */
  constructor(private readonly opts: FollowOptions, private saved: Cursor | null) {
    this.plan = new ResumePlan(opts.path, saved?.after ?? NO_HEAD);
    this.finished = new FinishedFiles(saved?.finished);
    const onLine = opts.onLine;
    this.splitter = new LineSplitter(
      opts.maxLine ?? 64 * 1024,
      (b, s, e) => {
        this.last = b;
        this.lastStart = s;
        this.lastEnd = e;
        onLine(b, s, e);
      },
      () => {
        this.last = null; // the bytes before the position are no longer those of the last line
        opts.onEvent('long_line', opts.path);
      },
    );
  }

  /** Reads what is there now, up to about `budget` bytes; returns the bytes consumed. */
  async poll(budget = 8 << 20): Promise<number> {
    let total = 0;
    if (this.live && this.src === this.live && !this.live.unchanged()) this.truncated();
    while (total < budget) {
      if (this.src === null && !this.openNext()) break;
      const src = this.src!;
      let tail: Buffer | undefined;
      let n: number;
      try {
        n = await src.read(budget - total, (b) => {
          this.last = null;
          this.splitter.push(b);
          tail = this.lastTail(true) ?? tail;
        });
      } catch (e) {
        if (src === this.live) throw e;
        // A corrupt or vanished rotated copy: what it still held is lost, the rest goes on.
        this.opts.onEvent('gap', `${src.path}: ${(e as Error).message}`);
        this.splitter.reset(); // a half line from a broken stream is no line
        this.finishFile();
        continue;
      }
      const used = this.splitter.take();
      src.offset += used;
      total += used;
      if (used > 0 && src instanceof PlainReader) src.remember(tail);
      if (n > 0) {
        this.lastData = Date.now();
        continue;
      }
      if (src !== this.live) {
        // A renamed copy written to moments ago may still get lines from a writer that has not
        // reopened the log yet: finish it only once it has been quiet for the rotate wait.
        const wait = this.opts.rotateWaitMs ?? 0;
        if (wait > 0 && src instanceof PlainReader && Date.now() - src.mtimeMs() < wait) break;
        this.finishFile();
        continue;
      }
      const change = this.pathChange();
      if (change === 'none') break;
      if (change === 'truncated') this.truncated();
      else if (this.oldFileQuiet()) this.rotated();
      else break;
    }
    return total;
  }

  /**
   * Up to TAIL_BYTES ending the last line handed over, and its newline: every line the splitter hands
   * over ends in one, except the unterminated last line `finish()` gives.
   */
  private lastTail(newline: boolean): Buffer | undefined {
    const b = this.last;
    if (b === null) return undefined;
    const keep = TAIL_BYTES - (newline ? 1 : 0);
    const line = b.subarray(Math.max(this.lastStart, this.lastEnd - keep), this.lastEnd);
    return newline ? Buffer.concat([line, NEWLINE]) : Buffer.from(line);
  }

  /** Position of the last line handed over, to commit with what those lines produced. */
  cursor(): Cursor | null {
    const c = this.src?.cursor() ?? this.done ?? this.saved;
    return c && { ...c, after: this.plan.anchor, finished: this.finished.positions(), at: Date.now() };
  }

  close(): void {
    this.src?.close();
    if (this.live !== this.src) this.live?.close();
    this.dropTruncated();
    this.src = this.live = null;
  }

  private openNext(): boolean {
    if (this.queue.length === 0 && this.fromSibling && this.done !== null) {
      // While we read rotated copies the log may have rotated again (renamed, or copied and
      // truncated): whatever is now newer than the copy just finished comes before the current file.
      this.queue = this.plan.newerThan(this.done);
    }
    this.fromSibling = false;
    // Each copy that vanished or was replaced since it was listed (the next rotation, under way) is
    // looked for again by its content; rotations faster than a file can be opened end in a gap.
    for (let relists = 0; this.queue.length > 0; ) {
      const next = this.queue.shift()!;
      try {
        const src = next.gz ? new GzReader(next.path, next.start) : PlainReader.open(next.path, next.start);
        if (next.ino !== undefined && src.ino !== next.ino) {
          src.close();
          throw new Error('another file took its name (rotated again)');
        }
        this.src = src;
        this.fromSibling = true;
        this.opts.onEvent('rotated_file', next.path);
        return true;
      } catch (e) {
        const from = next.cursor ?? this.done;
        if (relists++ < MAX_RELISTS && from) {
          const again = (next.cursor ? this.plan.unread(from) : this.plan.newerThan(from)) ?? [];
          if (again.length > 0) {
            this.queue = again;
            continue;
          }
        }
        // What it held is lost; the newer copies and the current file are still to read.
        this.opts.onEvent('gap', `${next.path}: ${(e as Error).message}`);
      }
    }
    return this.openLive();
  }

  private openLive(): boolean {
    const held = this.truncatedFile;
    if (held !== null && !isNamed(this.opts.path, held)) {
      // Renamed away since its truncation, and not read as a copy: its new lines come first. Even
      // empty: a writer that has not reopened the log yet still writes to it (see rotateWaitMs).
      this.truncatedFile = null;
      this.src = this.live = new PlainReader(held.path, held.fd, 0);
      return true;
    }
    this.dropTruncated();
    let src: PlainReader;
    try {
      src = PlainReader.open(this.opts.path, 0);
    } catch (e) {
      const problem = openProblem(e);
      // A FIFO, device or directory is as unreadable as a log can be; the detail names what it is.
      const event = problem === 'missing' ? 'missing' : 'unreadable';
      if (this.problem !== problem) this.opts.onEvent(event, `${this.opts.path}: ${(e as Error).message}`);
      this.problem = problem;
      return false;
    }
    this.problem = null;
    const saved = this.saved;
    this.saved = null;
    // A first start reads the current file only: the rotated copies there are history.
    if (saved === null && this.done === null) this.plan.historyUpToNow();
    let resumed = false;
    // A position in a file rotated away since: that copy and the newer ones come before this file.
    if (saved !== null) {
      const sameFile = src.dev === saved.dev && src.ino === saved.ino;
      if (sameFile && holdsAt(src.fd, saved)) {
        src.skipTo(saved.offset);
        resumed = true;
      } else {
        const unread = this.plan.unread(saved, src);
        if (unread !== null && unread.length > 0) {
          this.queue = unread;
          src.close();
          return this.openNext();
        }
        // A file with no head is the current one if no copy came after `after`, or if `after` is
        // gone too and the inode is still its (the best left to go by). Otherwise whatever lay past
        // the position is gone: truncated in place or deleted (a new file may even reuse the inode).
        // Whether anything unread was there cannot be known: report a gap.
        // Left while stopped (the symlink re-pointed): should the path name it again, it goes on there.
        this.finished.add(saved);
        if (unread === null && !(saved.headLen === 0 && sameFile)) {
          // what came after it may still be on disk: rotated with the lost copy, newer than it
          const rest = this.plan.afterLoss(src, saved.at);
          const read = rest.length === 0 ? '' : `; read instead, from their start: ${rest.map((p) => basename(p.path)).join(', ')}`;
          this.opts.onEvent('gap', `${this.opts.path}: no file holds the saved position (its copy deleted while stopped?)${read}`);
          if (rest.length > 0) {
            this.queue = rest;
            src.close();
            return this.openNext();
          }
        }
      }
    }
    // The copies were listed before this open: a rotation in between renamed the file that was
    // the log then, and the name now leads past it. What is newer than the file just finished,
    // listed now, comes first.
    if (saved === null && this.done !== null) {
      const late = this.plan.newerThan(this.done, src);
      if (late.length > 0) {
        this.queue = late;
        src.close();
        return this.openNext();
      }
    }
    // A file left for another before, named again (a re-pointed symlink): its lines up to where it
    // was left were handed over then.
    const left = resumed ? null : this.finished.take(src.fd, src.dev, src.ino);
    if (left !== null) src.skipTo(left.offset);
    this.src = this.live = src;
    return true;
  }

  private pathChange(): 'none' | 'rotated' | 'truncated' {
    const live = this.live!;
    const now = namedNow(this.opts.path);
    if (now === undefined) return 'none'; // renamed away, new one not created yet: keep reading the held file
    if (now.ino !== live.ino || now.dev !== live.dev) return 'rotated';
    return live.unchanged() ? 'none' : 'truncated';
  }

  private oldFileQuiet(): boolean {
    const now = Date.now();
    if (this.rotationSeen === 0) this.rotationSeen = now;
    return now - Math.max(this.rotationSeen, this.lastData) >= (this.opts.rotateWaitMs ?? 0);
  }

  private rotated(): void {
    this.rotationSeen = 0;
    const c = this.finishFile();
    this.finished.add(c);
    // Copies rotated after the one we held (several rotations between two polls) are still unread.
    this.queue = this.plan.newerThan(c, namedNow(this.opts.path));
    this.opts.onEvent('rotation', this.opts.path);
  }

  private truncated(): void {
    const live = this.live!;
    this.splitter.reset();
    // copytruncate: the lines after our position were copied to the newest rotated copy.
    this.done = live.cursor();
    // Renamed away too, it is a copy like the others, in its place among them (not left out as the
    // live file): its new lines before those of the files created after it.
    const named = isNamed(this.opts.path, live);
    this.queue = this.plan.unread(this.done, named ? live : undefined) ?? [];
    // Truncated in place, the file's old lines are no copy: the newest copy is the last one read.
    // (Renamed away already, the copies newer than it are not history: the anchor stays.)
    if (this.queue.length === 0 && named) this.plan.historyUpToNow();
    // Its new lines are read by its name once the copies are done; but by then (or by the time the
    // truncation is seen) it may have been renamed away too, rotated again right after copytruncate,
    // and the name leads past them to the next file. So its descriptor is kept until either the name
    // still names it, or a copy read holds its first bytes (it, renamed, maybe compressed).
    this.truncatedFile = { path: live.path, fd: live.fd, dev: live.dev, ino: live.ino };
    this.src = this.live = null;
    this.opts.onEvent('truncation', this.opts.path);
  }

  private dropTruncated(): void {
    if (this.truncatedFile !== null) closeSync(this.truncatedFile.fd);
    this.truncatedFile = null;
  }

  private finishFile(): Position {
    const src = this.src!;
    this.last = null;
    this.splitter.finish();
    const used = this.splitter.take();
    src.offset += used;
    if (used > 0 && src instanceof PlainReader) src.remember(this.lastTail(false));
    const end = src.cursor();
    this.done = end;
    const held = this.truncatedFile;
    if (held !== null && src !== this.live && end.headLen > 0 && holdsAt(held.fd, { ...end, offset: 0, tail: '' })) this.dropTruncated();
    this.plan.finished(end, src.id);
    src.close();
    if (src === this.live) this.live = null;
    this.src = null;
    return end;
  }
}

/** Whether `path` names the file `f` now. */
function isNamed(path: string, f: { dev: number; ino: number }): boolean {
  const now = namedNow(path);
  return now !== undefined && now.dev === f.dev && now.ino === f.ino;
}

/** The file `path` names now (through a symlink: its target), or undefined. */
function namedNow(path: string): { dev: number; ino: number } | undefined {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}
