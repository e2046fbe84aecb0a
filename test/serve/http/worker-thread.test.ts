// The HTTP worker in-process, with a real pipeline and store in the same process, as the daemon wires
// them: what the worker thread buys is that an answer never waits for the main thread (where commits
// run) and the main thread never waits for an answer or a drawing. A client in another process does
// the timing, since this process's clock is what gets blocked. Needs the build (the worker's file is
// dist/src/serve/http/http-worker.js).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { classifier } from '../../../src/classify/classifier.js';
import { SELF } from '../../../src/counters/counters.js';
import { Pipeline } from '../../../src/pipeline/pipeline.js';
import { FileSource } from '../../../src/source/file/file-source.js';
import { HttpWorkerHost, type HttpWorkerOptions } from '../../../src/serve/http/worker-host.js';
import type { WorkerConfig } from '../../../src/serve/http/worker-protocol.js';
import { tmp } from '../../helpers/tmp.js';
import { byKey, get } from './helpers.js';

const WORKER = resolve('dist/src/serve/http/http-worker.js');
const FIXTURE = readFileSync('fixtures/logs/rfc3339.log', 'utf8');
const EXPECTED: Record<string, number> = JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8'))['rfc3339.log'];
const LINES = FIXTURE.split('\n').length - 1;
const BLOCK_MS = 1000;

