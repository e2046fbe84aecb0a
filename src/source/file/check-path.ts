// Whether a path can be followed as a log right now, for the daemon to refuse at start what never
// can be (a FIFO, a device, a directory) with an exit code, instead of waiting on it forever.
import { closeSync } from 'node:fs';
import { openProblem, openRegular, type OpenProblem } from './open.js';

export type PathCheck = { ok: true } | { ok: false; code: OpenProblem; message: string };

export function checkLogPath(path: string): PathCheck {
  try {
    closeSync(openRegular(path));
    return { ok: true };
  } catch (e) {
    return { ok: false, code: openProblem(e), message: `${path}: ${(e as Error).message}` };
  }
}
