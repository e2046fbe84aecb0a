// Rotated copies of a log, oldest first, in the names logrotate and `postfix logrotate` give them:
// `mail.log.1`, `mail.log.2.gz` (higher is older), dateext `mail.log-20261122[.gz]` and postfix's
// `maillog.20261122-043000[.gz]` (later dates are newer).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Sibling {
  readonly path: string;
  readonly gz: boolean;
  /** The file listed under that name: the next rotation may put another file there. */
  readonly ino?: number;
  readonly dev?: number;
  /** Device, inode and birth time: unlike the inode alone, not handed on to the next file. */
  readonly id?: string;
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
  for (const name of names) {
    if (!name.startsWith(base) || name === base) continue;
    const m = /^[.-](\d{8}-\d{6}|\d{1,14})(\.gz)?$/.exec(name.slice(base.length));
    if (m === null) continue;
    const n = Number(m[1]!.replace('-', ''));
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
    found.push({ s: { path, gz: m[2] !== undefined, ino: st.ino, dev: st.dev, id: fileId(st) }, age: n < 1e7 ? n : -n, mtime: st.mtimeMs });
  }
  found.sort((a, b) => b.age - a.age || a.mtime - b.mtime);
  // gzip writes `x.gz` beside `x` and removes `x` when done: until then `x` is the whole copy.
  const plain = new Set(found.filter((f) => !f.s.gz).map((f) => f.s.path));
  return found.filter((f) => !(f.s.gz && plain.has(f.s.path.slice(0, -3)))).map((f) => f.s);
}

