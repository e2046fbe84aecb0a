// The systemd journal as a Source: journalctl --output=export, followed, its entries handed over as
// records. The checkpoint is the cursor of the last entry handed over (Postfix's or not), so it is
// committed with exactly the counts of the entries up to it. Every journalctl run, the first and
// each restart, starts at that cursor's own entry (`--cursor`, inclusive): seeing it first proves
// nothing lies between; not seeing it means the journal no longer holds it (vacuumed), which is a
// gap, and journalctl has then started at the oldest entry after its position.
import type { LogRecord } from '../../syslog/record.js';
import { SourceFailed, type Source, type SourceSink } from '../source.js';
import { journalctlArgs, localMachineId, type JournalScope } from './args.js';
import { isJournalCheckpoint, type JournalCheckpoint } from './checkpoint.js';
import { DirWatch, listJournalFiles } from './dir-files.js';
import { ENTRY_FIELDS, F_CURSOR, F_IDENT, F_MESSAGE, newRecord, toRecord } from './entry-record.js';
import { ExportParser, type ExportEntry } from './export-parser.js';
import { JournalctlProcess } from './process.js';
import { IdentifierFilter } from './select.js';

export interface JournalSourceOptions {
  readonly scope: JournalScope;
  /** syslog_name values besides `postfix` whose entries are Postfix's (`postfix-*` always are). */
  readonly syslogNames?: readonly string[];
  /** false: read what is there and end (`--once`); poll() then returns 0 for good. */
  readonly follow?: boolean;
  readonly journalctl?: string;
  /** The longest field kept; an entry whose MESSAGE is longer is skipped and reported (`long_line`). */
  readonly maxField?: number;
  /** journalctl's stderr and the source's own notes, one line each. */
  readonly log?: (msg: string) => void;
  /** First delay before journalctl is started again after it ended; doubles up to 5 s. */
  readonly restartMs?: number;
}

const DEFAULT_BUDGET = 10_000;
const MAX_RESTART_MS = 5000;
/** A run that lasted this long was no crash loop: the next restart is quick again. */
const HEALTHY_RUN_MS = 10_000;
/** With several directories, how often their listing is checked besides the watcher's events. */
const RELIST_MS = 2000;

export class JournalSource implements Source {
  private readonly opts: JournalSourceOptions;
  private readonly follow: boolean;
  private readonly parser: ExportParser;
  private readonly filter: IdentifierFilter;
  private readonly rec: LogRecord = newRecord();
  private readonly machineId: string | null;
  private proc: JournalctlProcess | null = null;
  /** The cursor of the last entry handed over (the checkpoint), and of the last entry parsed. */
  private handed: string | null;
  private parsed: string | null;
  /** The run now reading started at this cursor: its first entry must be that entry. */
  private expect: string | null = null;
  private restartMs: number;
  private nextStart = 0;
  private entriesThisRun = 0;
  private finished = false;
  private failure: Error | null = null;
  private closed = false;
  private waiter: (() => void) | null = null;
  private files: string[] | undefined;
  private watch: DirWatch | null = null;
  private relistAt = 0;
  private filesChanged = false;
  /** journalctl stopped on purpose (its file list changed): restarted at once, from the last entry read. */
  private stopping = false;

  /** `checkpoint`: what checkpoint() returned before, or null for the oldest entry on. */
  constructor(opts: JournalSourceOptions, private readonly sink: SourceSink, checkpoint: unknown = null) {
    if (checkpoint !== null && !isJournalCheckpoint(checkpoint)) throw new TypeError(`not a journal checkpoint: ${JSON.stringify(checkpoint)}`);
    this.opts = opts;
    this.follow = opts.follow ?? true;
    this.handed = this.parsed = checkpoint?.journal ?? null;
    this.parser = new ExportParser({ keep: ENTRY_FIELDS, maxField: opts.maxField ?? 64 * 1024 });
    this.filter = new IdentifierFilter(opts.syslogNames);
    this.restartMs = opts.restartMs ?? 100;
    this.machineId = 'mode' in opts.scope ? localMachineId() : null;
    if ('dirs' in opts.scope && opts.scope.dirs.length > 1) {
      this.files = listJournalFiles(opts.scope.dirs);
      if (this.follow) this.watch = new DirWatch(opts.scope.dirs, () => this.dirsChanged());
    }
  }

