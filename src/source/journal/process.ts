// One journalctl run: its stdout collected as chunks for the parser, with back-pressure (the pipe is
// paused while too much waits unparsed, so a backlog never sits in memory), its stderr passed on as
// lines, its end noted. Whether and when to start another is the source's business.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last stderr lines, for an error message. */
  readonly stderr: string;
}

const HIGH_WATER = 8 << 20;
const MAX_STDERR_LINE = 4096;

export class JournalctlProcess {
  readonly chunks: Buffer[] = [];
  /** Offset into chunks[0] already parsed. */
  offset = 0;
  private queued = 0;
  private paused = false;
  private readonly child: ChildProcess;
  private errTail = '';
  private errLines: string[] = [];
  /** Set once stdout has closed and the process has exited: nothing more will come. */
  exit: Exit | null = null;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stdoutClosed = false;
  readonly startedAt = Date.now();

  constructor(bin: string, args: readonly string[], private readonly wake: () => void, private readonly onStderr: (line: string) => void) {
    this.child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => {
      this.chunks.push(b);
      this.queued += b.length;
      if (this.queued > HIGH_WATER && !this.paused) {
        this.paused = true;
        this.child.stdout!.pause();
      }
      this.wake();
    });
    this.child.stdout!.on('close', () => {
      this.stdoutClosed = true;
      this.settle();
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => this.stderr(s));
    this.child.on('error', (e) => {
      // spawn failed (no such binary): no 'exit' follows, and stdout closes by itself
      this.stderr(`${e.message}\n`);
      this.stdoutClosed = true;
      this.exited = { code: null, signal: null };
      this.settle();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.settle();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Called after the parser used `n` bytes of the queue. */
  consumed(n: number): void {
    this.queued -= n;
    if (this.paused && this.queued < HIGH_WATER / 4) {
      this.paused = false;
      this.child.stdout!.resume();
    }
  }

  get idle(): boolean {
    return this.chunks.length === 0;
  }

  stop(): void {
    if (this.exited === null) this.child.kill('SIGTERM');
    // paused, it could never see the end of its pipe
    if (this.paused) this.child.stdout!.resume();
  }

  private stderr(s: string): void {
    this.errTail += s;
    let nl: number;
    while ((nl = this.errTail.indexOf('\n')) >= 0) {
      this.line(this.errTail.slice(0, nl));
      this.errTail = this.errTail.slice(nl + 1);
    }
    if (this.errTail.length > MAX_STDERR_LINE) {
      this.line(this.errTail.slice(0, MAX_STDERR_LINE));
      this.errTail = '';
    }
  }

  private line(l: string): void {
    if (l.length === 0) return;
    this.errLines.push(l);
    if (this.errLines.length > 5) this.errLines.shift();
    this.onStderr(l);
  }

  private settle(): void {
    if (this.exit !== null || this.exited === null || !this.stdoutClosed) return;
    if (this.errTail.length > 0) this.line(this.errTail);
    this.errTail = '';
    this.exit = { ...this.exited, stderr: this.errLines.join('\n') };
    this.wake();
  }
}
