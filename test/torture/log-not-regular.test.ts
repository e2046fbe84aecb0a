// `--log` coming to name a FIFO or a device while the daemon runs (at start it is refused with 66:
// test/engine/exits.test.ts): the daemon must neither hang in open() on the FIFO (deaf to SIGTERM)
// nor spin on /dev/zero, but say so once, keep waiting, stop when told, and count the regular log
// that is put there instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon, counters, mailCounters, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const LOGS = 'fixtures/logs';
const expected = JSON.parse(readFileSync(join(LOGS, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;
const OPTS = ['--poll-interval', '20', '--commit-interval', '1', '--rotate-wait', '50'];
const self = (db: string, key: string) => counters(db)[`self:${key}`] ?? 0n;
const said = (out: string, what: string) => out.split('\n').filter((l) => l.includes('"event":"unreadable"') && l.includes(what)).length;

/** Runs `body` with a daemon on `log`, killed at the end if it did not stop: one deaf to SIGTERM is the bug. */
async function withDaemon(d: Daemon, body: (d: Daemon) => Promise<void>): Promise<void> {
  try {
    await body(d);
  } finally {
    if (d.proc.exitCode === null && d.proc.signalCode === null) d.proc.kill('SIGKILL');
  }
}

/** See log-access.test.ts: the daemon's main thread went to sleep and woke up `n` more times. */
async function idlePolls(pid: number, n: number): Promise<void> {
  const switches = () => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  const start = switches();
  await waitFor(() => switches() >= start + n, `${n} idle polls of pid ${pid}`, 10_000);
}

/** The daemon started on an empty regular log, which is then replaced by what `make` makes. */
async function replaced(log: string, db: string, make: (path: string) => void): Promise<Daemon> {
  writeFileSync(log, '');
  const d = new Daemon(log, db, OPTS);
  await waitFor(() => self(db, 'commits') >= 1n, 'the first commit');
  make(`${log}.new`);
  renameSync(`${log}.new`, log);
  return d;
}

const cases: [string, string, (path: string) => void][] = [
  ['a FIFO', 'is a FIFO', (p) => execFileSync('mkfifo', [p])],
  ['a symlink to /dev/zero', 'is a character device', (p) => symlinkSync('/dev/zero', p)],
];

describe('a log path that is not a regular file', () => {
  for (const [name, detail, make] of cases) {
    it(`waits on ${name} renamed over the log, warns once, stops on SIGTERM, and counts the regular log put in its place`, async () => {
      const dir = tmp();
      const log = join(dir, 'mail.log');
      const db = join(dir, 'db');
      await withDaemon(await replaced(log, db, make), async (d) => {
        await waitFor(() => said(d.output, detail) === 1, `the daemon to report that the log ${detail}`);
        await idlePolls(d.proc.pid!, 20);
        expect(d.proc.exitCode).toBeNull();
        expect(said(d.output, detail)).toBe(1);
        await waitFor(() => self(db, 'log_unreadable') === 1n, 'self:log_unreadable committed');

        const body = readFileSync(join(LOGS, 'classic.log'), 'utf8');
        writeFileSync(join(dir, 'incoming'), body);
        renameSync(join(dir, 'incoming'), log);
        const total = body.split('\n').filter((l) => l !== '').length;
        await waitFor(() => self(db, 'lines') === BigInt(total), 'every line of the regular log counted');
        expect(mailCounters(db)).toEqual(expected['classic.log']);
        expect(self(db, 'gaps')).toBe(0n);
        const exit = await d.stop();
        expect(exit.code, exit.stderr).toBe(0);
      });
    });

    it(`stops on SIGTERM while the log is ${name} renamed over it`, async () => {
      const dir = tmp();
      const log = join(dir, 'mail.log');
      await withDaemon(await replaced(log, join(dir, 'db'), make), async (d) => {
        await waitFor(() => said(d.output, detail) === 1, `the daemon to report that the log ${detail}`);
        const exit = await d.stop();
        expect(exit.code, exit.stderr).toBe(0);
      });
    });
  }
});
