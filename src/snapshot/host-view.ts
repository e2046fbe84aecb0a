// One host's counters out of a snapshot of a --per-host daemon: its `key@host` rows under their plain
// keys, so every reader (a key, --list, MRTG, the SNMP table) serves one host as it serves a single
// mail server. Each row keeps the OID index of its per-host key.
import type { Snapshot } from './format.js';

export function hostView(s: Snapshot, host: string | undefined): Snapshot {
  if (host === undefined) return s;
  const suffix = `@${host}`;
  const rows = s.rows
    .filter((r) => r.key.endsWith(suffix))
    .map((r) => ({ ...r, key: r.key.slice(0, -suffix.length) }))
    // `a:b@h` sorts before `a@h`, but `a` before `a:b`: rows are looked up by binary search
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { ...s, rows };
}
