// Opens a file only if it is a regular one. A FIFO blocks open(2) until a writer comes (and the
// daemon with it, deaf to SIGTERM), a device like /dev/zero never ends, a directory cannot be read:
// none of them can be a log. The name is checked before opening, so such a file is never opened at
// all, and the descriptor after, since another file may take the name in between; O_NONBLOCK keeps
// that open from blocking should it be a FIFO, and O_NOCTTY from taking a terminal.
import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';

export type OpenProblem = 'missing' | 'not_regular' | 'unreadable';

export class NotRegularFile extends Error {
  readonly code = 'ENOTREG';

  constructor(readonly kind: string) {
    super(`is a ${kind}, not a regular file`);
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

export function openRegular(path: string): number {
  refuseUnlessRegular(statSync(path));
  const fd = openSync(path, FLAGS);
  try {
    refuseUnlessRegular(fstatSync(fd));
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** What an error of openRegular means for a log that should be there. */
export function openProblem(e: unknown): OpenProblem {
  if (e instanceof NotRegularFile) return 'not_regular';
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
}

function refuseUnlessRegular(st: Stats): void {
  if (!st.isFile()) throw new NotRegularFile(kindOf(st));
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isDirectory()) return 'directory';
  if (st.isSocket()) return 'socket';
  return 'special file';
}
