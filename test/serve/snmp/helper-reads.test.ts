// postfix-stats-get reads one file, the snapshot the daemon publishes, and nothing of LMDB: it needs
// read access to that file only, runs without lmdb.node beside it, and answers a missing, forbidden or
// damaged snapshot with its documented exit code and a message, never with a number.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELPER_SEA, helper, runOnce } from '../../helpers/daemon.js';
import { tmp } from '../../helpers/tmp.js';

function counted(): string {
  const dir = tmp();
  chmodSync(dir, 0o755);
  const db = join(dir, 'db');
  const r = runOnce('fixtures/logs/rfc3339.log', db);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

const SENT = String(JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8'))['rfc3339.log']['sent:smtp']);
const asRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

function asNobody(args: string[]) {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', HELPER_SEA, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('postfix-stats-get and the snapshot', () => {
  it('runs from a directory holding nothing but itself (no lmdb.node)', () => {
    const db = counted();
    const alone = join(tmp(), 'bin');
    mkdirSync(alone);
    copyFileSync(HELPER_SEA, join(alone, 'postfix-stats-get'));
    chmodSync(join(alone, 'postfix-stats-get'), 0o755);
    const r = helper(['--db', db, 'sent:smtp'], join(alone, 'postfix-stats-get'));
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${SENT}\n`, '']);
  });

  it('says 66 and points at the daemon when there is no snapshot, even beside LMDB files', () => {
    const db = counted();
    const bare = join(tmp(), 'db');
    mkdirSync(bare);
    copyFileSync(join(db, 'data.mdb'), join(bare, 'data.mdb'));
    const r = helper(['--db', bare, 'sent:smtp']);
    expect([r.code, r.stdout]).toEqual([66, '']);
    expect(r.stderr).toMatch(/no counters at .*snapshot.*postfix-statsd/);
  });

  it('says 74 for a snapshot cut short or damaged, in every mode, and prints no number', () => {
    const db = counted();
    const whole = readFileSync(join(db, 'snapshot'));
    for (const damage of [
      () => truncateSync(join(db, 'snapshot'), whole.length - 20),
      () => truncateSync(join(db, 'snapshot'), 0),
      () => writeFileSync(join(db, 'snapshot'), Buffer.from(whole).fill(0x37, 100, 101)),
      () => writeFileSync(join(db, 'snapshot'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff))),
    ]) {
      damage();
      for (const args of [['sent:smtp'], ['--list'], ['--mrtg', 'recv:smtp', 'sent:smtp'], ['-g', '.1.3.6.1.4.1.99999.1.1.1.3.1']]) {
        const r = helper(['--db', db, ...args]);
        expect([r.code, r.stdout], `${args.join(' ')}: ${r.stderr}`).toEqual([74, '']);
        expect(r.stderr).toMatch(/not a whole snapshot/);
      }
    }
  });

  it('says 74 for a snapshot that is no regular file (a FIFO, a device, a directory), without waiting on it or reading it', () => {
    const db = counted();
    const snap = join(db, 'snapshot');
    for (const [what, make] of [
      ['a FIFO', () => spawnSync('mkfifo', [snap]).status],
      ['/dev/zero', () => (symlinkSync('/dev/zero', snap), 0)],
      ['a directory', () => (mkdirSync(snap), 0)],
    ] as const) {
      rmSync(snap, { recursive: true, force: true });
      expect(make()).toBe(0);
      const r = spawnSync(HELPER_SEA, ['--db', db, 'sent:smtp'], { encoding: 'utf8', timeout: 10_000 });
      expect([what, r.signal, r.status, r.stdout], r.stderr).toEqual([what, null, 74, '']);
      expect(r.stderr).toMatch(/not a regular file/);
    }
  });

  it.skipIf(!asRoot)('needs read access to the snapshot only: reads as nobody with the LMDB files 0600, 77 when the snapshot is 0600', () => {
    const db = counted();
    chmodSync(db, 0o755);
    chmodSync(join(db, 'data.mdb'), 0o600);
    chmodSync(join(db, 'lock.mdb'), 0o600);
    expect(asNobody(['--db', db, 'sent:smtp'])).toEqual({ code: 0, stdout: `${SENT}\n`, stderr: '' });
    chmodSync(join(db, 'snapshot'), 0o600);
    const r = asNobody(['--db', db, 'sent:smtp']);
    expect([r.code, r.stdout]).toEqual([77, '']);
    expect(r.stderr).toMatch(/permission denied reading .*snapshot/);
  });

  it('prints its version and usage', () => {
    expect(helper(['--version']).stdout).toBe(`postfix-stats-get ${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
    const h = helper(['-h']);
    expect([h.code, h.stdout]).toEqual([0, helper(['--help']).stdout]);
    expect(h.stdout).toMatch(/^Usage: postfix-stats-get/);
  });
});
