// Rotated copies of a log, oldest first, in the names logrotate and `postfix logrotate` give them:
// `mail.log.1`, `mail.log.2.gz` (higher is older), dateext `mail.log-20261122[.gz]` (also with
// `dateformat -%Y-%m-%d` or `-%Y%m%d-%s`), postfix's `maillog.20261122-043000[.gz]` (later dates
// are newer), and with logrotate's `extension .log` the suffix before it: `mail.1.log.gz`,
// `mail-20261122.log`. Only beside the log (an `olddir` is not searched) and only gzip.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface Sibling {
  readonly path: string;
  readonly gz: boolean;
  /** The file listed under that name: the next rotation may put another file there. */
  readonly ino?: number;
  readonly dev?: number;
  /** Device, inode and birth time: unlike the inode alone, not handed on to the next file. */
  readonly id?: string;
  readonly mtimeMs?: number;
}

export const fileId = (st: { dev: number; ino: number; birthtimeMs: number }): string => `${st.dev}:${st.ino}:${st.birthtimeMs}`;

/**
 * A listing is a readdir and then a stat per name: a rotation renaming files in between (`.1` to `.2`,
 * the log to `.1`) would pair a name with the file that took it and miss the one that left. List
 * until two listings in a row agree, name for name and file for file.
 */
export function rotatedSiblings(logPath: string): Sibling[] {
  let list = listOnce(logPath);
  for (let attempt = 0; attempt < 10; attempt++) {
    const again = listOnce(logPath);
    if (again.length === list.length && again.every((s, i) => s.path === list[i]!.path && s.id === list[i]!.id)) return again;
    list = again;
  }
  return list;
}

/**
 * What follows the log's name in a rotated copy's: a rotation number or a date (`20261122`,
 * `2026-11-22`, `20261122-043000`, `20261122-1796016993`), the extension when logrotate keeps it
 * after the suffix, then `.gz`.
 */
const SUFFIX = /^[.-](\d{4}-\d\d-\d\d|\d{8}-\d{6,10}|\d{1,14})(\.[A-Za-z0-9]+)??(\.gz)?$/;

/** SUFFIX after `prefix` in `name`, followed by the extension `ext` (undefined: none), or null. */
function rotatedSuffix(name: string, prefix: string, ext: string | undefined): RegExpExecArray | null {
  if (!name.startsWith(prefix)) return null;
  const m = SUFFIX.exec(name.slice(prefix.length));
  if (m === null || m[2] !== ext) return null;
  // numbered so with a dot only: `postfix-2.log` is another log, not `postfix.log`'s second copy
  if (ext !== undefined && name[prefix.length] === '-' && m[1]!.length < 8) return null;
  return m;
}

function listOnce(logPath: string): Sibling[] {
  const dir = dirname(logPath);
  const base = basename(logPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: { s: Sibling; age: number; mtime: number }[] = [];
  // `extension .log`: the rotation's suffix goes between the name and its extension
  const ext = extname(base);
  const stem = ext === '' || ext === base ? null : base.slice(0, -ext.length);
  for (const name of names) {
    if (name === base) continue;
    const m = rotatedSuffix(name, base, undefined) ?? (stem === null ? null : rotatedSuffix(name, stem, ext));
    if (m === null) continue;
    const n = Number(m[1]!.replace(/-/g, ''));
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    // Only a regular file can be a rotated copy: a FIFO or device under such a name is none.
    if (!st.isFile()) continue;
    // Larger `age` is older: a rotation number counts up with age, a date (8 digits or more) down.
    // (digits past 2^53, a date and epoch seconds, order to within half a minute; mtime decides then)
    found.push({ s: { path, gz: m[3] !== undefined, ino: st.ino, dev: st.dev, id: fileId(st), mtimeMs: st.mtimeMs }, age: n < 1e7 ? n : -n, mtime: st.mtimeMs });
  }
  found.sort((a, b) => b.age - a.age || a.mtime - b.mtime);
  // gzip writes `x.gz` beside `x` and removes `x` when done: until then `x` is the whole copy.
  const plain = new Set(found.filter((f) => !f.s.gz).map((f) => f.s.path));
  return found.filter((f) => !(f.s.gz && plain.has(f.s.path.slice(0, -3)))).map((f) => f.s);
}

