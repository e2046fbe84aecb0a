#!/usr/bin/env node
// Latency of the SNMP mechanisms, measured through a real snmpd on 127.0.0.1 (not a test: it prints).
//
//   npm run build && node scripts/bench-snmp.mjs [--runs N]
//
// For each of exec, extend, pass, pass_persist and AgentX: the median wall time of one `snmpget`
// (a whole snmpget process, so snmpget's own start-up is included: the "baseline" row is snmpget of
// sysUpTime, answered by snmpd itself), and of one `snmpwalk` of the whole table. Besides them, the
// helper's own start-up: `postfix-stats-get --help` (no database) and reading one key.
// snmpd caches exec/extend/pass answers, so each snmpget asks for a value not asked before (a new
// exec line, a new table cell) and each pass walk runs on a fresh snmpd: the figures are uncached.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// BENCH_ONLY (bench.mjs's subset) without `snmp`: this part of `npm run bench` is not wanted
if (process.env.BENCH_ONLY !== undefined && !process.env.BENCH_ONLY.split(',').includes('snmp')) process.exit(0);

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const RUNS = Number(values.runs);
const HELPER = resolve('dist/postfix-stats-get');
const DAEMON = resolve('dist/daemon/main.js');
const BASE = '.1.3.6.1.4.1.99999.1.1';
const dir = mkdtempSync(join(tmpdir(), 'pfs-bench-snmp-'));
const db = join(dir, 'db');
const noMibs = { ...process.env, MIBDIRS: join(dir, 'no-mibs'), MIBS: '' };
mkdirSync(join(dir, 'no-mibs'));
const children = [];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
function timed(cmd, args, env = noMibs) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  const dt = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return { dt, out: r.stdout };
}
const port = (kind) =>
  new Promise((res) => {
    if (kind === 'tcp') {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => res(p));
      });
    } else {
      const s = createSocket('udp4').bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => res(p));
      });
    }
  });
const snmp = (p) => ['-v2c', '-c', 'public', '-On', '-t', '30', '-r', '0', `127.0.0.1:${p}`];

async function snmpd(lines) {
  const p = await port('udp');
  const d = mkdtempSync(join(dir, 'snmpd-'));
  writeFileSync(join(d, 'snmpd.conf'), ['rocommunity public 127.0.0.1', ...lines, ''].join('\n'));
  const proc = spawn('/usr/sbin/snmpd', ['-f', '-Lo', '-C', '-c', join(d, 'snmpd.conf'), '-p', join(d, 'pid'), `udp:127.0.0.1:${p}`], {
    stdio: 'ignore',
    env: { ...noMibs, SNMP_PERSISTENT_DIR: d },
  });
  children.push(proc);
  for (let i = 0; i < 500; i++) {
    if (spawnSync('snmpget', [...snmp(p).slice(0, 4), '-t', '0.2', '-r', '0', `127.0.0.1:${p}`, '1.3.6.1.2.1.1.3.0'], { env: noMibs }).status === 0) break;
  }
  return { port: p, stop: () => new Promise((r) => (proc.exitCode !== null ? r() : (proc.once('exit', r), proc.kill()))) };
}

