// A central syslog server: two mail hosts' real logs in one file, merged by time, their queue ids
// renamed so that the two hosts share them. With --per-host each host's counters equal that host's
// own run and the plain keys are the totals (test/classify/per-host.test.ts shows two hosts' lines
// with one queue id miscounted when state is not per host). The same from one file per host (several
// --log), the host cap, and the helper's --host.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureLines, parseLine } from '../helpers/journal.js';
import { counters, helper, mailCounters, runOnce } from '../helpers/daemon.js';

const QID = /^([0-9A-F]{6,16}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,24}): /;

interface Line {
  ms: number;
  text: string;
}

/** The fixture's lines as RFC 3339 syslog lines of `host`, `shiftMs` later, queue ids renamed by `ids`. */
function asHost(name: string, host: string, shiftMs: number, ids: Map<string, string> = new Map()): Line[] {
  return fixtureLines(name).map((l) => {
    const p = parseLine(l);
    let msg = p.message;
    for (const [from, to] of ids) if (msg.includes(from)) msg = msg.split(from).join(to);
    const ms = Math.floor(p.realtime / 1000) + shiftMs;
    return { ms, text: `${new Date(ms).toISOString()} ${host} ${p.ident}[${p.pid}]: ${msg}` };
  });
}

/** Distinct queue ids in order of first appearance. */
function queueIds(name: string): string[] {
  const seen = new Set<string>();
  for (const l of fixtureLines(name)) {
    const m = QID.exec(parseLine(l).message);
    if (m) seen.add(m[1]!);
  }
  return [...seen];
}

function write(path: string, lines: Line[]): string {
  writeFileSync(path, lines.map((l) => l.text).join('\n') + '\n');
  return path;
}

const sum = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};
const ofHost = (all: Record<string, number>, host: string) =>
  Object.fromEntries(Object.entries(all).filter(([k]) => k.endsWith(`@${host}`)).map(([k, v]) => [k.slice(0, -host.length - 1), v]));
const totals = (all: Record<string, number>) => Object.fromEntries(Object.entries(all).filter(([k]) => !k.includes('@')));

