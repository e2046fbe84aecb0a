// pass_persist's I/O: stdin lines into the PassPersist state machine, answers to stdout, until snmpd
// closes the pipe. Each request opens the store afresh (see store-access.ts); a store that cannot be
// read answers NONE and is reported on stderr once per failure spell, not per request.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Oid } from './oid.js';
import { PassPersist } from './pass-persist.js';
import { withReader } from './store-access.js';
import { servable } from './table.js';

export function servePassPersist(db: string, base: Oid, input: Readable, output: Writable, errors: Writable): Promise<void> {
  let failing = false;
  const session = new PassPersist(base, () => {
    const r = withReader(db, (reader) => servable(reader.rows()));
    if (r.ok) {
      failing = false;
      return r.value;
    }
    if (!failing) errors.write(`postfix-stats-get: ${r.message}\n`);
    failing = true;
    return null;
  });
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => {
    const answer = session.feed(line);
    if (answer) output.write(answer);
  });
  return new Promise((res) => lines.once('close', res));
}