  async poll(budget = DEFAULT_BUDGET): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.closed) return 0;
    this.maybeStart();
    const p = this.proc;
    if (p === null) return 0;
    let n = 0;
    const onEntry = (e: ExportEntry): boolean => {
      this.entry(e);
      return ++n < budget;
    };
    while (n < budget && p.chunks.length > 0) {
      const chunk = p.chunks[0]!;
      const from = p.offset;
      const to = this.parser.push(chunk, from, onEntry);
      p.consumed(to - from);
      if (to >= chunk.length) {
        p.chunks.shift();
        p.offset = 0;
      } else p.offset = to;
    }
    if (p.idle && p.exit !== null) this.ended(p);
    return n;
  }

  checkpoint(): JournalCheckpoint | null {
    return this.handed === null ? null : { journal: this.handed };
  }

  atEnd(): boolean {
    return this.finished || this.closed;
  }

  wait(ms: number): Promise<void> {
    if (this.failure || this.closed) return Promise.resolve();
    if (this.proc !== null && (!this.proc.idle || this.proc.exit !== null)) return Promise.resolve();
    if (this.proc === null && !this.finished && Date.now() >= this.nextStart && this.files?.length !== 0) return Promise.resolve();
    if (this.filesChanged) return Promise.resolve();
    if (this.proc === null && !this.finished) ms = Math.min(ms, Math.max(0, this.nextStart - Date.now()));
    if (this.files !== undefined) ms = Math.min(ms, RELIST_MS);
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.waiter === done) self.waiter = null;
        resolve();
      }
      this.waiter = done;
    });
  }

  interrupt(): void {
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
    this.proc?.stop();
    this.proc = null;
    this.wake();
  }

  /** The pid of the journalctl now running, for tests. */
  get journalctlPid(): number | undefined {
    return this.proc?.pid;
  }

  private wake(): void {
    this.waiter?.();
  }

  private entry(e: ExportEntry): void {
    if (e.start[F_CURSOR]! < 0) {
      this.note('journalctl sent an entry without __CURSOR; skipped');
      return;
    }
    const cursor = e.buf.toString('latin1', e.start[F_CURSOR], e.end[F_CURSOR]);
    this.entriesThisRun++;
    if (this.expect !== null) {
      const expected = this.expect;
      // --cursor seeks each file by time: an entry of another file (another host's, another boot's)
      // logged in the very same microsecond may come before the cursor's own, and came before it in
      // the run that handed the cursor over too. It is passed over without moving the resume point.
      // (Where the cursor's own entry is gone too, vacuumed, a tied entry that came after it is
      // passed over as well: which of them were handed over cannot be told then, and a gap loses
      // rather than counts twice.)
      if (cursor !== expected && sameRealtime(cursor, expected)) return;
      this.expect = null;
      this.parsed = cursor;
      if (cursor === expected) return; // handed over before this run began
      this.sink.event('gap', `journal entry ${expected} is no longer in the journal (vacuumed?); resumed at ${cursor}`);
    }
    this.parsed = cursor;
    this.handed = cursor;
    if (e.long > 0) {
      this.sink.event('long_line', `journal entry ${cursor}: ${e.longNames.join(', ')} longer than ${this.opts.maxField ?? 64 * 1024} bytes, not read`);
      if (e.start[F_MESSAGE]! < 0) return;
    }
    if (!this.filter.matches(e.buf, e.start[F_IDENT]!, e.end[F_IDENT]!)) return;
    this.sink.record(toRecord(e, this.rec));
  }

  /** Starts journalctl when none runs, none is to be waited for, and there is something to read. */
  private maybeStart(): void {
    if (this.closed || this.finished) return;
    if (this.files !== undefined && (this.filesChanged || Date.now() >= this.relistAt)) this.relist();
    if (this.proc !== null || Date.now() < this.nextStart) return;
    if (this.files !== undefined && this.files.length === 0) {
      // journalctl with no --file would read the system journal: wait for files, or with --once, done
      if (!this.follow) {
        this.note(`no journal files in ${(this.opts.scope as { dirs: readonly string[] }).dirs.join(', ')}`);
        this.finished = true;
      }
      return;
    }
    const args = journalctlArgs(this.opts.scope, { follow: this.follow, cursor: this.parsed, machineId: this.machineId }, this.files);
    this.parser.reset();
    this.expect = this.parsed;
    this.entriesThisRun = 0;
    this.proc = new JournalctlProcess(this.opts.journalctl ?? 'journalctl', args, () => this.wake(), (l) => this.note(`journalctl: ${l}`));
  }

  /** journalctl ended and all it wrote was read. */
  private ended(p: JournalctlProcess): void {
    this.proc = null;
    const exit = p.exit!;
    const clean = exit.code === 0 && !this.parser.inEntry;
    if (!this.follow && !this.stopping) {
      if (clean) this.finished = true;
      else this.failure = new SourceFailed(`journalctl failed (${exit.signal ?? `exit ${exit.code}`}): ${exit.stderr || 'no message'}`);
      return;
    }
    if (this.stopping) {
      this.stopping = false;
      this.nextStart = 0;
      return;
    }
    const healthy = this.entriesThisRun > 0 || Date.now() - p.startedAt > HEALTHY_RUN_MS;
    if (healthy) this.restartMs = this.opts.restartMs ?? 100;
    this.note(`journalctl ended (${exit.signal ?? `exit ${exit.code}`}); restarting in ${this.restartMs} ms from ${this.parsed ?? 'the oldest entry'}`);
    this.nextStart = Date.now() + this.restartMs;
    this.restartMs = Math.min(this.restartMs * 2, MAX_RESTART_MS);
  }

  private dirsChanged(): void {
    this.filesChanged = true;
    this.wake();
  }

  private relist(): void {
    this.filesChanged = false;
    this.relistAt = Date.now() + RELIST_MS;
    const now = listJournalFiles((this.opts.scope as { dirs: readonly string[] }).dirs);
    const before = this.files!;
    if (now.length === before.length && now.every((f, i) => f === before[i])) return;
    this.files = now;
    if (this.proc !== null && !this.stopping) {
      this.stopping = true;
      this.proc.stop();
    }
  }

  private note(msg: string): void {
    this.opts.log?.(msg);
  }
}

/** Whether two cursors name entries of the same wall-clock microsecond (their `t=` field). */
function sameRealtime(a: string, b: string): boolean {
  const t = realtimeOf(a);
  return t !== null && t === realtimeOf(b);
}

function realtimeOf(cursor: string): string | null {
  const m = /(?:^|;)t=([0-9a-f]+)(?:;|$)/.exec(cursor);
  return m === null ? null : m[1]!;
}
