// One daemon per database directory: a second one, following the same or another log, is refused
// with exit 75 and the first one's pid, whatever path names the directory; a SIGKILLed daemon leaves
// no lock behind.
import { appendFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon, counters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';
import { lockName } from '../../src/store/lock.js';

describe('the database lock', () => {
  it('refuses a second daemon on the same directory (also by another path), then lets one in after SIGKILL', async () => {
    const dir = tmp();
    const db = join(dir, 'db');
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, 'x\n');
    writeFileSync(b, 'y\ny\n');
    const first = new Daemon(a, db);
    await waitFor(() => counters(db)['self:lines'] === 1n, 'the first daemon to count a.log');
    symlinkSync(db, join(dir, 'alias'));
    for (const path of [db, join(dir, 'alias'), `${db}/.`]) {
      const second = runOnce(b, path);
      expect([second.code, second.signal], second.stderr).toEqual([75, null]);
      expect(second.stderr).toContain(`another postfix-statsd (pid ${first.proc.pid}) is using`);
    }
    const follower = new Daemon(b, db);
    expect((await follower.exited).code).toBe(75);
    expect(counters(db)['self:lines']).toBe(1n); // nothing of b.log got in

    await first.stop('SIGKILL');
    const after = runOnce(b, db);
    expect([after.code, after.stderr]).toEqual([0, '']);
  });

  it('outlives clients of its lock socket that hang up before the answer (any local user can connect)', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, 'x\n');
    const d = new Daemon(log, db);
    await waitFor(() => counters(db)['self:lines'] === 1n, 'the daemon to count the first line');
    const name = lockName(db);
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((res) => {
        const c = createConnection({ path: name });
        c.on('connect', () => (c.destroy(), res()));
        c.on('error', () => res());
      });
    }
    appendFileSync(log, 'y\n');
    await waitFor(() => counters(db)['self:lines'] === 2n || d.proc.exitCode !== null, 'the daemon to count a line after');
    expect(d.proc.exitCode, d.output).toBe(null);
    expect((await d.stop()).code).toBe(0);
  });

  it('lets daemons on different directories run side by side', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    writeFileSync(log, 'x\n');
    const one = new Daemon(log, join(dir, 'one'));
    await waitFor(() => counters(join(dir, 'one'))['self:lines'] === 1n, 'the first daemon');
    expect(runOnce(log, join(dir, 'two')).code).toBe(0);
    expect((await one.stop()).code).toBe(0);
  });
});
