// The log is not always there to read: missing when the daemon starts, unreadable for its user,
// deleted under it and created again. The daemon must keep running through all of it, say so once,
// and count every line that becomes readable exactly once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAEMON, Daemon, NODE, counters, mailCounters, runOnce, waitFor, type Exit } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const LOGS = 'fixtures/logs';
const expected = JSON.parse(readFileSync(join(LOGS, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;
const text = (name: string) => readFileSync(join(LOGS, name), 'utf8');
const lineCount = (s: string) => s.split('\n').filter((l) => l !== '').length;
const OPTS = ['--poll-interval', '20', '--commit-interval', '1', '--rotate-wait', '50'];

const self = (db: string, key: string) => counters(db)[`self:${key}`] ?? 0n;
const said = (out: string, msg: string) => out.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length;

/**
 * Waits until the daemon's main thread has gone to sleep and woken up `n` more times (Linux counts
 * these as voluntary context switches): with --poll-interval 20 each is an idle poll at the latest,
 * so the daemon has looked at the log again and again. What must not happen (a second warning, an
 * exit) cannot be waited for; this waits for the daemon to have had every chance to do it.
 */
async function idlePolls(pid: number, n: number): Promise<void> {
  const switches = () => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  const start = switches();
  await waitFor(() => switches() >= start + n, `${n} idle polls of pid ${pid}`, 10_000);
}

/** The daemon as user nobody (65534), for whom file modes count: root reads a mode 000 file anyway. */
class NobodyDaemon {
  readonly proc: ChildProcess;
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private done = false;

  constructor(log: string, db: string, extra: string[] = []) {
    const args = ['--reuid=65534', '--regid=65534', '--clear-groups', NODE, DAEMON, '--log', log, '--db', db, ...extra];
    this.proc = spawn('setpriv', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d) => (this.out += d));
    this.proc.stderr!.on('data', (d) => (this.err += d));
    this.exited = new Promise((res) =>
      this.proc.on('exit', (code, signal) => {
        this.done = true;
        res({ code, signal, stdout: this.out, stderr: this.err });
      }),
    );
  }

  get output(): string {
    return this.out + this.err;
  }

  get running(): boolean {
    return !this.done;
  }

  stop(): Promise<Exit> {
    this.proc.kill('SIGTERM');
    return this.exited;
  }
}

function whyNotAsNobody(): string | null {
  if (process.getuid?.() !== 0) return 'the tests do not run as root, so the daemon cannot be started as another user';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is missing';
  return null;
}
const noNobody = whyNotAsNobody();
if (noNobody) console.warn(`log-access: SKIPPING the unreadable-log test: ${noNobody}`);

describe('log access', () => {
  it('waits for a log missing at start, warns once, and counts it whole once it is created', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const d = new Daemon(log, db, OPTS);
    await waitFor(() => d.output.includes('"event":"missing"'), 'the daemon to report the missing log');
    await idlePolls(d.proc.pid!, 20);
    expect(d.proc.exitCode).toBeNull();
    expect(said(d.output, 'log missing')).toBe(1);

    const body = text('classic.log');
    writeFileSync(log, body);
    await waitFor(() => self(db, 'lines') === BigInt(lineCount(body)), 'every line of the new log counted');
    expect(mailCounters(db)).toEqual(expected['classic.log']);
    expect(self(db, 'gaps')).toBe(0n);
    const exit = await d.stop();
    expect(exit.code, exit.stderr).toBe(0);
    expect(said(exit.stdout, 'log missing')).toBe(1);
  });

  it.skipIf(noNobody !== null)(
    'keeps running while the log is unreadable, counts self:log_unreadable, warns once, and reads it all once readable',
    async () => {
      const dir = tmp();
      chmodSync(dir, 0o777); // nobody creates its database here
      const log = join(dir, 'mail.log');
      const db = join(dir, 'db');
      writeFileSync(log, text('classic.log'));
      chmodSync(log, 0o000);
      const d = new NobodyDaemon(log, db, OPTS);
      try {
        await waitFor(() => d.output.includes('"event":"unreadable"') || !d.running, 'the daemon to report the unreadable log');
        expect(d.running, d.output).toBe(true);
        await waitFor(() => self(db, 'log_unreadable') === 1n, 'self:log_unreadable committed');
        // Postfix goes on logging meanwhile: each append wakes the daemon, which tries again.
        const more = text('rfc3339.log').split('\n');
        for (let i = 0; i < 4; i++) {
          appendFileSync(log, more.slice((i * more.length) / 4, ((i + 1) * more.length) / 4).join('\n') + (i === 3 ? '' : '\n'));
          await idlePolls(d.proc.pid!, 5);
        }
        expect(d.running, d.output).toBe(true);
        expect(said(d.output, 'log unreadable')).toBe(1);
        expect(self(db, 'lines')).toBe(0n);

        chmodSync(log, 0o644);
        const total = lineCount(readFileSync(log, 'utf8'));
        await waitFor(() => self(db, 'lines') === BigInt(total), `all ${total} lines counted once readable`).catch((e) => {
          throw new Error(`${e.message}: ${self(db, 'lines')} counted; daemon said ${d.output.slice(-2000)}`);
        });
        expect(runOnce(log, join(dir, 'ref')).code).toBe(0);
        expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
        expect(self(db, 'log_unreadable')).toBe(1n);
        expect(self(db, 'gaps')).toBe(0n);
        expect(said(d.output, 'log unreadable')).toBe(1);
      } finally {
        const exit = await d.stop();
        expect(exit.code, exit.stderr).toBe(0);
      }
    },
  );

  it('survives the log being deleted while followed and created again, counting the lines of both once', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const first = text('classic.log');
    const second = text('rfc3339.log');
    writeFileSync(log, first);
    const d = new Daemon(log, db, OPTS);
    await waitFor(() => self(db, 'lines') === BigInt(lineCount(first)), 'the first log counted');

    rmSync(log);
    await idlePolls(d.proc.pid!, 20); // the daemon looked for it, again and again, and found nothing
    expect(d.proc.exitCode).toBeNull();
    expect(self(db, 'lines')).toBe(BigInt(lineCount(first)));

    writeFileSync(log, second);
    const total = lineCount(first) + lineCount(second);
    await waitFor(() => self(db, 'lines') === BigInt(total), `all ${total} lines of both logs counted`).catch((e) => {
      throw new Error(`${e.message}: ${self(db, 'lines')} counted; daemon said ${d.output.slice(-2000)}`);
    });
    // Nothing more trickles in: wait for the daemon to idle, then compare.
    await idlePolls(d.proc.pid!, 10);
    const whole = join(dir, 'whole.log');
    writeFileSync(whole, first + second);
    expect(runOnce(whole, join(dir, 'ref')).code).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
    const sum = { ...expected['classic.log'] };
    for (const [k, v] of Object.entries(expected['rfc3339.log']!)) sum[k] = (sum[k] ?? 0) + v;
    expect(mailCounters(db)).toEqual(sum);
    expect(self(db, 'lines')).toBe(BigInt(total));
    expect(self(db, 'gaps')).toBe(0n);
    const exit = await d.stop();
    expect(exit.code, exit.stderr).toBe(0);
  });
});