describe('--per-host', () => {
  // shared by the tests below (tmp() would remove it after the first)
  const dir = mkdtempSync(join(tmpdir(), 'pfs-hosts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // mx1: run A; mx2: run B, moved onto run A's minutes, its queue ids renamed to run A's.
  const a = asHost('rfc3339.log', 'mx1', 0);
  const bIds = queueIds('maillog_file.log');
  const aIds = queueIds('rfc3339.log');
  const rename = new Map(bIds.slice(0, aIds.length).map((id, i) => [id, aIds[i]!]));
  const shift = a[0]!.ms - Math.floor(parseLine(fixtureLines('maillog_file.log')[0]!).realtime / 1000) + 700;
  const b = asHost('maillog_file.log', 'MX2', shift, rename);
  const merged = write(join(dir, 'central.log'), [...a, ...b].sort((x, y) => x.ms - y.ms));
  const ownA = (() => (runOnce(write(join(dir, 'a.log'), a), join(dir, 'db-a')), mailCounters(join(dir, 'db-a'))))();
  const ownB = (() => (runOnce(write(join(dir, 'b.log'), b), join(dir, 'db-b')), mailCounters(join(dir, 'db-b'))))();

  it('the two hosts really share queue ids in the merged file', () => {
    expect(rename.size).toBeGreaterThan(100);
    expect(Object.keys(ownA).length).toBeGreaterThan(15);
  });

  it('counts each host of a merged central file as its own run, and the totals as their sum', () => {
    const db = join(dir, 'db-merged');
    const r = runOnce(merged, db, ['--per-host']);
    expect(r.code, r.stderr).toBe(0);
    const all = mailCounters(db);
    expect(ofHost(all, 'mx1')).toEqual(ownA);
    expect(ofHost(all, 'mx2')).toEqual(ownB); // the host name is kept in lower case
    expect(totals(all)).toEqual(sum(ownA, ownB));
  });

  it('counts one file per host, several --log in one daemon, the same way', () => {
    const db = join(dir, 'db-two-logs');
    const r = runOnce(join(dir, 'a.log'), db, ['--log', join(dir, 'b.log'), '--per-host']);
    expect(r.code, r.stderr).toBe(0);
    const all = mailCounters(db);
    expect(ofHost(all, 'mx1')).toEqual(ownA);
    expect(ofHost(all, 'mx2')).toEqual(ownB);
    expect(totals(all)).toEqual(sum(ownA, ownB));
  });

  it('a report from the central file keeps each host\'s queue ids apart: the Grand Totals of the daemon with --per-host', () => {
    const db = join(dir, 'db-report');
    expect(runOnce(merged, db, ['--per-host', '--tz', 'UTC']).code).toBe(0);
    const report = (args: string[]) => {
      const r = spawnSync(process.execPath, ['dist/daemon/report.js', '--tz', 'UTC', '--day', '2026-11-29', ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.slice(r.stdout.indexOf('Grand Totals'), r.stdout.indexOf('Not in these numbers'));
    };
    const fromFile = report([merged]);
    expect(fromFile).toEqual(report(['--db', db]));
    const received = Object.entries(sum(ownA, ownB)).filter(([k]) => k.startsWith('recv:')).reduce((n, [, v]) => n + v, 0);
    expect(Number(/^ +(\d+) +received$/m.exec(fromFile)?.[1])).toBe(received);
  });

  it('without --per-host a file of two hosts is counted in one state, and says so: self:mixed_hosts and a warning; one host\'s file neither', () => {
    const db = join(dir, 'db-mixed');
    const r = runOnce(merged, db);
    expect(r.code, r.stderr).toBe(0);
    // every record of the host that did not come first (MX2's lines; the file starts with mx1's)
    expect(counters(db)['self:mixed_hosts']).toBe(BigInt(b.length));
    expect(r.stdout).toMatch(/more than one syslog host.*run with --per-host/);
    const one = join(dir, 'db-one-host');
    const s = runOnce(join(dir, 'a.log'), one);
    expect(counters(one)['self:mixed_hosts']).toBeUndefined();
    expect(s.stdout).not.toMatch(/more than one syslog host/);
    // with --per-host nothing is mixed
    expect(counters(join(dir, 'db-merged'))['self:mixed_hosts']).toBeUndefined();
  });

  it('caps the hosts counted on their own (--max-hosts), counting the rest in the totals and self:dropped_hosts', () => {
    const db = join(dir, 'db-capped');
    expect(runOnce(merged, db, ['--per-host', '--max-hosts', '1']).code).toBe(0);
    const all = mailCounters(db);
    // the place goes to the host that counts something first (test/counters/hosts.test.ts): here the
    // second, whose first message comes before mx1's; mx1's records from then on are dropped
    expect(ofHost(all, 'mx2')).toEqual(ownB);
    expect(ofHost(all, 'mx1')).toEqual({});
    expect(totals(all)).toEqual(sum(ownA, ownB));
    const dropped = Number(counters(db)['self:dropped_hosts']);
    expect(dropped).toBeGreaterThan(a.length / 2);
    expect(dropped).toBeLessThanOrEqual(a.length);
  });

  it('postfix-stats-get --host gives one host under the plain keys: a key, --list', () => {
    const db = join(dir, 'db-merged');
    const list = helper(['--db', db, '--host', 'MX2', '--list']);
    expect(list.code, list.stderr).toBe(0);
    const got = Object.fromEntries(list.stdout.trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k!, Number(v)]));
    expect(got).toEqual(ownB);
    expect(helper(['--db', db, '--host', 'mx1', 'sent:smtp']).stdout).toBe(`${ownA['sent:smtp']}\n`);
    expect(helper(['--db', db, 'sent:smtp@mx1']).stdout).toBe(`${ownA['sent:smtp']}\n`);
    expect(helper(['--db', db, '--host', 'mx1', 'sent:smtp@mx2']).code).toBe(64);
    expect(helper(['--db', db, '--host', 'bad_host!', 'sent:smtp']).code).toBe(64);
  });
});
