// Readers against a writer committing as fast as it can: while the log grows at full speed and the
// daemon commits every 20 lines, every read (in this process from the snapshot file, through the
// single-executable helper's --list, and through long-lived pass_persist helpers answering hundreds
// of requests a second) must see a consistent snapshot: no counter ever smaller than in an earlier
// read, none vanished, every value a plain decimal integer, and each snapshot whole: the mail
// counters of a read that shows self:lines = L are exactly what the first L lines give. The daemon
// must neither crash nor fail a commit meanwhile.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/classify/queue.js';
import { step } from '../classify/oracle.js';
import { HELPER_SEA, Daemon, counters, helper, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { readSnapshot } from '../../src/snapshot/read.js';
import { DEFAULT_BASE } from '../../src/serve/snmp/table.js';
import { tmp } from '../helpers/tmp.js';

const LINES = ['classic.log', 'rfc3339.log', 'maillog_file.log'].flatMap((f) =>
  readFileSync(join('fixtures/logs', f), 'utf8').split('\n').filter((l) => l !== ''),
);
const WRITE_MS = 4000;
const MAX_LINES = 300_000;

// This found an lmdb-js bug when readers opened LMDB themselves: read-only opens now and then undid
// the daemon's last commit, and under many parallel reads the daemon died of SIGSEGV. Since then only
// the daemon opens LMDB, and readers read the snapshot file it publishes.

/**
 * A pass_persist helper asked for one cell again and again, each answer checked never to go back:
 * `answers` counts them. Requests are pipelined a few at a time, as fast as it answers.
 */
class PassPersistReader {
  readonly proc: ChildProcessWithoutNullStreams;
  answers = 0;
  failure: string | null = null;
  private last = -1n;
  private buf = '';
  private inFlight = 0;
  private stopped = false;

  constructor(db: string, private readonly oid: string) {
    this.proc = spawn(HELPER_SEA, ['--db', db, '--pass-persist']);
    this.proc.stdout.on('data', (d) => this.take(String(d)));
    this.proc.stderr.on('data', (d) => (this.failure ??= `stderr: ${d}`));
    this.ask(8);
  }

  private ask(n: number): void {
    for (let i = 0; i < n && !this.stopped; i++, this.inFlight++) this.proc.stdin.write(`get\n${this.oid}\n`);
  }

  private take(text: string): void {
    this.buf += text;
    for (let nl; (nl = nthNewline(this.buf, 3)) >= 0; ) {
      const [oid, type, value] = this.buf.slice(0, nl).split('\n');
      this.buf = this.buf.slice(nl + 1);
      this.inFlight--;
      this.answers++;
      if (oid !== this.oid || type !== 'counter64' || !/^\d+$/.test(value ?? '')) this.failure ??= `answer ${JSON.stringify([oid, type, value])}`;
      else if (BigInt(value!) < this.last) this.failure ??= `self:lines went down from ${this.last} to ${value}`;
      else this.last = BigInt(value!);
      this.ask(1);
    }
  }

  stop(): void {
    this.stopped = true;
    this.proc.stdin.end();
  }
}

function nthNewline(s: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) if ((at = s.indexOf('\n', at + 1)) < 0) return -1;
  return at;
}
describe('concurrency', () => {
  it('never shows a counter going down, vanishing or torn while the daemon commits every 20 lines', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, '');
    const d = new Daemon(log, db, ['--commit-interval', '1', '--commit-lines', '20', '--poll-interval', '20']);
    await waitFor(() => d.output.includes('"msg":"started"'), 'daemon started');
    appendFileSync(log, LINES[0] + '\n');
    await waitFor(() => counters(db)['self:lines'] === 1n, 'the first line counted');
    const snap = readSnapshot(db);
    if (!snap.ok) throw new Error(snap.message);
    const linesIndex = snap.snapshot.rows.find((r) => r.key === 'self:lines')!.index;
    const persistent = [0, 1].map(() => new PassPersistReader(db, `${DEFAULT_BASE}.1.3.${linesIndex}`));
    let written = 1;
    const started = Date.now();

    // Each reader's reads are in order; a helper's answer may arrive after a later in-process read.
    type Seen = { last: Record<string, bigint>; lastFrom: string };
    const inProcess: Seen = { last: {}, lastFrom: 'nothing' };
    const viaList: Seen = { last: {}, lastFrom: 'nothing' };
    let reads = 0;
    let helperReads = 0;
    let changes = 0;
    const snapshots: { lines: number; mail: Record<string, number>; self: string; from: string; read: number }[] = [];
    const check = (now: Record<string, bigint>, from: string, seen: Seen = inProcess) => {
      const { last, lastFrom } = seen;
      for (const [k, v] of Object.entries(now)) {
        if (typeof v !== 'bigint' || v < 0n) throw new Error(`${from}: ${k} = ${String(v)} is no counter value`);
      }
      for (const [k, before] of Object.entries(last)) {
        const v = now[k];
        if (v === undefined) throw new Error(`${k} (${before} in ${lastFrom}) vanished in ${from}, read ${reads + helperReads}`);
        if (v < before) throw new Error(`${k} went down from ${before} (${lastFrom}) to ${v} (${from}), read ${reads + helperReads}`);
      }
      if ((now['self:commits'] ?? 0n) !== (last['self:commits'] ?? 0n)) {
        changes++;
        const mail = Object.fromEntries(Object.entries(now).filter(([k]) => !k.startsWith('self:')).map(([k, v]) => [k, Number(v)]));
        const own = Object.entries(now).filter(([k]) => k.startsWith('self:')).map(([k, v]) => `${k}=${v}`).join(' ');
        snapshots.push({ lines: Number(now['self:lines'] ?? 0n), mail, self: own, from, read: reads + helperReads });
      }
      seen.last = now;
      seen.lastFrom = from;
    };
    const parseList = (r: { code: number | null; stdout: string; stderr: string }): Record<string, bigint> => {
      if (r.code !== 0) throw new Error(`helper --list exited ${r.code}: ${r.stderr}`);
      const got: Record<string, bigint> = {};
      for (const row of r.stdout.split('\n').slice(0, -1)) {
        const m = /^((?:postfix[a-z0-9_.-]{0,32}\/)?[a-z0-9_.-]{1,32}(?::[a-z0-9_.-]{1,32})?) (0|[1-9]\d*)$/.exec(row);
        if (!m) throw new Error(`helper --list gave a torn or malformed row ${JSON.stringify(row)}`);
        got[m[1]!] = BigInt(m[2]!);
      }
      return got;
    };
    const viaHelper = () => parseList(helper(['--db', db, '--list']));
    // helper --list processes one after another, in the background of the writer's loop.
    let writing = true;
    let listFailure: Error | null = null;
    const lists = (async () => {
      while (writing && listFailure === null) {
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
          execFile(HELPER_SEA, ['--db', db, '--list'], (e, stdout, stderr) => res({ code: e ? ((e as { code?: number }).code ?? -1) : 0, stdout, stderr })),
        );
        try {
          check(parseList(r), 'helper', viaList);
          helperReads++;
        } catch (e) {
          listFailure = e as Error;
        }
      }
    })();

    // What the daemon reported as errors (failed commits), to show with any failure below.
    const errors = () => d.output.split('\n').filter((l) => /"level":(50|60)/.test(l)).slice(0, 5).join('\n');
    try {
      const end = Date.now() + WRITE_MS;
      // On a loaded machine the daemon gets less CPU and makes fewer, bigger commits: the writer goes
      // on (up to a hard limit) until the readers have raced at least 100 commits.
      const hardEnd = end + 4 * WRITE_MS;
      let commitsSeen = 0;
      for (let i = 0; (Date.now() < end || (commitsSeen <= 100 && Date.now() < hardEnd)) && written < MAX_LINES; i++) {
        // Batches of 1 to 100 lines, each appended in one write, about a thousand a second: the daemon
        // then commits all the time (a faster writer only makes its batches bigger).
        const n = 1 + ((i * 7919) % 100);
        const batch: string[] = [];
        for (let k = 0; k < n; k++) batch.push(LINES[(written + k) % LINES.length]!);
        appendFileSync(log, batch.join('\n') + '\n');
        written += n;
        await new Promise((r) => setTimeout(r, 1)); // also lets the helpers' answers in
        const now = counters(db);
        check(now, 'Reader');
        commitsSeen = Number(now['self:commits'] ?? 0n);
        reads++;
        if (listFailure) throw listFailure;
      }
      writing = false;
      await lists;
      if (listFailure) throw listFailure;
      // The reads also went on after the writer stopped, until every line was counted.
      await waitFor(() => {
        check(counters(db), 'Reader');
        reads++;
        return inProcess.last['self:lines'] === BigInt(written);
      }, `all ${written} lines counted`, 20_000).catch((e) => {
        throw new Error(`${e.message}: ${inProcess.last['self:lines']} counted; daemon said ${d.output.slice(-2000)}`);
      });
      check(viaHelper(), 'helper');
      helperReads++;
    } catch (e) {
      writing = false;
      persistent.forEach((p) => p.stop());
      await d.stop('SIGTERM');
      throw new Error(`${(e as Error).message}\ndaemon errors: ${errors() || 'none'}`);
    }
    persistent.forEach((p) => p.stop());
    const seconds = (Date.now() - started) / 1000;
    const persistentReads = persistent.reduce((n, p) => n + p.answers, 0);
    expect(persistent.map((p) => p.failure)).toEqual([null, null]);
    const exit = await d.stop('SIGTERM');
    expect([exit.code, exit.signal], exit.stderr).toEqual([0, null]);
    expect(errors()).toBe('');

    const own = counters(db);
    console.log(
      `concurrency: ${written} lines written in ${WRITE_MS / 1000} s; ${reads} in-process reads and ${helperReads} helper --list reads, ` +
        `${changes} of them saw a new commit; ${persistentReads} pass_persist answers in ${seconds.toFixed(1)} s ` +
        `(${Math.round(persistentReads / seconds)}/s); self:commits ${own['self:commits']}, self:store_errors ${own['self:store_errors'] ?? 0n}`,
    );
    expect(persistentReads / seconds).toBeGreaterThan(500);
    // The reads really raced the commits: many saw a different snapshot than the one before.
    expect(changes).toBeGreaterThan(50);
    expect(Number(counters(db)['self:commits'])).toBeGreaterThan(100);
    expect(counters(db)['self:lines']).toBe(BigInt(written));
    expect(counters(db)['self:gaps'] ?? 0n).toBe(0n);
    // What was counted is exactly what one run over the finished log counts.
    expect(runOnce(log, join(dir, 'ref')).code).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
    // Every snapshot seen was one whole commit: its mail counters are those of its first self:lines lines.
    const sums = (visit: (i: number, sum: Record<string, number>) => void) => {
      const state = new QueueState(100_000);
      const sum: Record<string, number> = {};
      const sink = { add: (k: string, n = 1) => (sum[k] = (sum[k] ?? 0) + n) };
      for (let i = 0; i <= written; i++) {
        visit(i, sum);
        if (i < written) step(state, LINES[i % LINES.length]!, sink);
      }
    };
    const same = (a: Record<string, number>, b: Record<string, number>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    snapshots.sort((a, b) => a.lines - b.lines); // the readers' snapshots, interleaved by line count
    const torn: typeof snapshots = [];
    let s = 0;
    sums((i, sum) => {
      for (; s < snapshots.length && snapshots[s]!.lines === i; s++) if (!same(snapshots[s]!.mail, sum)) torn.push(snapshots[s]!);
    });
    expect(s).toBe(snapshots.length);
    // A torn snapshot: at what count of lines were its mail counters right, if at any?
    const rightAt = torn.map(() => [] as number[]);
    const wrong = torn.map(() => '');
    if (torn.length > 0) {
      sums((i, sum) =>
        torn.forEach((t, k) => {
          if (same(t.mail, sum)) rightAt[k]!.push(i);
          if (t.lines === i) wrong[k] = Object.keys({ ...sum, ...t.mail }).filter((key) => sum[key] !== t.mail[key]).map((key) => `${key} ${t.mail[key]} not ${sum[key]}`).join(', ');
        }),
      );
    }
    expect(torn.map((t, k) => `${t.from} read ${t.read} showing self:lines ${t.lines} (${t.self}); its mail counters are those of lines ${rightAt[k]!.join(',') || 'none'}: ${wrong[k]}`)).toEqual([]);
  });
});
