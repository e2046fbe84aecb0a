// The daemon's exits, as an admin or systemd sees them: a prompt SIGTERM in the middle of a backlog
// whose rerun finishes the job exactly, a failed last commit of --once that is not called success,
// a --db whose name has a dot, --version and -h; a commit failed on a full disk, retried by itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAEMON, Daemon, NODE, counters, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const FIXTURE = readFileSync('fixtures/logs/rfc3339.log', 'utf8');
const FIXTURE_LINES = FIXTURE.split('\n').length - 1;

describe('daemon exits', () => {
  it('SIGTERM in the middle of a backlog: exit 0 within a second, and the rerun counts exactly what one run does', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const copies = 200; // about a million lines: seconds of backlog
    writeFileSync(log, FIXTURE.repeat(copies));
    const db = join(dir, 'db');
    const d = new Daemon(log, db, ['--commit-lines', '20000']);
    await waitFor(() => (counters(db)['self:lines'] ?? 0n) > 0n, 'the first lines counted');
    const asked = Date.now();
    const exit = await d.stop('SIGTERM');
    const took = Date.now() - asked;
    expect(exit.code, exit.stderr).toBe(0);
    expect(took).toBeLessThan(1500);
    const partial = counters(db)['self:lines']!;
    expect(partial).toBeLessThan(BigInt(copies * FIXTURE_LINES)); // it really stopped mid-backlog
    expect(runOnce(log, db).code).toBe(0);
    expect(counters(db)['self:lines']).toBe(BigInt(copies * FIXTURE_LINES));
    expect(runOnce(log, join(dir, 'ref')).code).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
  });

  it('SIGHUP (a reload, to a syslog daemon) is not a stop: noted, and counting goes on', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, FIXTURE);
    const d = new Daemon(log, db);
    try {
      await waitFor(() => counters(db)['self:lines'] === BigInt(FIXTURE_LINES), 'the first lines counted');
      d.proc.kill('SIGHUP');
      await waitFor(() => d.output.includes('SIGHUP'), 'the SIGHUP noted');
      writeFileSync(log, FIXTURE, { flag: 'a' });
      await waitFor(() => counters(db)['self:lines'] === BigInt(2 * FIXTURE_LINES), 'the lines appended after it counted');
      expect((await d.stop()).code).toBe(0);
    } finally {
      d.proc.kill('SIGKILL');
    }
  });

  it('--log that is not a regular file is refused at start with 66, as is a missing one with --once', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const cases: [string, string[], RegExp][] = [
      [join(dir, 'fifo'), [], /is a FIFO/],
      ['/dev/zero', [], /is a character device/],
      [dir, [], /is a directory/],
      [join(dir, 'missing.log'), ['--once'], /ENOENT|no such file/i],
    ];
    for (const [log, once, why] of cases) {
      const r = spawnSync(NODE, [DAEMON, '--log', log, '--db', join(dir, 'db'), ...once], { encoding: 'utf8', timeout: 10_000 });
      expect([r.status, r.signal], `${log}: ${r.stderr}`).toEqual([66, null]);
      expect(r.stderr).toMatch(why);
    }
    expect(existsSync(join(dir, 'db'))).toBe(false); // refused before anything was created
  });

  it('--db whose last component has a dot is a directory like any other', () => {
    const dir = tmp();
    for (const name of ['stats.d', 'tmp.Ab3']) {
      const r = runOnce('fixtures/logs/rfc3339.log', join(dir, name));
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(readdirSync(join(dir, name)).sort()).toEqual(['data.mdb', 'days', 'lock.mdb', 'snapshot']);
    }
    expect(readdirSync(dir).sort()).toEqual(['stats.d', 'tmp.Ab3']);
  });

  it('--version, -h and --help', () => {
    const run = (arg: string) => execFileSync(NODE, [DAEMON, arg], { encoding: 'utf8' });
    expect(run('--version')).toBe(`postfix-statsd ${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
    expect(run('-h')).toBe(run('--help'));
    expect(run('-h')).toMatch(/^Usage: postfix-statsd/);
  });
});

const root = process.getuid?.() === 0;

describe.skipIf(!root)('a full disk (a 1 MiB tmpfs)', () => {
  it('exits 74 when its last commit fails, and the rerun with space counts exactly', () => {
    const mnt = tmp();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const db = join(mnt, 'db');
      const log = join(tmp(), 'mail.log');
      writeFileSync(log, '');
      expect(runOnce(log, db).code).toBe(0);
      writeFileSync(log, FIXTURE.repeat(20)); // enough queue ids to need more pages than are free
      let filler = 0;
      try {
        for (;;) writeFileSync(join(mnt, `fill${filler++}`), Buffer.alloc(4096));
      } catch {
        // full
      }
      const r = runOnce(log, db);
      expect([r.code, r.signal]).toEqual([74, null]);
      expect(r.stderr).toMatch(/last commit .* failed/);
      for (let i = 0; i < filler; i++) rmSync(join(mnt, `fill${i}`), { force: true });
      expect(runOnce(log, db).code).toBe(0);
      expect(counters(db)['self:lines']).toBe(BigInt(20 * FIXTURE_LINES));
      const ref = join(tmp(), 'ref');
      expect(runOnce(log, ref).code).toBe(0);
      expect(mailCounters(db)).toEqual(mailCounters(ref));
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('a commit that failed on the full disk is retried by itself once space is back, without new mail', async () => {
    const mnt = tmp();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    const db = join(mnt, 'db');
    const log = join(tmp(), 'mail.log');
    writeFileSync(log, FIXTURE);
    const d = new Daemon(log, db);
    try {
      await waitFor(() => counters(db)['self:lines'] === BigInt(FIXTURE_LINES), 'the first lines counted');
      let filler = 0;
      try {
        for (;;) writeFileSync(join(mnt, `fill${filler++}`), Buffer.alloc(4096));
      } catch {
        // full
      }
      writeFileSync(log, FIXTURE.repeat(20), { flag: 'a' }); // enough queue ids to need more pages than are free
      await waitFor(() => d.output.includes('write failed') || d.output.includes('commit failed'), 'a failed commit');
      expect(counters(db)['self:lines']).toBe(BigInt(FIXTURE_LINES));
      for (let i = 0; i < filler; i++) rmSync(join(mnt, `fill${i}`), { force: true });
      // no line is appended: the retry alone must bring the readers up to date
      await waitFor(() => counters(db)['self:lines'] === BigInt(21 * FIXTURE_LINES), 'the retried commit', 60_000);
      expect(counters(db)['self:store_errors']).toBeGreaterThan(0n);
      expect((await d.stop()).code).toBe(0);
      const ref = join(tmp(), 'ref');
      expect(runOnce(log, ref).code).toBe(0);
      expect(mailCounters(db)).toEqual(mailCounters(ref));
    } finally {
      d.proc.kill('SIGKILL');
      execFileSync('umount', ['-l', mnt]);
    }
  }, 90_000);

  it('a new database on a full disk: exit 74 with ENOSPC, no crash, nothing left that blocks the next start', () => {
    const mnt = tmp();
    // room for the database of one fixture log, its history included, once the filler is gone
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    try {
      mkdirSync(join(mnt, 'db'));
      try {
        writeFileSync(join(mnt, 'fill'), Buffer.alloc(512 << 10));
      } catch {
        // full
      }
      const r = runOnce('fixtures/logs/rfc3339.log', join(mnt, 'db'));
      expect([r.code, r.signal]).toEqual([74, null]);
      expect(r.stderr).toMatch(/ENOSPC/);
      rmSync(join(mnt, 'fill'));
      const again = runOnce('fixtures/logs/rfc3339.log', join(mnt, 'db'));
      expect([again.code, again.stderr]).toEqual([0, '']);
      expect(existsSync(join(mnt, 'db', 'snapshot'))).toBe(true);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