interface Logged {
  level: string;
  obj: object;
  msg: string;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What the daemon's main.ts wires, in this process: the pipeline commits, the worker serves. */
async function served(log: string, db: string, o: Partial<HttpWorkerOptions> = {}) {
  const logged: Logged[] = [];
  const onLog: ((l: Logged) => void)[] = [];
  const note = (level: string) => (obj: object, msg: string) => {
    const l = { level, obj, msg };
    logged.push(l);
    for (const f of onLog) f(l);
  };
  const logger = { info: note('info'), warn: note('warn'), error: note('error') };
  let http: HttpWorkerHost | undefined;
  const opts = { db, mapSize: 16 << 20, maxKeys: 1000, maxQueue: 100_000, commitMs: 100, commitLines: 1000, tz: 'UTC' };
  const readers = { release: () => http?.release() ?? Promise.resolve(true), reopen: () => http?.reopen() };
  const p = new Pipeline(
    { ...opts, readers, published: (s) => http?.post(s) },
    classifier({ filterRelays: new Set(), filterServices: new Set() }),
    (sink, cp) => new FileSource({ path: log, maxLine: 65536, rotateWaitMs: 0, pollMs: 50 }, sink, cp),
    logger,
  );
  cleanups.push(() => p.close());
  const started = await HttpWorkerHost.start({
    address: { kind: 'tcp', host: '127.0.0.1', port: 0 },
    db,
    tz: 'UTC',
    host: hostname(),
    snapshot: () => p.snapshot,
    log: logger,
    restarting: () => p.count(SELF.httpRestarts),
    spawn: (data: WorkerConfig) => new Worker(WORKER, { workerData: data }),
    ...o,
  });
  if (!started.ok) throw new Error(started.error);
  http = started.http;
  cleanups.push(() => http!.stop());
  /** Reads the log to its end and commits. */
  const catchUp = async () => {
    while ((await p.poll()) > 0);
    expect(await p.commit()).toBe(true);
  };
  /** Resolves with the next log entry `f` accepts. */
  const next = (f: (l: Logged) => boolean) => new Promise<Logged>((res) => onLog.push((l) => f(l) && res(l)));
  return { p, http, base: `http://${http.listening}`, logged, catchUp, next };
}

/** The timing client of timed-client.mjs, warmed up; ask() resolves with its timed answer. */
async function client(address: string) {
  const c: ChildProcess = spawn(process.execPath, [resolve('test/serve/http/timed-client.mjs'), address], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => void c.kill());
  const lines = createInterface({ input: c.stdout! })[Symbol.asyncIterator]();
  const say = async (line: string) => {
    c.stdin!.write(`${line}\n`);
    return JSON.parse((await lines.next()).value as string);
  };
  await say('warm');
  return {
    /** Sends the request now; the client times it in its own process. */
    send: (path: string) => {
      c.stdin!.write(`${path}\n`);
      return lines.next().then((r) => JSON.parse(r.value as string) as { start: number; end: number; status: number; body: string });
    },
  };
}

/** The fixture log in `dir`, counted and committed by a served pipeline, and a timing client of its HTTP worker. */
async function servedWithClient(dir: string) {
  const log = join(dir, 'mail.log');
  writeFileSync(log, FIXTURE);
  const s = await served(log, join(dir, 'db'));
  await s.catchUp();
  return { log, s, c: await client(s.http.listening) };
}

/** Holds this thread as a long synchronous commit would: no timer, no I/O callback, nothing runs. */
function block(ms: number): { from: number; to: number } {
  const from = Date.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return { from, to: Date.now() };
}

describe('HTTP in a worker thread', () => {
  it('main thread blocked for 1 s (as by a long commit): /metrics is answered meanwhile, in far less than the block, from the last commit', async () => {
    const { s, c } = await servedWithClient(tmp());
    // the request is written to the client's pipe before the block begins (libuv writes at once)
    const answer = c.send('/metrics');
    const held = block(BLOCK_MS);
    const a = await answer;
    console.log(`main thread held ${held.to - held.from} ms; /metrics sent ${a.start - held.from} ms into it, answered in ${a.end - a.start} ms`);
    expect(a.status).toBe(200);
    // answered before the main thread ran again: on the main thread it would have waited for the block
    expect(a.end).toBeLessThan(held.to);
    expect(a.end - a.start).toBeLessThan(BLOCK_MS / 5);
    expect(byKey(a.body).get('self:lines')).toBe(String(LINES));
    expect(byKey(a.body).get('sent:smtp')).toBe(String(EXPECTED['sent:smtp']));
  });

  it('the status page drawn (18 graphs read from the store) while the main thread commits: no commit waits for the drawing', async () => {
    // in memory where there is a tmpfs: a commit's fsync on a busy disk is a stall of its own
    const dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/pfs-') : tmp();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { log, s, c } = await servedWithClient(dir);
    // the first page of a fresh worker: every graph read and drawn, nothing compiled yet
    const page = c.send('/');
    let drawn: Awaited<typeof page> | undefined;
    void page.then((a) => (drawn = a));
    // each commit's time since the one before: a turn of the event loop, where a drawing would sit, included
    const commits: { at: number; ms: number }[] = [];
    const line = FIXTURE.split('\n')[0]!;
    let last = performance.now();
    while (drawn === undefined) {
      appendFileSync(log, `${line}\n`);
      while ((await s.p.poll()) > 0);
      expect(await s.p.commit()).toBe(true);
      commits.push({ at: Date.now(), ms: -last + (last = performance.now()) });
      await new Promise((r) => setImmediate(r));
    }
    const a = drawn;
    const during = commits.filter((x) => x.at > a.start && x.at < a.end);
    const longest = Math.max(...during.map((x) => x.ms));
    console.log(`page drawn in ${a.end - a.start} ms; meanwhile ${during.length} commits, the longest ${longest.toFixed(1)} ms after the one before`);
    expect(a.status).toBe(200);
    expect(a.body.match(/<svg /g)?.length).toBe(18);
    // on the main thread, the drawing would have been one stall as long as the page took
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(longest).toBeLessThan((a.end - a.start) / 2);
  });

  it('a worker that dies is logged, counted in self:http_restarts and started again on the same port, with the last commit', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    writeFileSync(log, FIXTURE);
    const workers: Worker[] = [];
    const s = await served(log, join(dir, 'db'), {
      spawn: (data: WorkerConfig) => {
        const w = new Worker(WORKER, { workerData: data });
        workers.push(w);
        return w;
      },
    });
    await s.catchUp();
    const before = await get(`${s.base}/metrics`);
    const listening = s.next((l) => l.msg === 'http listening');
    await workers[0]!.terminate(); // as a crash: the thread ends without being asked
    await listening;
    expect(s.logged.some((l) => l.level === 'error' && l.msg === 'http worker ended; starting another')).toBe(true);
    expect(workers.length).toBe(2);
    const after = await get(`${s.base}/metrics`);
    expect(after.body).toBe(before.body);
    await s.catchUp(); // the restart is counted at the next commit
    expect(byKey((await get(`${s.base}/metrics`)).body).get('self:http_restarts')).toBe('1');
  });

  it('data.mdb deleted under a serving worker: the worker lets go, the daemon recreates it, and the worker reads the new one', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const lines = FIXTURE.split('\n');
    const half = lines.length >> 1;
    writeFileSync(log, lines.slice(0, half).join('\n') + '\n');
    const s = await served(log, db);
    await s.catchUp();
    const range = 'from=2026-11-28T00:00:00Z&to=2026-12-01T00:00:00Z';
    const sentSum = async () => {
      const r = await get(`${s.base}/api/history?key=sent:smtp&step=day&${range}`);
      expect(r.status).toBe(200);
      return (JSON.parse(r.body).points as [number, number][]).reduce((n, [, v]) => n + v, 0);
    };
    const sentBefore = await sentSum(); // the worker has the environment open now
    expect(sentBefore).toBe(Number(s.p.counters.get('sent:smtp')));
    // only data.mdb: the lock file, which lmdb-js knows an open environment by, stays
    rmSync(join(db, 'data.mdb'));
    appendFileSync(log, lines.slice(half).join('\n'));
    await s.catchUp();
    expect(existsSync(join(db, 'data.mdb'))).toBe(true);
    expect(s.p.counters.get(SELF.dbRecreated)).toBe(1n);
    expect(s.p.counters.get(SELF.storeErrors)).toBe(0n);
    // the new store's history holds what was counted since; the old one went with its file
    expect(await sentSum()).toBe(EXPECTED['sent:smtp']! - sentBefore);
    expect(byKey((await get(`${s.base}/metrics`)).body).get('sent:smtp')).toBe(String(EXPECTED['sent:smtp']));
  });
});
