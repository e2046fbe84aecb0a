// The main thread's side of the HTTP worker: starts it and waits for its listen() (so a daemon that
// cannot listen exits before counting), hands it each commit's snapshot, has it let go of the store
// while the daemon recreates deleted database files, and stops it. A worker that dies is logged and
// started again on the address it had (its port too, when the kernel picked it), after 1 s, then
// after up to a minute while it keeps dying; the counting never waits for it.
import type { Worker } from 'node:worker_threads';
import type { Snapshot } from '../../snapshot/format.js';
import { formatHttpAddress, type HttpAddress } from './address.js';
import { spawnWorker } from '../../worker/spawn.js';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.js';

export interface HostLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HttpWorkerOptions {
  readonly address: HttpAddress;
  readonly db: string;
  readonly tz: string;
  readonly host: string;
  /** The last commit's snapshot, for a worker (re)started between commits. */
  snapshot(): Snapshot;
  readonly log: HostLog;
  /** A worker died and another is being started. */
  restarting?(): void;
  /** How the thread is made (tests wrap it to reach the Worker). */
  spawn?(data: WorkerConfig): Worker;
}

export type StartedWorker = { ok: true; http: HttpWorkerHost } | { ok: false; error: string };

/** How long a stopping worker gets before it is terminated: the daemon exits within a second. */
const STOP_MS = 500;
/** How long a worker gets to let go of the store before the recreation is left for the next commit. */
const RELEASE_MS = 2000;
const RESTART_MS = 1000;
const MAX_RESTART_MS = 60_000;

export class HttpWorkerHost {
  private worker: Worker | null = null;
  private storeOpen = true;
  private stopping = false;
  /** The wait before the next start of a worker that died; 0: none died yet. */
  private delay = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private released: (() => void) | null = null;

  private constructor(private readonly o: HttpWorkerOptions, private address: HttpAddress) {}

  /** Resolves once the worker listens (ok) or could not (the reason, as the daemon exits 69 with). */
  static async start(o: HttpWorkerOptions): Promise<StartedWorker> {
    const host = new HttpWorkerHost(o, o.address);
    const started = await host.launch();
    return started === null ? { ok: true, http: host } : { ok: false, error: started };
  }

  /** Where it listens, the kernel's port filled in. */
  get listening(): string {
    return formatHttpAddress(this.address);
  }

  /** After every commit; a worker being restarted gets the last one when it starts. */
  post(snapshot: Snapshot): void {
    this.send({ type: 'snapshot', snapshot });
  }

  /** StoreReaders: the worker closes its read-only environment. */
  release(): Promise<boolean> {
    this.storeOpen = false;
    if (this.worker === null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((this.released = null), resolve(false)), RELEASE_MS);
      this.released = () => (clearTimeout(timer), (this.released = null), resolve(true));
      this.send({ type: 'release' });
    });
  }

  reopen(): void {
    this.storeOpen = true;
    this.send({ type: 'reopen' });
  }

  /** Closes the server and its connections; a worker that does not end in STOP_MS is terminated. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const w = this.worker;
    if (w === null) return;
    const ended = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_MS)));
    if ((await Promise.race([ended, late])) === 'late') {
      this.o.log.warn({ ms: STOP_MS }, 'http worker did not stop in time; terminating it');
      await w.terminate();
    }
    clearTimeout(timer);
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  /** Starts a worker; resolves null once it listens, or why it could not. */
  private async launch(): Promise<string | null> {
    const data: WorkerConfig = { address: this.address, db: this.o.db, tz: this.o.tz, host: this.o.host, snapshot: this.o.snapshot(), storeOpen: this.storeOpen };
    let w: Worker;
    try {
      w = (this.o.spawn ?? spawnHttpWorker)(data);
    } catch (e) {
      return `cannot start the http worker: ${(e as Error).message}`;
    }
    this.worker = w;
    return new Promise((resolve) => {
      let up = false;
      let startedAt = 0;
      w.on('message', (m: FromWorker) => {
        if (m.type === 'log') this.o.log[m.level](m.obj, m.msg);
        else if (m.type === 'released') this.released?.();
        else if (m.type === 'failed') resolve(m.error);
        else {
          up = true;
          startedAt = Date.now();
          // a restart must come back where scrapers look for it, not on another free port
          if (this.address.kind === 'tcp' && m.port !== null) this.address = { ...this.address, port: m.port };
          resolve(null);
        }
      });
      w.on('error', (err) => this.o.log.error({ err: err.stack }, 'http worker failed'));
      w.on('exit', (code) => {
        if (this.worker === w) this.worker = null;
        this.released?.(); // an ended thread holds nothing
        if (!up) return resolve(`the http worker ended before listening (exit code ${code})`);
        if (this.stopping) return;
        // a worker that ran for a while died of something rare; one that keeps dying is waited for longer
        this.delay = this.delay === 0 || Date.now() - startedAt >= MAX_RESTART_MS ? RESTART_MS : Math.min(this.delay * 2, MAX_RESTART_MS);
        this.o.log.error({ code, restartInMs: this.delay }, 'http worker ended; starting another');
        this.o.restarting?.();
        this.schedule();
      });
    });
  }

  private schedule(): void {
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      void this.launch().then((failed) => {
        if (failed === null || this.stopping) return;
        this.delay = Math.min(this.delay * 2, MAX_RESTART_MS);
        this.o.log.error({ err: failed, restartInMs: this.delay }, 'http worker could not start again; retrying');
        this.schedule();
      });
    }, this.delay);
  }
}

/** The worker's entry, `http-worker.ts`; `http-worker.cjs` is its name in the single executable. */
function spawnHttpWorker(workerData: WorkerConfig): Worker {
  return spawnWorker(new URL('./http-worker.js', import.meta.url), 'http-worker.cjs', { workerData });
}
