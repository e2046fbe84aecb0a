// The readers' side: one read of one file, judged whole or refused. Why it failed decides the helper's
// exit code: missing (66), permission denied (77), damaged (74).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { decodeSnapshot, type Row, type Snapshot } from './format.js';
import { snapshotPath } from './publish.js';

export type ReadResult = { ok: true; snapshot: Snapshot } | { ok: false; reason: 'missing' | 'denied' | 'broken'; message: string };

/** No real snapshot comes near this: 1,000 keys take about 40 KB. */
const MAX_BYTES = 64 << 20;

export function readSnapshot(dir: string): ReadResult {
  const path = snapshotPath(dir);
  let text: string;
  try {
    // non-blocking: a FIFO put in its place must not hang snmpd's request (nor a device fill memory)
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return { ok: false, reason: 'broken', message: `${path} is not a regular file (the daemon writes a file there)` };
      if (st.size > MAX_BYTES) return { ok: false, reason: 'broken', message: `${path} is too large to be a snapshot` };
      // one byte more than the size: a file still growing is no snapshot the daemon wrote (it renames whole files)
      const buf = Buffer.allocUnsafe(st.size + 1);
      let got = 0;
      for (let n = -1; n !== 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
      if (got > st.size) return { ok: false, reason: 'broken', message: `${path} changed while it was read (not written by postfix-statsd?)` };
      text = buf.toString('latin1', 0, got);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return { ok: false, reason: 'missing', message: `no counters at ${path}: postfix-statsd publishes them there (is it running with --db ${dir}?)` };
    if (code === 'EACCES' || code === 'EPERM')
      return { ok: false, reason: 'denied', message: `permission denied reading ${path}: it must be readable by this user (the daemon makes it 0644; check the directory's x bits)` };
    return { ok: false, reason: 'broken', message: `cannot read ${path}: ${(e as Error).message}` };
  }
  const d = decodeSnapshot(text);
  if (!d.ok) return { ok: false, reason: 'broken', message: `${path} is ${d.message}` };
  return d;
}

/** A key's value, or undefined when the snapshot has no such key. */
export function valueOf(s: Snapshot, key: string): bigint | undefined {
  return findRow(s.rows, key)?.value;
}

function findRow(rows: readonly Row[], key: string): Row | undefined {
  // Rows are in key order: a binary search keeps a 1,000-key lookup cheap in pass_persist.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = rows[mid]!.key;
    if (k === key) return rows[mid];
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
