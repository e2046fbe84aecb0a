// journalctl's command line, from where to read and where to resume. Facts about journalctl 252
// (Debian 12) that decide it, each checked in test/source/journal/journalctl.test.ts:
// - `--follow` implies `--boot` (the newest boot in the journal read) unless `--merge` is given:
//   resuming from a cursor of an earlier boot would silently skip the rest of that boot. Hence
//   `--merge` always; for the system journal it would also take in other machines' journals
//   (`/var/log/journal/remote`), so the entries are matched to this machine's id instead.
// - `--cursor` (not `--after-cursor`) prints the cursor's own entry first when it still exists
//   (after any entry of another file logged in the same microsecond: it seeks each file by time);
//   when it does not (vacuumed), journalctl starts at the next entry after its position without a
//   word, so that first entry is the only way to tell a gap.
// - Only the last of several `-D` options counts; `--file` may repeat.
// - `--follow` on a relative `--file` path fails ("Failed to get journal fd") and exits 0: paths are
//   made absolute.
// - `--output=export` with `--output-fields` still prints `__CURSOR` and `__REALTIME_TIMESTAMP`;
//   the other fields of an entry (often 20-30) are not sent at all.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type JournalScope = { readonly mode: 'system' } | { readonly dirs: readonly string[] } | { readonly files: readonly string[] };

/** The entry fields the source reads; journalctl sends these and its `__` fields only. */
export const OUTPUT_FIELDS = ['_HOSTNAME', 'SYSLOG_IDENTIFIER', 'SYSLOG_PID', '_PID', 'MESSAGE'] as const;

export interface ArgsOptions {
  readonly follow: boolean;
  /** Resume at this cursor's entry (inclusive), else at the oldest entry. */
  readonly cursor: string | null;
  /** For the system journal: only this machine's entries. */
  readonly machineId?: string | null;
}

/** `files`: the journal files to read, for a scope of several directories (see dir-files.ts). */
export function journalctlArgs(scope: JournalScope, o: ArgsOptions, files?: readonly string[]): string[] {
  const a = ['--output=export', `--output-fields=${OUTPUT_FIELDS.join(',')}`, '--merge', '--no-pager', '--no-tail'];
  if (o.follow) a.push('--follow');
  if (o.cursor !== null) a.push(`--cursor=${o.cursor}`);
  if ('dirs' in scope && scope.dirs.length === 1 && files === undefined) a.push(`--directory=${resolve(scope.dirs[0]!)}`);
  else if ('dirs' in scope || 'files' in scope) {
    for (const f of files ?? ('files' in scope ? scope.files : [])) a.push(`--file=${resolve(f)}`);
  } else if (o.machineId) a.push(`_MACHINE_ID=${o.machineId}`);
  return a;
}

export function localMachineId(): string | null {
  try {
    const id = readFileSync('/etc/machine-id', 'latin1').trim();
    return /^[0-9a-f]{32}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
