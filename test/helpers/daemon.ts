// Runs the built daemon and helper as real processes, and reads the counters they keep.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { encodeRows, sha256, toRows } from '../../src/snapshot/format.js';
import { publish } from '../../src/snapshot/publish.js';
import { readSnapshot } from '../../src/snapshot/read.js';
import { Store } from '../../src/store/store.js';

export const DAEMON = resolve('dist/daemon/main.js');
export const HELPER_JS = resolve('dist/snmp-helper/main.js');
export const HELPER_SEA = resolve('dist/postfix-stats-get');
/** The Node that runs the daemon under test: CI sets PFS_NODE to also test the oldest supported one. */
export const NODE = process.env.PFS_NODE ?? process.execPath;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `postfix-statsd --once`: reads to the end of the log, commits, exits. */
export function runOnce(log: string, db: string, extra: string[] = [], o: { noLog?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Exit {
  const source = o.noLog ? [] : ['--log', log];
  const r = spawnSync(NODE, [DAEMON, '--once', ...source, '--db', db, ...extra], { encoding: 'utf8', env: o.env, timeout: o.timeoutMs });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function helper(args: string[], bin = HELPER_SEA): Exit {
  const cmd = bin.endsWith('.js') ? [process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export class Daemon {
  readonly proc: ChildProcess;
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';

  /** `noLog`: the source is in `extra` (--journal-dir ...), `log` is not used. */
  constructor(log: string, db: string, extra: string[] = [], o: { noLog?: boolean } = {}) {
    const source = o.noLog ? [] : ['--log', log];
    this.proc = spawn(NODE, [DAEMON, ...source, '--db', db, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d) => (this.out += d));
    this.proc.stderr!.on('data', (d) => (this.err += d));
    this.exited = new Promise((res) =>
      this.proc.on('exit', (code, signal) => res({ code, signal, stdout: this.out, stderr: this.err })),
    );
  }

  get output(): string {
    return this.out;
  }

  /** Standard error and, once it ended, how: for a failure's report. */
  get diagnostics(): string {
    const end = this.proc.exitCode ?? this.proc.signalCode;
    return `${end === null ? 'running' : `ended: ${end}`}${this.err === '' ? '' : `\nstderr: ${this.err}`}`;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    this.proc.kill(signal);
    return this.exited;
  }
}

/** Every counter in the snapshot the daemon published, or {} when there is none yet. */
export function counters(db: string): Record<string, bigint> {
  const r = readSnapshot(db);
  if (!r.ok) {
    if (r.reason !== 'missing') throw new Error(r.message);
    return {};
  }
  return Object.fromEntries(r.snapshot.rows.map((row) => [row.key, row.value]));
}

/**
 * Sets counters in a stopped daemon's store as a commit of the daemon would (checksum included) and
 * publishes them: for values no fixture can reach, such as above 2^32.
 */
export async function setCounters(db: string, values: Record<string, bigint>): Promise<void> {
  const s = Store.open(db);
  try {
    const all = new Map(s.load().counters);
    for (const [k, v] of Object.entries(values)) all.set(k, v);
    const rows = toRows(all, (k) => s.indexOf(k));
    s.commit({ counters: new Map(Object.entries(values)), cursor: undefined, queue: new Map(), sum: sha256(encodeRows(rows)) });
    publish(db, { seq: s.sequence, time: Date.now(), rows });
  } finally {
    await s.close();
  }
}

/** The counters without the daemon's own `self:` keys. */
export function mailCounters(db: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters(db))
      .filter(([k]) => !k.startsWith('self:'))
      .map(([k, v]) => [k, Number(v)]),
  );
}

/** Waits until `cond` holds, checking every few milliseconds; fails with `what` after `ms`. */
export async function waitFor(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
