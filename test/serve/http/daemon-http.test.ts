// postfix-statsd --http end to end: the real daemon, real scrapes over loopback. What a scrape says
// is what postfix-stats-get says for the same commit; promtool accepts it; counters never go back;
// and /metrics keeps answering, one commit per answer, while the daemon counts a backlog.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Agent } from 'node:http';
import { counters, DAEMON, helper, HELPER_JS, NODE, runOnce, waitFor, type Daemon } from '../../helpers/daemon.js';
import { tmp } from '../../helpers/tmp.js';
import { readSnapshot } from '../../../src/snapshot/read.js';
import { generate } from '../../../scripts/bench/genlog.mjs';
import { byKey, get, opened, samples, startHttpDaemon } from './helpers.js';

const FIXTURES = resolve('fixtures/logs');
const LOG = join(FIXTURES, 'rfc3339.log');
const EXPECTED: Record<string, number> = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'))['rfc3339.log'];
const LINES = readFileSync(LOG, 'utf8').split('\n').length - 1;
const PROMTOOL = '/usr/bin/promtool';
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

let running: Daemon[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

/** Lines of the load tests' backlog (the bench measures a 2M-line one: `BENCH_ONLY=http npm run bench`). */
const BACKLOG_LINES = 600_000;

/** The daemon with --http, started on a log of `lines` fixture lines it has not counted yet. */
async function backlog(lines: number) {
  const dir = tmp();
  const log = join(dir, 'mail.log');
  const gen = generate(FIXTURES, log, lines);
  const db = join(dir, 'db');
  const h = await startHttpDaemon(log, db);
  running.push(h.daemon);
  return { h, gen, db };
}

/** The daemon on the fixture, quiet once every line is counted (no line left to commit). */
async function counted(log = LOG, lines = LINES) {
  const db = join(tmp(), 'db');
  const h = await startHttpDaemon(log, db);
  running.push(h.daemon);
  await waitFor(() => counters(db)['self:lines'] === BigInt(lines), 'every line counted');
  return { ...h, db };
}

function listed(db: string): Map<string, string> {
  const r = helper(['--db', db, '--list'], HELPER_JS);
  expect(r.code).toBe(0);
  return new Map(r.stdout.trimEnd().split('\n').map((l) => l.split(' ') as [string, string]));
}

describe('postfix-statsd --http', () => {
  it('a scrape equals postfix-stats-get --list of the same commit, and expected.json', async () => {
    const { base, db } = await counted();
    const scrape = await get(`${base}/metrics`);
    const list = listed(db);
    const snap = readSnapshot(db);
    const again = await get(`${base}/metrics`);
    // one commit throughout: the snapshot file's seq is the scrape's, and nothing moved in between
    expect(snap.ok && String(snap.snapshot.seq)).toBe(samples(scrape.body).find((s) => s.name === 'postfix_stats_snapshot_sequence')!.value);
    expect(again.body).toBe(scrape.body);
    expect(byKey(scrape.body)).toEqual(list);
    for (const [k, v] of Object.entries(EXPECTED)) expect([k, byKey(scrape.body).get(k)]).toEqual([k, String(v)]);
    expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('SIGTERM with scrapers connected exits 0 and closes them; --once never listens', async () => {
    const { daemon, base, host, port } = await counted();
    const idle = await opened(host, port);
    idle.on('error', () => {});
    idle.resume();
    const closed = new Promise((r) => idle.on('close', r));
    expect((await get(`${base}/metrics`)).status).toBe(200);
    expect((await daemon.stop()).code).toBe(0);
    await closed;
    const once = runOnce(LOG, join(tmp(), 'db'), ['--http', '127.0.0.1:0']);
    expect(once.code).toBe(0);
    expect(once.stdout).not.toContain('http listening');
  });

  it('SIGTERM in the middle of a backlog while pages are drawn: exit 0 within a second, the worker stopped with it', async () => {
    const { h, db } = await backlog(BACKLOG_LINES);
    await waitFor(() => (counters(db)['self:lines'] ?? 0n) > 0n, 'the first lines counted');
    // a page being drawn, or waiting to be, when the signal comes
    const pages = Array.from({ length: 4 }, () => get(`${h.base}/`).catch(() => null));
    const asked = Date.now();
    const exit = await h.daemon.stop();
    const took = Date.now() - asked;
    await Promise.all(pages);
    expect([exit.code, exit.stderr]).toEqual([0, '']);
    expect(took).toBeLessThan(1500);
    expect(counters(db)['self:lines']).toBeLessThan(BigInt(BACKLOG_LINES)); // it really stopped mid-backlog
    expect(exit.stdout).not.toContain('did not stop in time');
  });

  it('an address in use: exit 69 with the reason, the store and its lock released (a rerun counts)', async () => {
    const { port } = await counted();
    const db = join(tmp(), 'db');
    const r = spawnSync(NODE, [DAEMON, '--log', LOG, '--db', db, '--http', `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 30_000 });
    expect([r.status, r.stderr]).toEqual([69, expect.stringMatching(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/)]);
    expect(runOnce(LOG, db).code).toBe(0);
    expect(counters(db)['sent:smtp']).toBe(BigInt(EXPECTED['sent:smtp']!));
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check metrics passes on a real scrape', async () => {
    const { base } = await counted();
    const scrape = await get(`${base}/metrics`);
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrape.body, encoding: 'utf8' });
    expect([r.status, r.stdout + r.stderr]).toEqual([0, '']);
  });

  it('OpenMetrics for a scraper that asks for it, the same values; the classic format otherwise', async () => {
    const { base } = await counted();
    const om = await get(`${base}/metrics`, { headers: { Accept: OPENMETRICS } });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.headers.vary).toBe('Accept');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    const plain = await get(`${base}/metrics`, { headers: { Accept: 'text/plain' } });
    expect(byKey(om.body)).toEqual(byKey(plain.body));
    expect(plain.body).not.toContain('# EOF');
  });

  it('/api/counters is the same commit as exact strings; /api/history sums to the counts', async () => {
    const { base, db } = await counted();
    const c = JSON.parse((await get(`${base}/api/counters`)).body);
    expect(new Map(Object.entries(c.counters))).toEqual(listed(db));
    const snap = readSnapshot(db);
    expect(snap.ok && snap.snapshot.seq).toBe(c.seq);
    // the fixture's records are from 2026-11-29 (UTC): a day either side
    const range = `from=2026-11-28T00:00:00Z&to=2026-12-01T00:00:00Z`;
    const sum = async (q: string, r0 = range) => {
      const r = await get(`${base}/api/history?${q}&${r0}`);
      expect(r.status).toBe(200);
      return (JSON.parse(r.body).points as [number, number][]).reduce((n, [, v]) => n + v, 0);
    };
    expect(await sum('key=sent:smtp&step=hour')).toBe(EXPECTED['sent:smtp']);
    expect(await sum('key=postfix-out/sent:smtp&step=minute', 'from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z')).toBe(EXPECTED['postfix-out/sent:smtp']);
    const sentTotal = Object.entries(EXPECTED).filter(([k]) => k.startsWith('sent:')).reduce((n, [, v]) => n + v, 0);
    expect(await sum('kind=sent&step=day')).toBe(sentTotal);
    expect((await get(`${base}/api/history?kind=sent&step=minute&${range}`)).status).toBe(400); // 72 h of minutes
  });

  it('/ is the status page of the same commit: every counter a row, 18 graphs, no script; HEAD gives no body', async () => {
    const { base, db } = await counted();
    const r = await get(`${base}/`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).not.toMatch(/<script/i);
    for (const [key, value] of listed(db)) expect(r.body).toContain(`<tr><td>${key}</td><td>${value}</td></tr>`);
    expect(r.body.match(/<svg /g)?.length).toBe(18);
    const head = await get(`${base}/`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('load: /metrics answers >= 200 requests/s while the daemon counts a backlog; every answer is one commit; counters never go back', async () => {
    const { h, gen, db } = await backlog(BACKLOG_LINES);
    // 16 scrapers at once: the daemon answers between two reads of the backlog, all waiting at once
    const CLIENTS = 16;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const answers: { at: number; values: Map<string, string> }[] = [];
    let done = false;
    const t0 = Date.now();
    let doneAt = 0;
    const client = async () => {
      while (!done) {
        const r = await get(`${h.base}/metrics`, { agent });
        expect(r.status).toBe(200);
        const values = new Map(samples(r.body).map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value] as const));
        answers.push({ at: Date.now(), values });
        if (values.get('postfix_stats_self_lines_total{}') === String(gen.lines) && !done) (done = true), (doneAt = Date.now());
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    agent.destroy();
    const seqOf = (a: (typeof answers)[number]) => Number(a.values.get('postfix_stats_snapshot_sequence{}'));
    const counting = answers.filter((a) => a.at <= doneAt && a.values.get('postfix_stats_self_lines_total{}') !== String(gen.lines));
    const rate = counting.length / ((doneAt - t0) / 1000);
    console.log(`load: ${counting.length} answers in ${doneAt - t0} ms while counting ${gen.lines} lines: ${rate.toFixed(0)} requests/s over ${new Set(answers.map(seqOf)).size} commits`);
    expect(rate).toBeGreaterThanOrEqual(200);
    expect(new Set(counting.map(seqOf)).size).toBeGreaterThan(2); // answers spanned several commits
    // one commit per answer: the daemon's commit count is the answer's seq (a fresh store), and two
    // answers of one seq are the same, series for series
    const bySeq = new Map<number, Map<string, string>>();
    for (const a of answers) {
      expect(a.values.get('postfix_stats_self_commits_total{}') ?? '0').toBe(String(seqOf(a)));
      const seen = bySeq.get(seqOf(a));
      if (seen === undefined) bySeq.set(seqOf(a), a.values);
      else expect(a.values).toEqual(seen);
    }
    // never down: in seq order, every series only grows (the commit time gauge included)
    const ordered = [...bySeq.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    for (let i = 1; i < ordered.length; i++) {
      for (const [k, v] of ordered[i - 1]!) expect([k, BigInt(ordered[i]!.get(k)?.split('.')[0] ?? -1) >= BigInt(v.split('.')[0]!)]).toEqual([k, true]);
    }
    const last = byKey((await get(`${h.base}/metrics`)).body);
    expect(last).toEqual(listed(db));
    for (const [k, v] of Object.entries(gen.expected as Record<string, number>)) expect([k, last.get(k)]).toEqual([k, String(v)]);
  }, 120_000);

  it('load: the status page answers >= 200 requests/s while the daemon counts a backlog, its commit never going back', async () => {
    const { h, gen, db } = await backlog(BACKLOG_LINES);
    const CLIENTS = 8;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const seqs: number[] = [];
    const t0 = Date.now();
    let done = false;
    const client = async () => {
      while (!done) {
        const r = await get(`${h.base}/`, { agent });
        expect(r.status).toBe(200);
        const seq = Number(/<p class="meta">Commit (\d+),/.exec(r.body)?.[1]);
        expect(seq).toBeGreaterThanOrEqual(seqs[seqs.length - 1] ?? 0);
        seqs.push(seq);
        if (counters(db)['self:lines'] === BigInt(gen.lines)) done = true;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    agent.destroy();
    const rate = seqs.length / ((Date.now() - t0) / 1000);
    console.log(`page load: ${seqs.length} pages in ${Date.now() - t0} ms while counting ${gen.lines} lines: ${rate.toFixed(0)} requests/s over ${new Set(seqs).size} commits`);
    expect(rate).toBeGreaterThanOrEqual(200);
    // drawn at most every few seconds while commits come: it then catches up with the last commit
    const last = readSnapshot(db);
    const final = last.ok ? last.snapshot.seq : -1;
    const deadline = Date.now() + 20_000;
    for (let shown = -1; shown !== final; ) {
      if (Date.now() > deadline) throw new Error(`the page still shows commit ${shown}, not the last, ${final}`);
      shown = Number(/<p class="meta">Commit (\d+),/.exec((await get(`${h.base}/`)).body)?.[1]);
    }
  }, 120_000);
});
