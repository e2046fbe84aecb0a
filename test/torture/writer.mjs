// A log writer in its own process, like a syslog daemon: it appends fixture lines at a high rate
// through a descriptor it keeps open (so after a rename it writes to the renamed file until told to
// reopen, as rsyslog does until logrotate's HUP). Controlled over IPC: pause, resume, hup, stop; on
// stop it writes every line it wrote, in order, to `reference`.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';

const [path, reference, ...fixtures] = process.argv.slice(2);
const lines = fixtures.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== ''));
// Fixture lines repeat; real log lines never do (time stamps). A file starting at the same fixture
// line as an older one would share its head: number the host name to keep every line unique.
const line = (i) => lines[i % lines.length].replace(' mx1 ', ` w${i} `);
let fd = openSync(path, 'a');
let total = 0;
let paused = false;
let seed = Number(process.env.PFS_SEED ?? 1);
// Lines per second: faster than a busy relay logs, slower than the daemon reads, so it keeps up.
const rate = Number(process.env.PFS_WRITER_RATE ?? 20000);
const rand = (n) => ((seed = (seed * 1664525 + 1013904223) >>> 0) % n);

function batch() {
  if (paused) return;
  const n = 1 + rand(200);
  let s = '';
  for (let i = 0; i < n; i++) s += line(total + i) + '\n';
  writeSync(fd, s);
  total += n;
  setTimeout(batch, (n * 1000) / rate);
}

process.on('message', (m) => {
  if (m === 'pause') {
    paused = true;
    process.send({ total });
  } else if (m === 'resume') {
    paused = false;
    setImmediate(batch);
  } else if (m === 'hup') {
    closeSync(fd);
    fd = openSync(path, 'a');
    process.send({ total });
  } else if (m === 'stop') {
    paused = true;
    closeSync(fd);
    writeFileSync(reference, Array.from({ length: total }, (_, i) => line(i) + '\n').join(''));
    process.send({ total }, () => process.exit(0));
  }
});
process.send({ ready: true });
batch();
