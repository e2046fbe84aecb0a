// `npm run bench`: how close postfix-statsd comes to the machine's limits (issue 5). Not a timed test:
// it prints the machine, the five measurements with the baselines measured in the same run, and a table
// of the figures against the targets; it exits 0 whatever the figures (non-zero only if something broke).
//
// Environment: BENCH_LINES (1x log size, default 2,000,000; the 4x log is four times that),
// BENCH_REPS (repetitions per throughput figure, default 5), BENCH_IDLE_S (idle CPU window, default 30),
// BENCH_SAMPLES (live-latency samples per mode, default 30), BENCH_KEEP=1 (keep the temp dir),
// BENCH_ONLY=throughput,latency,memory,report,http,snmp (a subset, for development; snmp is
// scripts/bench-snmp.mjs, which npm run bench runs after this),
// BENCH_HTTP_REQS (idle /metrics requests, default 2000), BENCH_HTTP_COUNT_REPS (backlogs counted with
// and without --http, default 3).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { generate } from './genlog.mjs';
import { benchReport } from './report.mjs';
import { benchHttp } from './http.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// BENCH_DIST: another build to measure (e.g. a copy of dist/ made before a change), same conditions
const DIST = resolve(process.env.BENCH_DIST ?? join(ROOT, 'dist'));
const DAEMON = join(DIST, 'daemon/main.js');
const HELPER = join(DIST, 'postfix-stats-get');
const REPORT = join(DIST, 'daemon/report.js');
const READLINE = join(ROOT, 'scripts/bench/readline-baseline.mjs');
const NODE = process.execPath;
const LINES = Number(process.env.BENCH_LINES ?? 2_000_000);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 5));
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30);
const SAMPLES = Math.max(2, Number(process.env.BENCH_SAMPLES ?? 30));
const ONLY = new Set((process.env.BENCH_ONLY ?? 'throughput,latency,memory,report,http').split(','));
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

for (const f of [DAEMON, HELPER, REPORT]) {
  if (!existsSync(f)) {
    console.error(`bench: ${f} missing; run npm run build first`);
    process.exit(1);
  }
}
const { readSnapshot, valueOf } = await import(join(DIST, 'src/snapshot/read.js'));
/** The daemon's published counters, read afresh at every get(): what every reader sees. */
const Reader = {
  open(db) {
    const first = readSnapshot(db);
    if (!first.ok) return first;
    const read = () => {
      const r = readSnapshot(db);
      if (!r.ok) throw new Error(r.message);
      return r.snapshot;
    };
    return { ok: true, reader: { get: (key) => valueOf(read(), key), rows: () => read().rows, close() {} } };
  },
};
const { open: openLmdb } = await import('lmdb');

