// Log rotation the ways logrotate and `postfix logrotate` do it, on real files.
import { copyFileSync, existsSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export type Rotation = 'create' | 'delaycompress' | 'compress' | 'copytruncate' | 'postfix' | 'truncate';

function gzip(from: string, to: string): void {
  const st = statSync(from);
  writeFileSync(to, gzipSync(readFileSync(from)));
  utimesSync(to, st.atime, st.mtime); // as gzip(1) does
  unlinkSync(from);
}

/** logrotate's numbering: every `.N[.gz]` moves to `.N+1[.gz]`, oldest first. */
function shift(path: string): void {
  let top = 1;
  while (existsSync(`${path}.${top}`) || existsSync(`${path}.${top}.gz`)) top++;
  for (let n = top - 1; n >= 1; n--) {
    for (const ext of ['', '.gz']) if (existsSync(`${path}.${n}${ext}`)) renameSync(`${path}.${n}${ext}`, `${path}.${n + 1}${ext}`);
  }
}

function create(path: string): void {
  closeSync(openSync(path, 'a')); // never truncates what a writer may already have put there
}

let stamp = 0;

/**
 * Rotates by rename (then the writer must reopen, and the returned step compresses what the writer
 * no longer writes to, as logrotate compresses after postrotate and postfix after reopening postlogd)
 * or in place (copytruncate: the writer must be paused meanwhile).
 */
export function rotate(path: string, how: Exclude<Rotation, 'truncate'>): () => void {
  if (how === 'postfix') {
    const name = `${path}.20261122-${String(100000 + stamp++).slice(-6)}`;
    renameSync(path, name);
    create(path);
    return () => gzip(name, `${name}.gz`);
  }
  shift(path);
  if (how === 'copytruncate') {
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    return () => {};
  }
  renameSync(path, `${path}.1`);
  create(path);
  if (how === 'delaycompress' && existsSync(`${path}.2`)) gzip(`${path}.2`, `${path}.2.gz`);
  return how === 'compress' ? () => gzip(`${path}.1`, `${path}.1.gz`) : () => {};
}

export function truncate(path: string): void {
  truncateSync(path, 0);
}