try {
  execFileSync(process.execPath, [DAEMON, '--once', '--log', 'fixtures/logs/rfc3339.log', '--db', db, '--log-level', 'warn']);
  const rows = execFileSync(HELPER, ['--db', db, '--list'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ')[0]);
  const cells = (n) => Array.from({ length: n }, (_, i) => `${BASE}.1.${1 + (i % 4)}.${1 + Math.floor(i / 4)}`);
  const report = [];

  // The helper alone.
  report.push(['helper start-up, --help (no database)', median(Array.from({ length: RUNS }, () => timed(HELPER, ['--help']).dt))]);
  report.push(['helper start-up, reading one key', median(Array.from({ length: RUNS }, () => timed(HELPER, ['--db', db, 'sent:smtp']).dt))]);

  // exec and extend: one line per key, each snmpget asks for a line not asked before.
  const keys = rows.slice(0, Math.min(RUNS, rows.length));
  const ex = await snmpd([
    ...keys.map((k, i) => `exec pfs-exec-${i} ${HELPER} --db ${db} ${k}`),
    ...keys.map((k, i) => `extend pfs-ext-${i} ${HELPER} --db ${db} ${k}`),
  ]);
  report.push(['snmpget baseline (sysUpTime, no helper)', median(Array.from({ length: RUNS }, () => timed('snmpget', [...snmp(ex.port), '1.3.6.1.2.1.1.3.0']).dt))]);
  report.push(['snmpget via exec', median(keys.map((_, i) => timed('snmpget', [...snmp(ex.port), `.1.3.6.1.4.1.2021.8.1.101.${i + 1}`]).dt))]);
  const extOid = (name) => `.1.3.6.1.4.1.8072.1.3.2.3.1.1.${name.length}.${[...Buffer.from(name)].join('.')}`;
  report.push(['snmpget via extend', median(keys.map((_, i) => timed('snmpget', [...snmp(ex.port), extOid(`pfs-ext-${i}`)]).dt))]);
  await ex.stop();

  // pass: a new cell per snmpget; each walk on a fresh snmpd (snmpd caches pass answers).
  const passLine = `pass ${BASE} ${HELPER} --db ${db}`;
  const pa = await snmpd([passLine]);
  report.push(['snmpget via pass', median(cells(Math.min(RUNS, rows.length * 6)).map((o) => timed('snmpget', [...snmp(pa.port), o]).dt))]);
  await pa.stop();
  const passWalks = [];
  for (let i = 0; i < 3; i++) {
    const s = await snmpd([passLine]);
    passWalks.push(timed('snmpwalk', [...snmp(s.port), BASE]).dt);
    await s.stop();
  }
  report.push([`snmpwalk via pass (${rows.length * 6} cells, median of 3)`, median(passWalks)]);

  // pass_persist
  const pp = await snmpd([`pass_persist ${BASE} ${HELPER} --db ${db} --pass-persist`]);
  timed('snmpget', [...snmp(pp.port), `${BASE}.1.3.1`]); // starts the helper
  report.push(['snmpget via pass_persist', median(cells(RUNS).map((o) => timed('snmpget', [...snmp(pp.port), o]).dt))]);
  report.push([`snmpwalk via pass_persist (${rows.length * 6} cells)`, median(Array.from({ length: 5 }, () => timed('snmpwalk', [...snmp(pp.port), BASE]).dt))]);
  await pp.stop();

  // AgentX: the daemon as subagent.
  const ax = await port('tcp');
  const ag = await snmpd(['master agentx', `agentXSocket tcp:127.0.0.1:${ax}`]);
  const d = spawn(process.execPath, [DAEMON, '--log', 'fixtures/logs/rfc3339.log', '--db', db, '--agentx', `tcp:127.0.0.1:${ax}`, '--log-level', 'warn'], { stdio: 'ignore' });
  children.push(d);
  for (let i = 0; i < 2000 && !/Counter64/.test(spawnSync('snmpget', [...snmp(ag.port), `${BASE}.1.3.1`], { encoding: 'utf8', env: noMibs }).stdout); i++);
  report.push(['snmpget via AgentX', median(cells(RUNS).map((o) => timed('snmpget', [...snmp(ag.port), o]).dt))]);
  report.push([`snmpwalk via AgentX (${rows.length * 6} cells)`, median(Array.from({ length: 5 }, () => timed('snmpwalk', [...snmp(ag.port), BASE]).dt))]);
  d.kill();
  await ag.stop();

  const w = Math.max(...report.map(([k]) => k.length));
  console.log(`median wall time, ${RUNS} runs unless said (snmpget/snmpwalk figures include their own process start)`);
  for (const [k, v] of report) console.log(`${k.padEnd(w)}  ${ms(v).padStart(10)}`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill();
  rmSync(dir, { recursive: true, force: true });
}
