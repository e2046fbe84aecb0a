// Start-up benchmark for built SEAs (development aid, not part of the build).
//   node scripts/sea/bench.mjs DIR... [--runs 20] [--args='--db {db} sent:smtp'] [--db DBDIR]
// Each DIR holds postfix-stats-get + lmdb.node built from scripts/sea/selftest/main.mjs
// (node scripts/build-sea.mjs --entry scripts/sea/selftest/main.mjs --out DIR/postfix-stats-get [--node BIN] [--no-code-cache]).
// Writes a small db with this Node's lmdb, then per DIR reports the median and
// min wall time and mean user+sys CPU time of RUNS runs (after 3 warm-ups, builds interleaved) and the max RSS (/usr/bin/time -v).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: {
  runs: { type: 'string', default: '20' },
  args: { type: 'string', default: '--db {db} --key hello' }, // helper arguments, {db} = the db directory
  db: { type: 'string' }, // use this db instead of writing a test one
} });
const runs = Number(values.runs);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'postfix-stats-sea-bench-'));
const db = values.db ? path.resolve(values.db) : path.join(tmp, 'db');
const w = values.db ? { status: 0 } : spawnSync(process.execPath, ['--input-type=module', '-e',
  `import { open } from 'lmdb'; const r = open({ path: ${JSON.stringify(db)} });
   await r.put('hello', { n: 42, s: 'world' }); const z = r.openDB({ name: 'z', compression: true });
   await z.put('big', 'x'.repeat(3000)); await r.close();`], { cwd: repoRoot, stdio: 'inherit' });
if (w.status !== 0) process.exit(1);

const args = values.args.split(' ').filter(Boolean).map((a) => a.replace('{db}', db));
const childCpuTicks = () => {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').slice(fs.readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  return Number(f[13]) + Number(f[14]); // cutime + cstime (fields 16, 17)
};
const TICK_MS = 10; // USER_HZ = 100 on Linux
// round-robin over the builds so that machine load drifts hit all of them alike
const stats = positionals.map(() => ({ wall: [], cpu: 0 }));
for (let i = 0; i < runs + 3; i++) {
  positionals.forEach((dir, k) => {
    const exe = path.join(dir, 'postfix-stats-get');
    const c0 = childCpuTicks();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(exe, args, { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${exe}: ${r.stderr}`);
    if (i >= 3) {
      stats[k].wall.push(ms);
      stats[k].cpu += (childCpuTicks() - c0) * TICK_MS;
    }
  });
}
positionals.forEach((dir, k) => {
  const exe = path.join(dir, 'postfix-stats-get');
  const times = stats[k].wall.sort((a, b) => a - b);
  const median = (times[(runs - 1) >> 1] + times[runs >> 1]) / 2;
  const rss = [];
  for (let i = 0; i < 5; i++) {
    const t = spawnSync('/usr/bin/time', ['-v', exe, ...args], { encoding: 'utf8' });
    rss.push(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(t.stderr)?.[1]));
  }
  rss.sort((a, b) => a - b);
  console.log(
    `${dir}: wall median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}), ` +
      `cpu mean ${(stats[k].cpu / runs).toFixed(1)} ms, max RSS ${(rss[2] / 1024).toFixed(1)} MiB`,
  );
});
fs.rmSync(tmp, { recursive: true, force: true });
