// A report read from one file as two halves (the second from an empty state, its unresolved lines
// replayed after the first: src/report/split/) must give exactly what one read in order gives, or
// refuse and read in order. Checked by cutting logs at every line (the fixtures: every boundary a
// real Postfix log has, inside a message, a session, a NOQUEUE hold) and comparing the whole history.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyFromLogs, summaryFromLogs, type LogHistory } from '../../src/report/from-logs.js';
import { renderText } from '../../src/report/text.js';
import type { Summary } from '../../src/report/summary.js';
import { refusal, type FirstHalf } from '../../src/report/split/join.js';
import type { SecondHalfResult } from '../../src/report/split/second-half.js';
import { MIN_SPLIT_BYTES } from '../../src/report/split/run-half.js';
import { QueueState } from '../../src/classify/queue.js';
import { YearClock } from '../../src/syslog/year.js';
import { tmp } from '../helpers/tmp.js';
import { generate } from '../../scripts/bench/genlog.mjs';

const FIXTURES = 'fixtures/logs';

/**
 * Every entry of the history. A time bucket's keys are in the order they first came, which a split
 * read changes and nothing reads (a report sums or sorts them): compared sorted.
 */
function dump(h: LogHistory): string[] {
  return [...h.kv.range('', '\uffff')].map((e) => {
    const v = Buffer.from(e.value);
    if (!/^h[mhd]:/.test(e.key)) return `${e.key}=${v.toString('hex')}`;
    return `${e.key}=${JSON.stringify(Object.entries(JSON.parse(v.toString('utf8')) as Record<string, number>).sort())}`;
  });
}

function text(s: Summary, path: string): string {
  return renderText(s, { label: null, source: { kind: 'log', files: [path] }, hostLimit: -1, userLimit: -1, filterRelays: [], filterServices: [] });
}

