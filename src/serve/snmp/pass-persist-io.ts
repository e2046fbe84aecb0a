// pass_persist's I/O: stdin lines into the PassPersist state machine, answers to stdout, until snmpd
// closes the pipe. Each request reads the snapshot afresh (see store-access.ts); one that cannot be
// read answers NONE and is reported on stderr once per failure spell, not per request.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Oid } from './oid.js';
import { PassPersist } from './pass-persist.js';
import { tableReader } from './store-access.js';
import type { View } from '../../snapshot/view.js';

export function servePassPersist(db: string, v: View, base: Oid, input: Readable, output: Writable, errors: Writable): Promise<void> {
  let failing = false;
  const read = tableReader(db, v, (message) => {
    if (!failing) errors.write(`postfix-stats-get: ${message}\n`);
    failing = true;
  });
  const session = new PassPersist(base, () => {
    const rows = read();
    if (rows !== null) failing = false;
    return rows;
  });
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => {
    const answer = session.feed(line);
    if (answer) output.write(answer);
  });
  return new Promise((res) => lines.once('close', res));
}
