// Publishing: the whole file is written under a temporary name, then renamed over the old one, so a
// reader opens either the previous snapshot or this one, never a mix. Mode 0644 whatever the umask:
// a reader (snmpd's user) needs read access to this one file and nothing else.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSnapshot, type Snapshot } from './format.js';

export const SNAPSHOT_FILE = 'snapshot';

export function snapshotPath(dir: string): string {
  return join(dir, SNAPSHOT_FILE);
}

/** Throws on a write error (disk full): the old snapshot then stays in place, whole. */
export function publish(dir: string, s: Snapshot): void {
  replaceFile(dir, SNAPSHOT_FILE, encodeSnapshot(s));
}

/** Writes dir/name whole, as readers must see it: the old file or the new one, mode 0644. */
export function replaceFile(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644 });
  chmodSync(tmp, 0o644);
  renameSync(tmp, join(dir, name));
}
