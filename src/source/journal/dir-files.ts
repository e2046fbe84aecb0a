// Several journal directories at once. journalctl reads one `-D` only, so their files are passed as
// `--file`s, a list journalctl never extends: the directories are watched here, and a change of the
// list restarts journalctl from the last cursor (see JournalSource).
import { readdirSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';

/** Active and archived journal files; `.journal~` is what journald renames a damaged file to. */
const JOURNAL_FILE = /\.journal~?$/;
/** A machine-id subdirectory, as in /var/log/journal/<id>/ (journalctl -D looks into these too). */
const MACHINE_DIR = /^[0-9a-f]{32}$/;

export function listJournalFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const dir = resolve(d);
    for (const n of entries(dir)) {
      if (n.isFile() && JOURNAL_FILE.test(n.name)) out.push(join(dir, n.name));
      else if (n.isDirectory() && MACHINE_DIR.test(n.name)) {
        for (const m of entries(join(dir, n.name))) if (m.isFile() && JOURNAL_FILE.test(m.name)) out.push(join(dir, n.name, m.name));
      }
    }
  }
  return out.sort();
}

/** A directory missing or removed meanwhile holds no files (yet). */
function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Calls `onChange` when a watched directory's entries change (it may call it for no change). */
export class DirWatch {
  private readonly watchers: FSWatcher[] = [];

  constructor(dirs: readonly string[], onChange: () => void) {
    for (const d of dirs) {
      try {
        const w = watch(resolve(d), { persistent: false }, () => onChange());
        w.on('error', () => onChange());
        this.watchers.push(w);
      } catch {
        // a directory that does not exist yet: the periodic re-listing (JournalSource.wait) finds it
      }
    }
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
  }
}
