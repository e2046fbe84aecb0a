// The torture test's child: a JournalSource following a directory, with a sink that counts Postfix
// records and commits (checkpoint, count, checksum, gaps) atomically to a file after every poll,
// the way the daemon commits checkpoint and counters in one transaction. Bundled by the test.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { JournalSource } from '../../../src/source/journal/journal-source.js';
import type { SourceEvent, SourceSink } from '../../../src/source/source.js';
import type { LogRecord } from '../../../src/syslog/record.js';
import { recordHash, type State } from './torture-state.js';

const MOD = 2 ** 48;

const [stateFile, dir] = process.argv.slice(2) as [string, string];
let state: State;
try {
  state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
} catch {
  state = { checkpoint: null, count: 0, sum: 0, gaps: 0, commits: 0 };
}
let count = state.count;
let sum = state.sum;
let gaps = state.gaps;
const sink: SourceSink = {
  line() {},
  record(r: LogRecord) {
    count++;
    sum = (sum + recordHash(r.time, r.buf.subarray(r.msgStart, r.msgEnd))) % MOD;
  },
  event(kind: SourceEvent) {
    if (kind === 'gap') gaps++;
  },
};
const source = new JournalSource({ scope: { dirs: [dir] }, restartMs: 20, log: (m) => process.stderr.write(`${m}\n`) }, sink, state.checkpoint);
let commits = state.commits;
// The test times its kills from here: on a loaded machine Node's own start can take longer than them.
process.stdout.write('ready\n');
const tmpFile = `${stateFile}.tmp`;
for (;;) {
  const n = await source.poll(1 + Math.floor(Math.random() * 300));
  if (n > 0) {
    const next: State = { checkpoint: source.checkpoint(), count, sum, gaps, commits: ++commits };
    writeFileSync(tmpFile, JSON.stringify(next));
    renameSync(tmpFile, stateFile);
  } else await source.wait(200);
}
