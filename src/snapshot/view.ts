// One host's or one instance's counters out of a snapshot (the helper's --host, --instance, or both):
// the rows of `key@host`, `instance/key` or `instance/key@host` under their plain keys, so every
// reader (a key, --list, MRTG, the SNMP table) serves them as it serves a single mail server. Each
// row keeps the OID index of the key it was.
import type { Snapshot } from './format.js';

export interface View {
  readonly host?: string;
  readonly instance?: string;
}

export const WHOLE: View = {};

export function view(s: Snapshot, v: View): Snapshot {
  if (v.host === undefined && v.instance === undefined) return s;
  const suffix = v.host === undefined ? '' : `@${v.host}`;
  const prefix = v.instance === undefined ? '' : `${v.instance}/`;
  const rows = s.rows
    .filter((r) => r.key.endsWith(suffix) && r.key.startsWith(prefix) && r.key.length > prefix.length + suffix.length)
    .map((r) => ({ ...r, key: r.key.slice(prefix.length, r.key.length - suffix.length) }))
    // `a:b@h` sorts before `a@h`, but `a` before `a:b`: rows are looked up by binary search
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { ...s, rows };
}
