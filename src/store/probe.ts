// LMDB trusts its data file: random bytes in a page crash it (SIGSEGV, SIGBUS; measured on every page
// of a small database), which no check of the meta pages alone can foresee. So before the daemon opens
// an existing database, a child process of its own reads all of it once: a child killed by a signal
// means a damaged file, refused with a message instead of a daemon crashing at every start (a page no
// commit reaches is harmless: LMDB overwrites it before it uses it). The child
// runs before the daemon opens the environment, never beside it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from './store.js';

export const PROBE_FLAG = '--probe-database';

const NO_SPACE = /ENOSPC|No space left|MDB_MAP_FULL/;

export type Probed = { ok: true } | { ok: false; message: string };

/** The parent's side: `self` is how to run this program again (argv before the flag). */
export function probe(dir: string, self: readonly string[]): Probed {
  if (!existsSync(join(dir, 'data.mdb'))) return { ok: true };
  const r = spawnSync(self[0]!, [...self.slice(1), PROBE_FLAG, dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { ok: false, message: `cannot check ${dir}: ${r.error.message}` };
  if (r.signal) return { ok: false, message: `${dir}/data.mdb is damaged: reading it crashed LMDB (${r.signal}); move it away to start anew` };
  if (r.status !== 0) return { ok: false, message: r.stderr.trim() || `checking ${dir} failed (exit ${r.status})` };
  return { ok: true };
}

/**
 * The child's side: opens, reads everything, commits once (a write walks the free-page list and
 * copies the tree's path, which reading alone does not touch), closes; the exit code says how it went.
 */
export async function probeChild(dir: string): Promise<number> {
  try {
    const s = Store.open(dir);
    try {
      const loaded = s.load();
      try {
        s.commit({ counters: new Map(), cursor: undefined, queue: new Map(), sum: loaded.sum });
      } catch (e) {
        // A full disk is no damage: the daemon keeps its counts in memory until a commit succeeds.
        if (!NO_SPACE.test((e as Error).message)) throw e;
      }
    } finally {
      await s.close();
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 74;
  }
}
