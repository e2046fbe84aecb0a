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
}

export function rotatedSiblings(logPath: string): Sibling[] {
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
    // Larger `age` is older: a rotation number counts up with age, a date (8 digits or more) down.
    found.push({ s: { path, gz: m[2] !== undefined, ino: st.ino, dev: st.dev }, age: n < 1e7 ? n : -n, mtime: st.mtimeMs });
  }
  found.sort((a, b) => b.age - a.age || a.mtime - b.mtime);
  // gzip writes `x.gz` beside `x` and removes `x` when done: until then `x` is the whole copy.
  const plain = new Set(found.filter((f) => !f.s.gz).map((f) => f.s.path));
  return found.filter((f) => !(f.s.gz && plain.has(f.s.path.slice(0, -3)))).map((f) => f.s);
}

