// What Node gives for free: a plain `readline` loop over the file with a handful of regexes, the way a
// naive log counter is written. No state, no store. Prints {"lines":N,"hits":N}.
//   node scripts/bench/readline-baseline.mjs FILE
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const TAG = / postfix(?:\/[\w.-]+)*\/([\w.-]+)\[\d+\]: /;
const QID = /\]: ([0-9A-Za-z]{6,24}|NOQUEUE): /;
const STATUS = /, status=(sent|deferred|bounced) /;
const ACTIVE = /: from=<[^>]*>, size=\d+, nrcpt=\d+ \(queue active\)$/;
const REJECT = /: (?:milter-)?reject: .*?: ([45])\d\d /;

let lines = 0;
let hits = 0;
const rl = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
for await (const line of rl) {
  lines++;
  const tag = TAG.exec(line);
  if (tag === null || !QID.test(line)) continue;
  if (STATUS.test(line)) hits++;
  else if (ACTIVE.test(line)) hits++;
  else if (REJECT.test(line)) hits++;
}
console.log(JSON.stringify({ lines, hits }));
