import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

// daemon/report.ts with its two input modules swapped for test/report/stub/from-input.ts, so the
// wiring (options, exit codes, what reaches stdout) runs before from-store.ts and from-logs.ts exist.
const root = resolve(import.meta.dirname, '../..');
let dir = '';
let bundle = '';

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pfs-report-main-'));
  bundle = join(dir, 'report.mjs');
  await build({
    entryPoints: [join(root, 'daemon/report.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    logLevel: 'silent',
    plugins: [{
      name: 'stub-inputs',
      setup(b) {
        b.onResolve({ filter: /\/from-(store|logs)\.js$/ }, () => ({ path: join(root, 'test/report/stub/from-input.ts') }));
      },
    }],
  });
});

function report(args: string[], stub = 'ok'): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, PFS_STUB: stub, TZ: 'Europe/Berlin' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('postfix-stats-report main', () => {
  it('--db DIR --day D: the store read for that day, the text report on stdout, exit 0', () => {
    const r = report(['--db', '/srv/stats', '--day', '2026-11-29']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('stub-called {"dir":"/srv/stats","label":"2026-11-29"}');
    expect(r.stdout.startsWith('Postfix log summaries for 2026-11-29\n')).toBe(true);
    expect(r.stdout).toContain('\nGrand Totals\n');
  });

  it('files: the logs read with the period, filters and zone; --html gives HTML', () => {
    const r = report(['--html', '--filter-relay', '127.0.0.1:10024', 'a.log', '-']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('stub-called {"inputs":["a.log","-"],"label":null,"relays":["127.0.0.1:10024"],"tz":"Europe/Berlin"}');
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('--mail-to: a whole message with the default subject naming host and day', () => {
    const r = report(['--day', '2026-11-29', '--mail-to', 'root']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^To: root\nSubject: Postfix stats for \S+ 2026-11-29\nDate: /);
    expect(r.stdout).toContain('\n\nPostfix log summaries for 2026-11-29\n');
  });

  it('exit codes: 64 usage, 66 no input, 74 damaged, 70 internal; stdout empty each time', () => {
    const cases: [string[], string, number, RegExp][] = [
      [['--db', '/x', 'a.log'], 'ok', 64, /--db and log files/],
      [['--mail-to', 'root\nBcc: x'], 'ok', 64, /CR, LF/],
      [[], 'missing', 66, /no history/],
      [[], 'damaged', 74, /damaged/],
      [[], 'crash', 70, /internal error: TypeError: boom/],
    ];
    for (const [args, stub, code, message] of cases) {
      const r = report(args, stub);
      expect(r.status, `${args.join(' ')} ${stub}`).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('--help lists the exit codes; --version the version', () => {
    const h = report(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: postfix-stats-report/);
    expect(report(['--version']).stdout).toMatch(/^postfix-stats-report \d+\.\d+\.\d+\n$/);
  });
});
