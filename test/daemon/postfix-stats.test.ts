// The packaged executable, dist/postfix-stats: one Node single executable that is the daemon, the
// helper and the report by the name it is started as. Run from a bare directory holding only itself
// and lmdb.node, reached through links elsewhere, with no Node on PATH, as the .deb installs it.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counters, runOnce, waitFor, type Exit } from '../helpers/daemon.js';
import { get } from '../serve/http/helpers.js';
import { MIN_SPLIT_BYTES } from '../../src/report/split/run-half.js';
import { generate } from '../../scripts/bench/genlog.mjs';

const SEA = resolve('dist/postfix-stats');
const ADDON = resolve('dist/lmdb.node');
const LOG = resolve('fixtures/logs/rfc3339.log');
const PROGRAMS = ['postfix-statsd', 'postfix-stats-get', 'postfix-stats-report'] as const;

let tmp: string;
let lib: string; // like /usr/lib/postfix-stats
let bin: string; // like /usr/bin: only links

function run(exe: string, args: string[]): Exit {
  const r = spawnSync(exe, args, { encoding: 'utf8', env: { PATH: '/nonexistent', HOME: tmp }, cwd: tmp });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pfs-multicall-'));
  lib = join(tmp, 'lib');
  bin = join(tmp, 'bin');
  mkdirSync(lib);
  mkdirSync(bin);
  copyFileSync(SEA, join(lib, 'postfix-stats'));
  copyFileSync(ADDON, join(lib, 'lmdb.node'));
  spawnSync('chmod', ['755', join(lib, 'postfix-stats')]);
  for (const p of PROGRAMS) symlinkSync(join(lib, 'postfix-stats'), join(bin, p));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('one executable, three programs', () => {
  it.each(PROGRAMS)('started as %s through a link, it is that program', (p) => {
    const r = run(join(bin, p), ['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${p} \\d+\\.\\d+\\.\\d+\\n$`));
    expect(r.code).toBe(0);
    expect(run(join(lib, 'postfix-stats'), [p, '--version']).stdout).toBe(r.stdout);
  });

  it('a link named after a member of every JavaScript object (constructor, toString) is no program: the first argument decides', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const link = join(bin, name);
      symlinkSync(join(lib, 'postfix-stats'), link);
      const r = run(link, ['postfix-stats-get', '--version']);
      expect(r.stdout, name).toMatch(/^postfix-stats-get \d+\.\d+\.\d+\n$/);
      expect(r.code, name).toBe(0);
      const bad = run(link, []);
      expect(bad.code, name).toBe(64);
      expect(bad.stderr, name).toMatch(/no program given/);
    }
  });

  it('an unknown program name is bad usage (64), with the list of programs', () => {
    const r = run(join(lib, 'postfix-stats'), ['postfix-statsdd']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown program: postfix-statsdd/);
    for (const p of PROGRAMS) expect(r.stderr).toContain(p);
  });

  it('counts like the daemon under node, reopens its store (the probe runs the executable again), and the report and helper read it', () => {
    const viaNode = join(tmp, 'db-node');
    expect(runOnce(LOG, viaNode).code).toBe(0);
    const db = join(tmp, 'db-sea');
    for (let i = 0; i < 2; i++) {
      const r = run(join(bin, 'postfix-statsd'), ['--once', '--log', LOG, '--db', db, '--log-level', 'warn']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const want = counters(viaNode);
    const got = counters(db);
    expect(got['sent:smtp']).toBeGreaterThan(0n);
    // the second run read nothing new: same counts, apart from the daemon's own start-up counters
    const mail = (c: Record<string, bigint>) => Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith('self:')));
    expect(mail(got)).toEqual(mail(want));
    expect(run(join(bin, 'postfix-stats-get'), ['--db', db, 'sent:smtp']).stdout).toBe(`${want['sent:smtp']}\n`);
    const fromStore = run(join(bin, 'postfix-stats-report'), ['--db', db, '--day', 'today']);
    expect(fromStore.code).toBe(0);
    expect(fromStore.stdout).toMatch(/^Grand Totals$/m);
  });

  it('without lmdb.node beside it, the helper still answers and the daemon exits 72 saying what is missing', () => {
    const alone = join(tmp, 'alone');
    mkdirSync(alone);
    copyFileSync(SEA, join(alone, 'postfix-stats'));
    spawnSync('chmod', ['755', join(alone, 'postfix-stats')]);
    const db = join(tmp, 'db-node');
    expect(run(join(alone, 'postfix-stats'), ['postfix-stats-get', '--db', db, 'sent:smtp']).code).toBe(0);
    const r = run(join(alone, 'postfix-stats'), ['postfix-statsd', '--once', '--log', LOG, '--db', join(tmp, 'db-x')]);
    expect(r.code).toBe(72);
    expect(r.stderr).toMatch(/^postfix-statsd: cannot load: lmdb native addon not found.*lmdb\.node.*\n$/);
  });

  it('serves HTTP from its worker thread, whose code is an asset of the executable: /metrics equals the helper, the page has its graphs', async () => {
    const db = join(tmp, 'db-http');
    const proc = spawn(join(bin, 'postfix-statsd'), ['--log', LOG, '--db', db, '--http', '127.0.0.1:0'], { env: { PATH: '/nonexistent' }, cwd: tmp });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
    try {
      let port = 0;
      await waitFor(() => {
        const m = /"http":"127\.0\.0\.1:(\d+)","msg":"http listening"/.exec(out);
        if (m) port = Number(m[1]);
        return m !== null && counters(db)['sent:smtp'] !== undefined;
      }, 'the single executable to listen and count');
      const sent = run(join(bin, 'postfix-stats-get'), ['--db', db, 'sent:smtp']).stdout.trim();
      const metrics = await get(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain(`postfix_stats_sent_total{transport="smtp"} ${sent}\n`);
      const page = await get(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(page.body.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).not.toMatch(/"level":(50|60)/);
  });

  it('reads a large log file on two threads, the second one an asset of the executable, and prints what it prints from standard input', () => {
    const path = join(tmp, 'big.log');
    generate(resolve('fixtures/logs'), path, 140_000);
    expect(statSync(path).size).toBeGreaterThan(MIN_SPLIT_BYTES);
    const env = { PATH: '/nonexistent', TZ: 'UTC', POSTFIX_STATS_REPORT_SPLIT: 'on', POSTFIX_STATS_SPLIT_TRACE: '1' };
    const report = join(bin, 'postfix-stats-report');
    const split = spawnSync(report, ['--tz', 'UTC', path], { encoding: 'utf8', env });
    const inOrder = spawnSync('/bin/sh', ['-c', `"${report}" --tz UTC - < "${path}"`], { encoding: 'utf8', env });
    expect(split.status, split.stderr).toBe(0);
    expect(inOrder.status, inOrder.stderr).toBe(0);
    expect(split.stderr).toMatch(/^split: joined at byte \d+/m);
    const body = (s: string) => s.split('\n').filter((l) => !l.startsWith('input: ')).join('\n');
    expect(body(split.stdout)).toMatch(/^Grand Totals$/m);
    expect(body(split.stdout)).toBe(body(inOrder.stdout));
  }, 120_000);
});
