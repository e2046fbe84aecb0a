// The helper's reads: one read of the snapshot file the daemon publishes, judged whole or refused. The
// helper never opens the daemon's LMDB environment (lmdb-js's cross-process mode was measured undoing
// commits and crashing the writer), so it needs read access to that one file only.
import type { Snapshot } from '../../snapshot/format.js';
import { view, type View } from '../../snapshot/view.js';
import { readSnapshot, type ReadResult } from '../../snapshot/read.js';
import { EXIT } from '../../config/exit-codes.js';
import { servable, type TableRow } from './table.js';

export type Read<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

function exitCode(reason: Extract<ReadResult, { ok: false }>['reason']): number {
  return reason === 'missing' ? EXIT.noInput : reason === 'denied' ? EXIT.noPerm : EXIT.ioErr;
}

/** `v`: one host's and/or one instance's counters only, under their plain keys (view.ts). */
export function withSnapshot<T>(db: string, v: View, read: (s: Snapshot) => T): Read<T> {
  const r = readSnapshot(db);
  if (!r.ok) return { ok: false, code: exitCode(r.reason), message: r.message };
  return { ok: true, value: read(view(r.snapshot, v)) };
}

/**
 * pass_persist's reads: the table's rows from the snapshot, or null when it cannot be read right now.
 * A snapshot older than one already served (a daemon restarted on an older copy of its directory, say)
 * is not served either: a poller must never see a Counter64 go back.
 */
export function tableReader(db: string, v: View, onError: (message: string) => void): () => TableRow[] | null {
  let seen = -1;
  return () => {
    const r = withSnapshot(db, v, (s) => s);
    if (!r.ok) return onError(r.message), null;
    if (r.value.seq < seen) return onError(`${db}: snapshot ${r.value.seq} is older than ${seen}, already served`), null;
    seen = r.value.seq;
    return servable(r.value.rows, v);
  };
}