const TMP = mkdtempSync(join(tmpdir(), 'pfs-bench-'));
const children = new Set();
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  if (!process.env.BENCH_KEEP) rmSync(TMP, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

// ---------------------------------------------------------------- helpers
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : String(n));
const MB = 1024 * 1024;
let dbSeq = 0;
const freshDir = (name) => {
  const d = join(TMP, `${name}-${dbSeq++}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const log = (s = '') => process.stdout.write(`${s}\n`);
const step = (s) => process.stderr.write(`  .. ${s}\n`);

/** Runs a command to completion under /usr/bin/time: wall seconds (hrtime), user/sys seconds, max RSS bytes. */
function timed(cmd, args, opts = {}) {
  const tf = join(TMP, 'time.out');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-o', tf, '-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * MB, ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys, rssKb] = readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, user, sys, rss: rssKb * 1024, stdout: r.stdout };
}

function readCounters(db) {
  const r = Reader.open(db);
  if (!r.ok) throw new Error(r.message);
  try {
    return Object.fromEntries(r.reader.rows().map((row) => [row.key, row.value]));
  } finally {
    r.reader.close();
  }
}

/** Queue ids kept in the store (the state that lets a message count once). */
function queueIds(db) {
  const env = openLmdb({ path: db, readOnly: true, encoding: 'binary' });
  try {
    let n = 0;
    for (const _ of env.getKeys({ start: 'q:', end: 'q;' })) n++;
    return n;
  } finally {
    void env.close();
  }
}

function checkCounts(db, gen) {
  const got = readCounters(db);
  const bad = [];
  if (got['self:lines'] !== BigInt(gen.lines)) bad.push(`self:lines ${got['self:lines']} != ${gen.lines}`);
  for (const [k, v] of Object.entries(gen.expected)) if (got[k] !== BigInt(v)) bad.push(`${k} ${got[k]} != ${v}`);
  for (const k of Object.keys(got)) if (!k.startsWith('self:') && !(k in gen.expected)) bad.push(`unexpected ${k}`);
  return bad;
}

const procStatus = (pid) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
};
const cpuTicks = (pid) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
};

/** The daemon following `logPath` into `db`; `stdout: 'pipe'` for a caller that reads its log lines (the HTTP port). */
function startDaemon(logPath, db, extra = [], { stdout = 'ignore' } = {}) {
  const p = spawn(NODE, [DAEMON, '--log', logPath, '--db', db, ...extra], { stdio: ['ignore', stdout, 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  children.add(p);
  const exited = new Promise((res) => p.on('exit', (code, signal) => (children.delete(p), res({ code, signal, err }))));
  return { p, exited, stop: () => (p.kill('SIGTERM'), exited) };
}

/** Polls the store with one long-lived Reader until `key` reaches `want`; returns ms waited (or Infinity). */
async function waitCounter(reader, key, want, timeoutMs) {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if ((reader.get(key) ?? 0n) >= want) return performance.now() - t0;
    await sleep(1);
  }
  return Infinity;
}

async function openReader(db, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    const r = Reader.open(db);
    if (r.ok) return r.reader;
    if (Date.now() - t0 > timeoutMs) throw new Error(r.message);
    await sleep(20);
  }
}

// ---------------------------------------------------------------- machine and logs
const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? '?';
const nodeVer = process.version;
log('postfix-stats benchmark');
log(`build: ${DIST}`);
log(`machine: ${cpuModel}, ${cpus().length} cores, ${Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)[1]) / 1024 / 1024)} GiB RAM; node ${nodeVer} (${NODE}) for the daemon and the readline baseline`);

const fixtures = join(ROOT, 'fixtures/logs');
let t = performance.now();
const LOG1 = join(TMP, 'mail-1x.log');
const gen1 = generate(fixtures, LOG1, LINES);
const LOG4 = join(TMP, 'mail-4x.log');
const gen4 = ONLY.has('memory') || ONLY.has('throughput') ? generate(fixtures, LOG4, 4 * LINES) : null;
log(`log: ${fmt(gen1.lines)} lines, ${fmt(gen1.bytes / MB, 1)} MB (1x, ${gen1.copies} copies of the fixtures, avg ${fmt(gen1.bytes / gen1.lines)} B/line)` +
  (gen4 ? `; ${fmt(gen4.lines)} lines, ${fmt(gen4.bytes / MB, 1)} MB (4x)` : '') + `; generated in ${fmt((performance.now() - t) / 1000, 1)} s`);
// the page cache holds both files from here on: every reader below reads from memory
for (const f of [LOG1, LOG4]) if (f && existsSync(f)) spawnSync('cat', [f], { stdio: ['ignore', 'ignore', 'ignore'] });

const R = {}; // results for the summary table
const HAS_PFLOGSUMM = spawnSync('pflogsumm', ['--version']).error === undefined;

// ---------------------------------------------------------------- 1. backlog throughput (+ 3. RSS, 5. db size)
if (ONLY.has('throughput')) {
  step('throughput: wc -l');
  const wc = [];
  for (let i = 0; i < REPS; i++) wc.push(timed('wc', ['-l', LOG1], { env: { ...process.env, LC_ALL: 'C' } }).wall);
  step('throughput: readline');
  const rl = [];
  for (let i = 0; i < REPS; i++) {
    const r = timed(NODE, [READLINE, LOG1]);
    if (JSON.parse(r.stdout).lines !== gen1.lines) throw new Error('readline baseline miscounted');
    rl.push(r.wall);
  }
  // Debian's pflogsumm, the daily report this project replaces: the sources issue's goal is 10x it.
  const pflog = [];
  if (HAS_PFLOGSUMM) {
    step('throughput: pflogsumm');
    R.pflogRuns = [];
    for (let i = 0; i < Math.min(REPS, 3); i++) R.pflogRuns.push(timed('pflogsumm', [LOG1]));
    pflog.push(...R.pflogRuns.map((r) => r.wall));
  }
  step('throughput: daemon start-up on an empty log');
  const empty = join(TMP, 'empty.log');
  writeFileSync(empty, '');
  const start = [];
  for (let i = 0; i < REPS; i++) start.push(timed(NODE, [DAEMON, '--once', '--log', empty, '--db', freshDir('db-empty')]).wall);
  step('throughput: postfix-statsd --once, 1x');
  const once = [];
  let lastDb = '';
  for (let i = 0; i < REPS; i++) {
    lastDb = freshDir('db-once');
    once.push(timed(NODE, [DAEMON, '--once', '--log', LOG1, '--db', lastDb]));
  }
  const bad1 = checkCounts(lastDb, gen1);
  const c1 = readCounters(lastDb);
  R.dbSize1 = statSync(join(lastDb, 'data.mdb')).size;
  R.commits1 = Number(c1['self:commits']);
  R.queue1 = queueIds(lastDb);
  step('throughput: postfix-statsd --once, 4x');
  const once4 = [];
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    lastDb = freshDir('db-once4');
    once4.push(timed(NODE, [DAEMON, '--once', '--log', LOG4, '--db', lastDb]));
  }
  const bad4 = checkCounts(lastDb, gen4);
  R.dbSize4 = statSync(join(lastDb, 'data.mdb')).size;
  R.queue4 = queueIds(lastDb);

  const wcS = median(wc), rlS = median(rl), stS = median(start), onS = median(once.map((r) => r.wall));
  const on4S = median(once4.map((r) => r.wall));
  const rate = (s, n = gen1.lines) => n / s;
  R.pflog = pflog.length ? rate(median(pflog)) : null;
  R.wc = rate(wcS); R.rl = rate(rlS); R.once = rate(onS); R.onceNet = rate(onS - stS); R.once4 = rate(on4S, gen4.lines);
  R.rssOnce1 = median(once.map((r) => r.rss));
  R.rssOnce4 = median(once4.map((r) => r.rss));
  R.cpuOnce = median(once.map((r) => r.user + r.sys));
  log('');
  log(`1. backlog throughput, 1x log (median of ${REPS}; wall clock of the whole process, page cache warm)`);
  const row = (name, s, extra = '') =>
    log(`   ${name.padEnd(44)} ${fmt(s, 3).padStart(8)} s ${fmt(gen1.lines / s).padStart(12)} lines/s ${fmt(gen1.bytes / MB / s, 1).padStart(8)} MB/s${extra}`);
  row('wc -l (the reading floor)', wcS);
  row('node readline + 5 regexes (what Node gives)', rlS);
  if (pflog.length) row(`Debian pflogsumm (median of ${pflog.length})`, median(pflog));
  else log('   Debian pflogsumm: not installed (apt-get install pflogsumm), not measured');
  row('postfix-statsd --once', onS, `  (user+sys ${fmt(R.cpuOnce, 2)} s, ${R.commits1} commits)`);
  log(`   ${'postfix-statsd start-up on an empty log'.padEnd(44)} ${fmt(stS, 3).padStart(8)} s`);
  row('postfix-statsd --once, net of start-up', onS - stS);
  log(`   ${'postfix-statsd --once, 4x log'.padEnd(44)} ${fmt(on4S, 3).padStart(8)} s ${fmt(R.once4).padStart(12)} lines/s ${fmt(gen4.bytes / MB / on4S, 1).padStart(8)} MB/s  (median of ${once4.length})`);
  log(`   ratios: daemon/readline ${fmt(R.once / R.rl, 2)}x (net ${fmt(R.onceNet / R.rl, 2)}x), daemon/wc -l ${fmt(R.once / R.wc, 3)}x (net ${fmt(R.onceNet / R.wc, 3)}x)` +
    (R.pflog ? `, daemon/pflogsumm ${fmt(R.once / R.pflog, 1)}x (goal: 10x)` : ''));
  log(`   counts: ${bad1.length || bad4.length ? `WRONG: ${[...bad1, ...bad4].slice(0, 5).join('; ')}` : 'every counter equals expected.json x copies (1x and 4x)'}`);
  R.countsOk = bad1.length === 0 && bad4.length === 0;
}

// ---------------------------------------------------------------- 2. live latency
const SENT_LINE = (i) => {
  const d = new Date();
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const ts = `${m} ${String(d.getDate()).padStart(2, ' ')} ${d.toTimeString().slice(0, 8)}`;
  const qid = (0x10000000000 + i).toString(16).toUpperCase().slice(-11);
  return `${ts} mx1 postfix/smtp[4242]: ${qid}: to=<user${i}@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=0.21, delays=0.01/0/0.1/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4B1D2C3E4F5)\n`;
};

async function latency(name, { pollOnly, pollMs }) {
  const dir = freshDir('live');
  const realDir = join(dir, 'real');
  mkdirSync(realDir);
  const real = join(realDir, 'mail.log');
  writeFileSync(real, SENT_LINE(0));
  let logPath = real;
  if (pollOnly) {
    // the daemon watches the directory of --log: through a symlink in another directory the watch sees
    // no write, so only the --poll-interval timer wakes it
    mkdirSync(join(dir, 'link'));
    logPath = join(dir, 'link', 'mail.log');
    symlinkSync(real, logPath);
  }
  const db = join(dir, 'db');
  const d = startDaemon(logPath, db, ['--poll-interval', String(pollMs)]);
  const reader = await openReader(db);
  let n = 1;
  if ((await waitCounter(reader, 'sent:smtp', 1n, 30_000)) === Infinity) throw new Error(`${name}: daemon never counted the first line: ${d.p.exitCode}`);
  const single = [];
  const burst = [];
  const BURST = 200;
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(50 + Math.random() * 250); // random phase against the poll timer
    const before = reader.get('sent:smtp') ?? 0n;
    const t0 = performance.now();
    appendFileSync(real, SENT_LINE(n++));
    const w = await waitCounter(reader, 'sent:smtp', before + 1n, 10_000);
    single.push(w === Infinity ? w : performance.now() - t0);
  }
  for (let i = 0; i < Math.max(2, SAMPLES >> 1); i++) {
    await sleep(50 + Math.random() * 250);
    const before = reader.get('sent:smtp') ?? 0n;
    // a burst: BURST lines written one by one as fast as possible (syslog writes line by line)
    for (let k = 0; k < BURST; k++) appendFileSync(real, SENT_LINE(n++));
    const t0 = performance.now(); // from the last line's write
    const w = await waitCounter(reader, 'sent:smtp', before + BigInt(BURST), 10_000);
    burst.push(w === Infinity ? w : performance.now() - t0);
  }
  // the SNMP path once: the single executable reads what the Reader read
  const h0 = performance.now();
  const got = spawnSync(HELPER, ['--db', db, 'sent:smtp'], { encoding: 'utf8' });
  const helperMs = performance.now() - h0;
  const helperOk = got.status === 0 && BigInt(got.stdout.trim()) === (reader.get('sent:smtp') ?? 0n);
  reader.close();
  const ex = await d.stop();
  if (ex.code !== 0) throw new Error(`${name}: daemon exited ${ex.code}: ${ex.err}`);
  return { name, single, burst, BURST, helperMs, helperOk };
}

if (ONLY.has('latency')) {
  log('');
  log(`2. live latency: append -> counter visible to a Reader of the store (ms; ${SAMPLES} single lines, ${Math.max(2, SAMPLES >> 1)} bursts of 200 lines timed from the last write; --commit-interval 100)`);
  const modes = [
    ['fs.watch (default), --poll-interval 250', { pollOnly: false, pollMs: 250 }],
    ['poll only, --poll-interval 250 (default)', { pollOnly: true, pollMs: 250 }],
    ['poll only, --poll-interval 50', { pollOnly: true, pollMs: 50 }],
  ];
  R.lat = [];
  for (const [name, o] of modes) {
    step(`latency: ${name}`);
    const r = await latency(name, o);
    R.lat.push(r);
    const s = (a) => `median ${fmt(median(a), 1).padStart(6)}  p99 ${fmt(pct(a, 99), 1).padStart(6)}  max ${fmt(Math.max(...a), 1).padStart(6)}`;
    log(`   ${name.padEnd(42)} single: ${s(r.single)}`);
    log(`   ${''.padEnd(42)} burst:  ${s(r.burst)}`);
    log(`   ${''.padEnd(42)} postfix-stats-get agrees: ${r.helperOk ? 'yes' : 'NO'} (one call, ${fmt(r.helperMs, 0)} ms)`);
  }
}

// ---------------------------------------------------------------- 3./4. RSS at rest, idle CPU (following)
async function follow(logPath, gen, idleS) {
  const db = freshDir('db-follow');
  const t0 = performance.now();
  const d = startDaemon(logPath, db);
  const reader = await openReader(db);
  let hwm = 0;
  const w = await (async () => {
    while (performance.now() - t0 < 600_000) {
      if ((reader.get('self:lines') ?? 0n) >= BigInt(gen.lines)) return performance.now() - t0;
      try {
        hwm = Math.max(hwm, procStatus(d.p.pid).hwm);
      } catch {
        /* exited */
      }
      await sleep(20);
    }
    return Infinity;
  })();
  reader.close();
  await sleep(2000);
  const after = procStatus(d.p.pid);
  let cpu = null;
  if (idleS > 0) {
    const c0 = cpuTicks(d.p.pid);
    const s0 = performance.now();
    await sleep(idleS * 1000);
    const c1 = cpuTicks(d.p.pid);
    cpu = { pct: (100 * (c1 - c0) * TICK_MS) / (performance.now() - s0), ticks: c1 - c0 };
  }
  const rest = procStatus(d.p.pid);
  const ex = await d.stop();
  if (ex.code !== 0) throw new Error(`follow: daemon exited ${ex.code}: ${ex.err}`);
  return { catchUp: w, hwm: Math.max(hwm, rest.hwm), rest: after.rss, restLate: rest.rss, cpu, db: statSync(join(db, 'data.mdb')).size };
}

if (ONLY.has('memory')) {
  step('memory: following the 1x log, then idle');
  const f1 = await follow(LOG1, gen1, IDLE_S);
  step('memory: following the 4x log');
  const f4 = await follow(LOG4, gen4, 0);
  R.f1 = f1; R.f4 = f4;
  log('');
  log('3. daemon memory (peak RSS = VmHWM / time -v "Maximum resident set size"; at rest = VmRSS 2 s after catching up)');
  if (R.rssOnce1) log(`   --once backlog run:         1x peak ${fmt(R.rssOnce1 / MB, 1)} MB   4x peak ${fmt(R.rssOnce4 / MB, 1)} MB`);
  log(`   following, catching up:     1x peak ${fmt(f1.hwm / MB, 1)} MB   4x peak ${fmt(f4.hwm / MB, 1)} MB   (catch-up ${fmt(f1.catchUp / 1000, 2)} s / ${fmt(f4.catchUp / 1000, 2)} s)`);
  log(`   following, at rest:         1x ${fmt(f1.rest / MB, 1)} MB (after ${IDLE_S} s idle ${fmt(f1.restLate / MB, 1)} MB)   4x ${fmt(f4.rest / MB, 1)} MB`);
  log('');
  log(`4. idle CPU, following a quiet log for ${IDLE_S} s: ${f1.cpu ? `${fmt(f1.cpu.pct, 3)} % (${f1.cpu.ticks} ticks of ${fmt(TICK_MS, 0)} ms utime+stime)` : 'skipped'}`);
}
// section 5 has figures only when the throughput or memory section ran
if (R.dbSize1 !== undefined || R.f1) {
  const sizes = [
    ...(R.dbSize1 !== undefined ? [`1x ${fmt(R.dbSize1 / 1024)} KiB, 4x ${fmt(R.dbSize4 / 1024)} KiB (--once)`] : []),
    ...(R.f1 ? [`following: 1x ${fmt(R.f1.db / 1024)} KiB, 4x ${fmt(R.f4.db / 1024)} KiB`] : []),
  ];
  log('');
  log(`5. LMDB data.mdb after the run: ${sizes.join('; ')}`);
  if (R.queue1 !== undefined) log(`   queue ids stored: 1x ${fmt(R.queue1)}, 4x ${fmt(R.queue4)} (messages of the fixtures never "removed" within their window stay until --max-queue, default 100,000, evicts them)`);
  log('   (holds the counters, the cursor and the queue-id state; the counters are a few hundred bytes)');
}

// ---------------------------------------------------------------- 6. report and history
if (ONLY.has('report')) {
  R.report = await benchReport({
    NODE, DAEMON, REPORT, SEA: join(DIST, 'postfix-stats-report'), DIST, LINES, REPS, TMP, LOG1, gen1, fixtures, R, MB, hasPflogsumm: HAS_PFLOGSUMM,
    timed, median, fmt, log, step, freshDir, checkCounts, openLmdb,
  });
}

// ---------------------------------------------------------------- 7. HTTP /metrics
if (ONLY.has('http')) {
  const linesInSnapshot = (db) => {
    const r = readSnapshot(db);
    return r.ok ? Number(valueOf(r.snapshot, 'self:lines') ?? 0) : 0;
  };
  R.http = await benchHttp({ LOG1, gen1, fixtures, median, pct, fmt, log, step, freshDir, startDaemon, linesInSnapshot });
}

// ---------------------------------------------------------------- summary
log('');
log('| measurement | figure | target | met |');
log('| --- | --- | --- | --- |');
const yes = (b) => (b ? 'yes' : '**no**');
if (R.once) {
  log(`| backlog, --once incl. commits (1x, wall) | ${fmt(R.once)} lines/s, ${fmt(R.once / R.rl, 2)}x readline | >= 2,000,000 lines/s, 2x readline | ${yes(R.once >= 2e6 && R.once >= 2 * R.rl)} |`);
  log(`| backlog, net of start-up | ${fmt(R.onceNet)} lines/s, ${fmt(R.onceNet / R.rl, 2)}x readline | (same) | ${yes(R.onceNet >= 2e6 && R.onceNet >= 2 * R.rl)} |`);
  log(`| baselines | readline ${fmt(R.rl)} lines/s, wc -l ${fmt(R.wc)} lines/s | | |`);
  if (R.pflog) log(`| backlog against Debian pflogsumm (${fmt(R.pflog)} lines/s) | ${fmt(R.once / R.pflog, 1)}x | >= 10x | ${yes(R.once >= 10 * R.pflog)} |`);
}
if (R.lat) {
  for (const r of R.lat) {
    const p = Math.max(pct(r.single, 99), pct(r.burst, 99));
    log(`| live p99, ${r.name} | single ${fmt(pct(r.single, 99), 0)} ms, burst ${fmt(pct(r.burst, 99), 0)} ms (median ${fmt(median(r.single), 0)} / ${fmt(median(r.burst), 0)}) | < 250 ms | ${yes(p < 250)} |`);
  }
}
if (R.f1) {
  const peak1 = Math.max(R.f1.hwm, R.rssOnce1 ?? 0), peak4 = Math.max(R.f4.hwm, R.rssOnce4 ?? 0);
  log(`| peak RSS 1x / 4x | ${fmt(peak1 / MB, 1)} / ${fmt(peak4 / MB, 1)} MB | < 100 MB, flat | ${yes(peak4 < 100 * MB && peak4 < peak1 * 1.2)} |`);
  log(`| RSS at rest 1x / 4x | ${fmt(R.f1.rest / MB, 1)} / ${fmt(R.f4.rest / MB, 1)} MB | < 100 MB, flat | ${yes(R.f4.rest < 100 * MB && R.f4.rest < R.f1.rest * 1.2)} |`);
  if (R.f1.cpu) log(`| idle CPU (${IDLE_S} s) | ${fmt(R.f1.cpu.pct, 3)} % | < 1 % | ${yes(R.f1.cpu.pct < 1)} |`);
}
if (R.dbSize1 !== undefined) log(`| data.mdb 1x / 4x | ${fmt(R.dbSize1 / 1024)} / ${fmt(R.dbSize4 / 1024)} KiB | flat in lines | ${yes(R.dbSize4 <= R.dbSize1 * 1.2)} |`);
if (R.report) {
  const r = R.report;
  log(`| report from the store, one day of ${r.span} (wall, incl. start-up ${fmt(r.helpS, 2)} s) | ${fmt(r.dayS, 3)} s, ${fmt(r.dayS, 2)}x the target | < 1 s | ${yes(r.dayS < 1)} |`);
  log(`| report from the store, all ${r.span} days | ${fmt(r.allS, 3)} s | | |`);
  if (r.ratio !== null) log(`| report from a log file (${r.fileName}) against Debian pflogsumm (${fmt(r.pfRate)} lines/s) | ${fmt(r.fileRate)} lines/s, ${fmt(r.ratio, 1)}x (CPU ${fmt(r.cpuRatio, 1)}x) | >= 10x | ${yes(r.ratio >= 10)} |`);
  log(`| history on disk, data.mdb + days/ | ${fmt(r.perDay / 1024, 1)} KiB/day at ${fmt(r.linesPerDay)} lines/day; busy host about ${fmt(r.busyDay / MB, 1)} MB/day, ${fmt((r.busyDay * 365) / 1024 / MB, 2)} GB/year | | |`);
  log(`| backlog with history, ${r.span} days | ${fmt(r.daemonRate)} lines/s${R.once ? `, ${fmt(r.daemonRate / R.once, 2)}x the 1x log` : ''} | | |`);
}
if (R.http) {
  const { idle, busy, many, count } = R.http;
  log(`| backlog counting time, nobody scraping: without / with --http | ${fmt(count.plainS, 2)} / ${fmt(count.servedS, 2)} s | | |`);
  log(`| /metrics latency, idle (median / p99) | ${fmt(idle.median, 2)} / ${fmt(idle.p99, 2)} ms | | |`);
  log(`| /metrics latency while counting a backlog (median / p99) | ${fmt(busy.median, 2)} / ${fmt(busy.p99, 2)} ms (backlog ${fmt(busy.rate)} lines/s) | | |`);
  log(`| /metrics latency while counting a backlog, a request every ${R.http.paced.everyMs} ms (median / p99 / max) | ${fmt(R.http.paced.median, 2)} / ${fmt(R.http.paced.p99, 2)} / ${fmt(R.http.paced.max, 2)} ms (backlog ${fmt(R.http.paced.rate)} lines/s) | | |`);
  log(`| /metrics requests/s while counting a backlog, ${many.clients} clients | ${fmt(many.perS)} (backlog ${fmt(many.rate)} lines/s) | >= 200 | ${yes(many.perS >= 200)} |`);
}
if (R.countsOk !== undefined) log(`| counts exact (1x, 4x) | ${R.countsOk ? 'yes' : 'NO'} | exact | ${yes(R.countsOk)} |`);
