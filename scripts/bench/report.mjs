// The bench's `report` section (issue 11): postfix-stats-report from the store with 400 days of
// history present (target < 1 s for one day), from a log file against Debian's pflogsumm on the same
// file (goal >= 10x), and what the history costs on disk and in backlog throughput.
// Called by bench.mjs with its helpers; returns the figures for its summary table.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './genlog.mjs';

const DAY_S = 86_400;
/** The history's retention (src/history/apply.ts): hour buckets and day tables for 400 days. */
const HISTORY_DAYS = 400;
const TARGET_DAY_S = 1;
const GOAL_VS_PFLOGSUMM = 10;
/** Rows a day's table holds before the rest goes to one `other` row (the daemon's --max-rows default). */
const MAX_ROWS = 1000;

/** Store keys of the history (src/history/layout.ts), by what they hold. */
const KINDS = [
  ['hm:', 'minute buckets'],
  ['hh:', 'hour buckets'],
  ['hd:', 'day buckets'],
  ['t:', 'table rows'],
  ['tn:', 'row counts'],
  ['hs:', 'day seqs'],
];

export async function benchReport(c) {
  const { NODE, DAEMON, REPORT, LINES, REPS, TMP, LOG1, gen1, fixtures, R, timed, median, fmt, log, step, freshDir, checkCounts, openLmdb, MB } = c;
  const { FACT_TABLES } = await import(join(c.DIST, 'src/classify/facts.js'));

  // A log over the history's whole retention, ending a little before now: the daemon prunes by the
  // clock, so older days would not be kept. RFC 3339 stamps name their year.
  step(`report: generating ${fmt(LINES)} lines over ${HISTORY_DAYS} days`);
  const nowS = Math.floor(Date.now() / 1000);
  const LOG = join(TMP, 'mail-400d.log');
  const gen = generate(fixtures, LOG, LINES, { rfc3339: true, startS: nowS - HISTORY_DAYS * DAY_S + 3600, spanS: HISTORY_DAYS * DAY_S - 4200 });

  step('report: postfix-statsd --once --tz UTC over it (history on)');
  const runs = [];
  let db = '';
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    db = freshDir('db-400d');
    runs.push(timed(NODE, [DAEMON, '--once', '--tz', 'UTC', '--log', LOG, '--db', db]));
  }
  const bad = checkCounts(db, gen);
  const daemonS = median(runs.map((r) => r.wall));
  const daemonRate = gen.lines / daemonS;

  const daysDir = join(db, 'days');
  const dayFiles = readdirSync(daysDir).sort();
  const daysBytes = dayFiles.reduce((s, f) => s + statSync(join(daysDir, f)).size, 0);
  const mdbBytes = statSync(join(db, 'data.mdb')).size;
  const kinds = storeEntries(openLmdb, db);
  const span = dayFiles.length;
  const mid = dayFiles[span >> 1];

  step(`report: --db --day ${mid} (${Math.max(REPS, 5)} runs) and the process start-up (--help)`);
  const dayRuns = [], helpRuns = [];
  for (let i = 0; i < Math.max(REPS, 5); i++) {
    helpRuns.push(timed(NODE, [REPORT, '--help']).wall);
    dayRuns.push(timed(NODE, [REPORT, '--db', db, '--day', mid, '--tz', 'UTC']).wall);
  }
  step(`report: --db --from ${dayFiles[0]} --to ${dayFiles[span - 1]}`);
  const allRuns = [];
  let allOut = '';
  for (let i = 0; i < 3; i++) {
    const r = timed(NODE, [REPORT, '--db', db, '--from', dayFiles[0], '--to', dayFiles[span - 1], '--tz', 'UTC']);
    allRuns.push(r.wall);
    allOut = r.stdout;
  }

  // The report as users run it: the package's single executable (its code cache saves most of the
  // module loading), beside `node report.js`; the split read by default (tried when the last minute's
  // load left a core idle), forced on and forced off. Alternated, so each meets the same load.
  step('report: from the 1x log file (node and the single executable; split auto, on, off), and Debian pflogsumm on the same file');
  const variants = [['node report.js, split auto', NODE, [REPORT], undefined]];
  if (existsSync(c.SEA)) {
    variants.push(['single executable, split auto', c.SEA, [], undefined]);
    variants.push(['single executable, split on', c.SEA, [], 'on']);
    variants.push(['single executable, split off', c.SEA, [], 'off']);
  }
  const fileRuns = variants.map(() => []);
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    variants.forEach(([, cmd, pre, split], v) => {
      const env = split === undefined ? process.env : { ...process.env, POSTFIX_STATS_REPORT_SPLIT: split };
      fileRuns[v].push(timed(cmd, [...pre, '--tz', 'UTC', LOG1], { stdio: ['ignore', 'ignore', 'pipe'], env }));
    });
  }
  let pflog = R.pflogRuns ?? null; // section 1 timed it on the same file already
  if (pflog === null && c.hasPflogsumm) {
    pflog = [];
    for (let i = 0; i < Math.min(REPS, 3); i++) pflog.push(timed('pflogsumm', [LOG1], { stdio: ['ignore', 'ignore', 'pipe'] }));
  }

  const dayS = median(dayRuns), helpS = median(helpRuns), allS = median(allRuns);
  const files = variants.map(([name], v) => ({ name, s: median(fileRuns[v].map((r) => r.wall)), cpu: median(fileRuns[v].map((r) => r.user + r.sys)) }));
  // the headline: what a user of the package gets by default (node's when no executable was built)
  const shipped = files[files.length > 1 ? 1 : 0];
  const fileS = shipped.s;
  const fileCpu = shipped.cpu;
  const pfS = pflog?.length ? median(pflog.map((r) => r.wall)) : null;
  const pfCpu = pflog?.length ? median(pflog.map((r) => r.user + r.sys)) : null;

  // Size per day: what the store and days/ hold, over the days they cover. A day's size follows its
  // distinct table rows, not its lines (counters are buckets of a bounded key set), so a busy host is
  // one whose tables reach their cap every day: estimated from the bytes a row takes here.
  const rows = kinds.get('t:');
  const allKv = [...kinds.values()].reduce((s, k) => s + k.bytes, 0) + kinds.other.bytes;
  const overhead = mdbBytes / allKv; // LMDB's pages (and the queue state's churn) over the raw bytes
  const storeFixed = [...kinds.entries()].filter(([p]) => p !== 't:' && p !== 'hm:').reduce((s, [, k]) => s + k.bytes, 0) / span;
  const json = dayFileTables(daysDir, dayFiles);
  const fileFixed = (daysBytes - json.bytes) / span;
  const jsonPerRow = json.rows ? json.bytes / json.rows : 0;
  const busyRows = FACT_TABLES.length * (MAX_ROWS + 1);
  const busyDay = (storeFixed + busyRows * (rows.bytes / Math.max(1, rows.n))) * overhead + fileFixed + busyRows * jsonPerRow;
  const perDay = (mdbBytes + daysBytes) / span;
  const rowsPerDay = rows.n / span;
  const linesPerDay = gen.lines / span;

  log('');
  log(`6. report and history (${fmt(gen.lines)} lines over ${span} days, ${fmt(linesPerDay)} lines/day, RFC 3339, --tz UTC; wall clock incl. process start-up, median)`);
  log(`   postfix-statsd --once, history on       ${fmt(daemonS, 2).padStart(8)} s ${fmt(daemonRate).padStart(12)} lines/s` +
    (R.once ? `  (${fmt(daemonRate / R.once, 2)}x the 1x log's ${fmt(R.once)} lines/s of section 1, same run)` : '') + `  counts: ${bad.length ? `WRONG: ${bad.slice(0, 3).join('; ')}` : 'exact'}`);
  log(`   report --db --day ${mid} (one day)   ${fmt(dayS, 3).padStart(8)} s  target < ${TARGET_DAY_S} s: ${fmt(dayS / TARGET_DAY_S, 2)}x the target; start-up alone (--help) ${fmt(helpS, 3)} s`);
  log(`   report --db --from ${dayFiles[0]} --to ${dayFiles[span - 1]} ${fmt(allS, 3).padStart(8)} s  (${span} days; ${allOut.length ? 'printed' : 'EMPTY'})`);
  const fileRate = gen1.lines / fileS;
  for (const f of files) {
    log(`   report FILE (1x log, ${fmt(gen1.lines)} lines), ${f.name.padEnd(30)} ${fmt(f.s, 3).padStart(8)} s ${fmt(gen1.lines / f.s).padStart(12)} lines/s  (user+sys ${fmt(f.cpu, 2)} s)` +
      (pfS !== null ? `  ${fmt(pfS / f.s, 2)}x pflogsumm wall, ${fmt(pfCpu / f.cpu, 2)}x CPU` : ''));
  }
  if (pfS !== null) {
    log(`   Debian pflogsumm FILE${R.pflogRuns ? ' (section 1)' : ''}               ${fmt(pfS, 3).padStart(8)} s ${fmt(gen1.lines / pfS).padStart(12)} lines/s  (user+sys ${fmt(pfCpu, 2)} s)`);
    log(`   ratio (${shipped.name}): report/pflogsumm ${fmt(pfS / fileS, 2)}x wall, ${fmt(pfCpu / fileCpu, 2)}x CPU (goal: ${GOAL_VS_PFLOGSUMM}x)`);
  } else log('   Debian pflogsumm: not installed, not measured');
  log(`   data.mdb ${fmt(mdbBytes / MB, 1)} MB, days/ ${fmt(daysBytes / MB, 1)} MB (${span} files): ${fmt(perDay / 1024, 1)} KiB per day, ${fmt((perDay * 365) / MB, 1)} MB per year at ${fmt(linesPerDay)} lines/day`);
  log(`   in the store (keys + values): ${[...kinds.entries()].map(([p, k]) => `${k.name} ${fmt(k.n)} / ${fmt(k.bytes / 1024)} KiB`).join(', ')}; other keys (queue ids, counters) ${fmt(kinds.other.n)} / ${fmt(kinds.other.bytes / 1024)} KiB`);
  log(`   a busy host (every table at its ${fmt(MAX_ROWS)}-row cap every day: ${fmt(busyRows)} rows/day, here ${fmt(rowsPerDay)}): ` +
    `about ${fmt(busyDay / MB, 1)} MB per day, ${fmt((busyDay * 365) / 1024 / MB, 2)} GB per year (LMDB ${fmt(overhead, 2)}x the raw bytes here; ${fmt(jsonPerRow)} B per row in a day file)`);
  return { daemonRate, dayS, helpS, allS, span, fileRate, fileName: shipped.name, pfRate: pfS ? gen1.lines / pfS : null, ratio: pfS ? pfS / fileS : null, cpuRatio: pfS ? pfCpu / fileCpu : null, perDay, linesPerDay, busyDay, countsOk: bad.length === 0 };
}

/** Rows and bytes of the tables in the day files (their JSON arrays). */
function dayFileTables(dir, files) {
  let rows = 0, bytes = 0;
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const o = JSON.parse(text.slice(0, text.indexOf('\n')));
    for (const t of Object.values(o.tables)) rows += t.length, (bytes += JSON.stringify(t).length);
  }
  return { rows, bytes };
}

/** Entries and key + value bytes of the history's kinds of keys, and of the rest. */
function storeEntries(openLmdb, db) {
  const kinds = new Map(KINDS.map(([p, name]) => [p, { name, n: 0, bytes: 0 }]));
  kinds.other = { n: 0, bytes: 0 };
  const env = openLmdb({ path: db, readOnly: true, encoding: 'binary' });
  try {
    for (const { key, value } of env.getRange({})) {
      const kind = KINDS.find(([p]) => String(key).startsWith(p));
      const into = kind ? kinds.get(kind[0]) : kinds.other;
      into.n++;
      into.bytes += Buffer.byteLength(String(key)) + value.length;
    }
  } finally {
    void env.close();
  }
  return kinds;
}
