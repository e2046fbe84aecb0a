import { readFileSync, appendFileSync, statSync } from 'node:fs';
import { Reader } from './dist/src/store/reader.js';
const [dir, dpid] = process.argv.slice(2);
const LINES = readFileSync('fixtures/logs/classic.log', 'utf8').split('\n').filter(Boolean);
const locksOf = (pid) => { const ino = statSync(dir + '/db/lock.mdb').ino; return readFileSync('/proc/locks', 'utf8').split('\n').filter((l) => l.includes(`:${ino} `) && l.includes(` ${pid} `)).length; };
let w = 0, lost = 0, reads = 0, mylost = 0;
const end = Date.now() + 4000;
while (Date.now() < end) {
  const n = 1 + (w % 100);
  let s = ''; for (let k = 0; k < n; k++) s += LINES[(w + k) % LINES.length] + '\n';
  appendFileSync(dir + '/mail.log', s); w += n;
  const r = Reader.open(dir + '/db');
  if (!r.ok) continue;
  r.reader.rows(); reads++;
  if (locksOf(process.pid) === 0) mylost++;
  r.reader.close();
  if (locksOf(dpid) < 2) lost++;
}
console.log({ w, reads, lost, mylost });