/** Byte offsets of every line start after the first. */
function lineStarts(path: string): number[] {
  const buf = readFileSync(path);
  const out: number[] = [];
  for (let i = buf.indexOf(10); i >= 0 && i + 1 < buf.length; i = buf.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

/** Cuts `path` at each of `cuts`; every split result must equal the read in order. Returns the outcomes. */
async function everyCut(path: string, cuts: number[]): Promise<Map<string, number>> {
  const whole = await historyFromLogs([path], 'UTC', { split: false, retention: undefined });
  const want = dump(whole);
  const outcomes = new Map<string, number>();
  for (const at of cuts) {
    const h = await historyFromLogs([path], 'UTC', { split: { at, inThread: true } });
    const why = h.split ?? 'not split';
    outcomes.set(why, (outcomes.get(why) ?? 0) + 1);
    // a mismatch names its cut: the line after it is where the classes of boundary differ
    if (dump(h).join('\n') !== want.join('\n') || h.newest !== whole.newest || JSON.stringify(h.form) !== JSON.stringify(whole.form)) {
      expect.fail(`cut at byte ${at} (${why}) differs from the read in order`);
    }
  }
  return outcomes;
}

describe('split report read', () => {
  // classic.log at every line; the other two (the same messages, other stamps) at every 3rd
  for (const [name, every] of [['classic.log', 1], ['rfc3339.log', 3], ['maillog_file.log', 3]] as const) {
    it(`equals the read in order when ${name} is cut at every ${every === 1 ? '' : `${every}rd `}line`, async () => {
      const path = join(FIXTURES, name);
      const cuts = lineStarts(path).filter((_, i) => i % every === 0);
      const outcomes = await everyCut(path, cuts);
      // most cuts are joined (the mechanism is exercised), the others read in order
      expect(outcomes.get('joined') ?? 0).toBeGreaterThan(cuts.length / 2);
    }, 600_000);
  }

  it('equals the read in order on the three fixtures end to end (classic and RFC 3339 stamps mixed), cut every 10th line', async () => {
    const path = join(tmp(), 'all.log');
    writeFileSync(path, Buffer.concat(['classic.log', 'rfc3339.log', 'maillog_file.log'].map((f) => readFileSync(join(FIXTURES, f)))));
    const outcomes = await everyCut(path, lineStarts(path).filter((_, i) => i % 10 === 0));
    expect(outcomes.get('joined') ?? 0).toBeGreaterThan(0);
  }, 600_000);

  it('equals the read in order on a generated log with messages in flight across the cut, cut at 120 places', async () => {
    const path = join(tmp(), 'gen.log');
    generate(FIXTURES, path, 40_000);
    const starts = lineStarts(path);
    const cuts = Array.from({ length: 120 }, (_, i) => starts[Math.floor(((i + 0.5) * starts.length) / 120)]!);
    const outcomes = await everyCut(path, cuts);
    expect(outcomes.get('joined') ?? 0).toBeGreaterThan(60);
  }, 600_000);

  it('equals the read in order on a central file of two hosts using the same queue ids at once, cut every 10th line', async () => {
    const path = join(tmp(), 'central.log');
    const lines = readFileSync(join(FIXTURES, 'classic.log'), 'latin1').split('\n').filter((l) => l !== '');
    // each line twice, the second from mx2 (the host after the 15-byte classic stamp)
    writeFileSync(path, lines.flatMap((l) => [l, `${l.slice(0, 16)}mx2${l.slice(19)}`]).join('\n') + '\n', 'latin1');
    expect(lines[0]!.slice(16, 19)).toBe('mx1');
    const single = await historyFromLogs([join(FIXTURES, 'classic.log')], 'UTC', { split: false });
    const both = await historyFromLogs([path], 'UTC', { split: false });
    // each host's messages counted on their own: twice the one host's history, count for count
    const totals = (h: LogHistory) => {
      const sums = new Map<string, number>();
      for (const e of h.kv.range('hd:', 'hd;')) for (const [k, n] of Object.entries(JSON.parse(Buffer.from(e.value).toString('utf8')) as Record<string, number>)) sums.set(k, (sums.get(k) ?? 0) + n);
      return sums;
    };
    const one = totals(single);
    expect(one.get('recv:smtp')).toBeGreaterThan(100);
    expect(totals(both)).toEqual(new Map([...one].map(([k, n]) => [k, 2 * n])));
    const outcomes = await everyCut(path, lineStarts(path).filter((_, i) => i % 10 === 0));
    expect(outcomes.get('joined') ?? 0).toBeGreaterThan(0);
  }, 600_000);

  it('prints the same report as the read in order, the three fixtures end to end cut every 50th line', async () => {
    const path = join(tmp(), 'all.log');
    writeFileSync(path, Buffer.concat(['classic.log', 'rfc3339.log', 'maillog_file.log'].map((f) => readFileSync(join(FIXTURES, f)))));
    const o = { filterRelays: new Set<string>(), filterServices: new Set<string>() };
    const want = text(await summaryFromLogs([path], null, { ...o, split: false }, 'UTC'), path);
    for (const at of lineStarts(path).filter((_, i) => i % 50 === 0)) {
      const s = await summaryFromLogs([path], null, { ...o, split: { at, inThread: true } }, 'UTC');
      expect(text(s, path), `cut at byte ${at}`).toBe(want);
    }
  }, 600_000);

  it('an unterminated last line and a file without a cut are read alike', async () => {
    const path = join(tmp(), 'tail.log');
    const text = readFileSync(join(FIXTURES, 'rfc3339.log'), 'latin1');
    writeFileSync(path, text.slice(0, -1), 'latin1');
    const starts = lineStarts(path);
    await everyCut(path, [starts[starts.length - 1]!, starts[starts.length - 2]!, 1, 2]);
  });

  it('the built report cuts a large file between two threads and prints what it prints from standard input, read in order', () => {
    const dir = tmp();
    const path = join(dir, 'big.log');
    generate(FIXTURES, path, 140_000);
    expect(statSync(path).size).toBeGreaterThan(MIN_SPLIT_BYTES);
    // whatever the machine's load (without it, a busy machine reads in order)
    const env = { ...process.env, TZ: 'UTC', POSTFIX_STATS_REPORT_SPLIT: 'on' };
    const split = spawnSync(process.execPath, ['dist/daemon/report.js', '--tz', 'UTC', path], { encoding: 'utf8', env });
    const inOrder = spawnSync('sh', ['-c', `${process.execPath} dist/daemon/report.js --tz UTC - < ${path}`], { encoding: 'utf8', env });
    expect(split.status, split.stderr).toBe(0);
    expect(inOrder.status, inOrder.stderr).toBe(0);
    // the header names the input: a path, or standard input
    const body = (s: string) => s.split('\n').filter((l) => !l.startsWith('input: ')).join('\n');
    expect(body(split.stdout)).toBe(body(inOrder.stdout));
    // and the cut was joined, by the worker thread of the build
    const probe = join(dir, 'how.mjs');
    writeFileSync(probe, `const m = await import(${JSON.stringify(pathToFileURL(resolve('dist/src/report/from-logs.js')).href)});
console.log((await m.historyFromLogs([${JSON.stringify(path)}], 'UTC')).split);`);
    const how = spawnSync(process.execPath, [probe], { encoding: 'utf8', env });
    expect(how.stdout.trim(), how.stderr).toBe('joined');
  }, 120_000);

  it('a second thread that cannot start leaves the file read in order, with the same numbers, not a crash', () => {
    const dir = tmp();
    const path = join(dir, 'big.log');
    generate(FIXTURES, path, 140_000);
    // a copy of the build without the worker's file, as a bundle that left it out would be
    cpSync('dist/src', join(dir, 'src'), { recursive: true });
    rmSync(join(dir, 'src/report/split/worker.js'));
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
    const probe = (build: string) => {
      const file = join(dir, `probe-${build.replace(/\W/g, '')}.mjs`);
      writeFileSync(file, `const m = await import(${JSON.stringify(pathToFileURL(join(build, 'report/from-logs.js')).href)});
const h = await m.historyFromLogs([${JSON.stringify(path)}], 'UTC');
const { createHash } = await import('node:crypto');
const sum = createHash('sha256');
for (const e of h.kv.range('', '\\uffff')) {
  const v = Buffer.from(e.value);
  sum.update(e.key + '=' + (/^h[mhd]:/.test(e.key) ? JSON.stringify(Object.entries(JSON.parse(v.toString())).sort()) : v.toString('hex')) + '\\n');
}
console.log(JSON.stringify({ split: h.split, history: sum.digest('hex'), newest: h.newest }));`);
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', POSTFIX_STATS_REPORT_SPLIT: 'on' } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { split: string; history: string; newest: number };
    };
    const without = probe(join(dir, 'src'));
    const withIt = probe(resolve('dist/src'));
    expect(without.split).not.toBe('joined');
    expect(withIt.split).toBe('joined');
    expect({ ...without, split: '' }).toEqual({ ...withIt, split: '' });
  }, 120_000);

  it('refuses a second half whose first classic time stamp the first half would have placed in another year', () => {
    const a: FirstHalf = { state: new QueueState(10, false), clock: new YearClock(Date.now, 2020), classify: null!, counters: null!, history: null! };
    const fresh = new YearClock(Date.now, 2026);
    const result = fresh.hourStart(3, 1, 0);
    const b = { bailed: null, peak: 0, peakMarks: 0, evictions: 0, deferredEnds: new Int32Array(0), first: { month: 3, day: 1, hour: 0, result, after: fresh.position } } as unknown as SecondHalfResult;
    expect(refusal(a, b)).toBe("the second half's year differs");
    const same: FirstHalf = { ...a, clock: new YearClock(Date.now, 2026) };
    expect(refusal(same, b)).toBe(null);
  });
});

describe('split read: whether the input is in a form the report reads is decided as in order', () => {
  const syslog = (i: number) => `2026-11-29T10:00:${String(i % 60).padStart(2, '0')}.000000+00:00 mx1 dovecot[99]: imap-login: Login ${i}\n`;
  const cases: [string, string][] = [
    ["journalctl's notes, then text in no syslog form", '-- Boot 1 --\n'.repeat(300) + 'So 2026-11-29 10:00:00 CET mx1 postfix/smtpd[1]: x\n'.repeat(100)],
    ['text in no syslog form, then syslog lines holding a NUL (never read)', 'plain text\n'.repeat(300) + Array.from({ length: 100 }, (_, i) => syslog(i).replace('Login', 'Lo\0gin')).join('')],
    ['syslog lines of another program, then text', Array.from({ length: 300 }, (_, i) => syslog(i)).join('') + 'plain text\n'.repeat(100)],
    ['a line over the reader\'s limit, then nothing in a syslog form', `${'x'.repeat(70_000)}\n` + 'plain text\n'.repeat(100)],
  ];
  it.each(cases)('%s: the same form at every tenth line', async (_, content) => {
    const path = join(tmp(), 'form.log');
    writeFileSync(path, content, 'latin1');
    const whole = await historyFromLogs([path], 'UTC', { split: false });
    for (const at of lineStarts(path).filter((_, i) => i % 10 === 0)) {
      const h = await historyFromLogs([path], 'UTC', { split: { at, inThread: true } });
      expect([at, h.form]).toEqual([at, whole.form]);
    }
  });
});
