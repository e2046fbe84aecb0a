// The bench's `http` section (issue 12): /metrics latency from one keep-alive client, median and p99,
// with the daemon idle (every line counted) and while it counts the 1x log's backlog (requests back to
// back, then one every 50 ms); the requests/s it answers during that backlog to 16 clients at once;
// and the backlog's counting time with and without --http, nobody scraping. Called by
// bench.mjs with its helpers; returns the figures for its summary table.
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const IDLE_REQUESTS = Number(process.env.BENCH_HTTP_REQS ?? 2000);
const CLIENTS = 16;
const PACED_MS = 50;
const COUNT_REPS = Number(process.env.BENCH_HTTP_COUNT_REPS ?? 3);

export async function benchHttp(c) {
  const { LOG1, gen1, fixtures, median, pct, fmt, log, step, freshDir, startDaemon, linesInSnapshot } = c;
  log('');
  log('## http: /metrics latency (one keep-alive client, sequential requests)');

  const idleLog = join(fixtures, 'rfc3339.log');
  const idleLines = (await import('node:fs')).readFileSync(idleLog, 'utf8').split('\n').length - 1;
  step('http: idle daemon');
  const idle = await start(idleLog, freshDir('http-idle'));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  while (linesOf(await scrape(idle.port, agent)) !== idleLines);
  const idleMs = [];
  for (let i = 0; i < IDLE_REQUESTS; i++) {
    const t0 = performance.now();
    await scrape(idle.port, agent);
    idleMs.push(performance.now() - t0);
  }
  await idle.stop();

  step(`http: daemon counting ${fmt(gen1.lines)} lines`);
  const busy = await start(LOG1, freshDir('http-busy'));
  const { ms: busyMs, s: countS } = await scrapeUntilCounted(busy.port, agent, 0);
  await busy.stop();

  // as a scraper asks (Prometheus: once per 15 s; here every PACED_MS): what an answer during a
  // backlog costs when the client does not itself compete for the CPU with the counting
  step(`http: daemon counting ${fmt(gen1.lines)} lines, one request every ${PACED_MS} ms`);
  const paced = await start(LOG1, freshDir('http-paced'));
  const { ms: pacedMs, s: pacedS } = await scrapeUntilCounted(paced.port, agent, PACED_MS);
  await paced.stop();
  agent.destroy();

  // what the daemon answers per second during a backlog when scrapers wait at once
  step(`http: daemon counting ${fmt(gen1.lines)} lines, ${CLIENTS} clients`);
  const many = await start(LOG1, freshDir('http-many'));
  const pool = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  let answered = 0;
  let done = false;
  const t1 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!done) {
      const lines = linesOf(await scrape(many.port, pool));
      if (lines === gen1.lines) done = true;
      else answered++;
    }
  }));
  const manyS = (performance.now() - t1) / 1000;
  await many.stop();
  pool.destroy();

  // what --http costs the counting itself: the same backlog followed with and without it, nobody
  // scraping, its end seen in the snapshot file (read every 20 ms, as a reader would)
  const plain = [];
  const served = [];
  for (let rep = 0; rep < COUNT_REPS; rep++) {
    step(`http: counting ${fmt(gen1.lines)} lines without and with --http (${rep + 1}/${COUNT_REPS})`);
    plain.push(await countTime(false));
    served.push(await countTime(true));
  }

  const r = {
    count: { plainS: median(plain), servedS: median(served), plain, served },
    idle: { n: idleMs.length, median: median(idleMs), p99: pct(idleMs, 99) },
    busy: { n: busyMs.length, median: median(busyMs), p99: pct(busyMs, 99), rate: gen1.lines / countS, countS },
    paced: { n: pacedMs.length, median: median(pacedMs), p99: pct(pacedMs, 99), max: Math.max(...pacedMs), rate: gen1.lines / pacedS, everyMs: PACED_MS },
    many: { clients: CLIENTS, perS: answered / manyS, rate: gen1.lines / manyS },
  };
  log(`idle: ${fmt(r.idle.n)} requests, median ${fmt(r.idle.median, 2)} ms, p99 ${fmt(r.idle.p99, 2)} ms`);
  log(`counting a backlog: ${fmt(r.busy.n)} requests in ${fmt(countS, 2)} s (${fmt(r.busy.n / countS)} /s), median ${fmt(r.busy.median, 2)} ms, p99 ${fmt(r.busy.p99, 2)} ms; backlog ${fmt(r.busy.rate)} lines/s while scraped`);
  log(`counting a backlog, a request every ${PACED_MS} ms: ${fmt(r.paced.n)} requests, median ${fmt(r.paced.median, 2)} ms, p99 ${fmt(r.paced.p99, 2)} ms, max ${fmt(r.paced.max, 2)} ms; backlog ${fmt(r.paced.rate)} lines/s while scraped`);
  log(`counting a backlog unscraped (median of ${COUNT_REPS}): ${fmt(r.count.plainS, 2)} s without --http, ${fmt(r.count.servedS, 2)} s with it (runs: ${r.count.plain.map((x) => fmt(x, 2)).join(', ')} / ${r.count.served.map((x) => fmt(x, 2)).join(', ')})`);
  log(`counting a backlog, ${CLIENTS} clients at once: ${fmt(r.many.perS)} requests/s; backlog ${fmt(r.many.rate)} lines/s while scraped`);
  return r;

  /** Scrapes every `everyMs` (0: back to back) until the daemon has counted the whole log: each answer's time, and the whole time in s. */
  async function scrapeUntilCounted(port, agent, everyMs) {
    const ms = [];
    const t0 = performance.now();
    for (;;) {
      const t = performance.now();
      const lines = linesOf(await scrape(port, agent));
      ms.push(performance.now() - t);
      if (lines === gen1.lines) break;
      if (everyMs > 0) await new Promise((res) => setTimeout(res, Math.max(0, everyMs - (performance.now() - t))));
    }
    return { ms, s: (performance.now() - t0) / 1000 };
  }

  async function countTime(http) {
    const db = freshDir(http ? 'http-count-served' : 'http-count-plain');
    const d = startDaemon(LOG1, db, http ? ['--http', '127.0.0.1:0'] : []);
    const t = performance.now();
    while (linesInSnapshot(db) !== gen1.lines) await new Promise((res) => setTimeout(res, 20));
    const s = (performance.now() - t) / 1000;
    await d.stop();
    return s;
  }

  /** A daemon serving /metrics on a port of its choosing, read from its first log lines. */
  async function start(logPath, db) {
    const d = startDaemon(logPath, db, ['--http', '127.0.0.1:0'], { stdout: 'pipe' });
    let out = '';
    const port = await new Promise((res, rej) => {
      d.p.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /"http":"127\.0\.0\.1:(\d+)"/.exec(out);
        if (m) res(Number(m[1]));
      });
      d.p.on('exit', (code) => rej(new Error(`daemon exited ${code} before listening`)));
    });
    d.p.stdout.resume();
    return { port, stop: d.stop };
  }
}

function scrape(port, agent) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function linesOf(body) {
  return Number(/^postfix_stats_self_lines_total (\d+)$/m.exec(body)?.[1] ?? 0);
}
