// The journal source's checkpoint: the cursor of the last entry handed over, as journalctl printed
// it. Cursors are opaque to us; only their shape is checked, so a damaged checkpoint is refused
// instead of reaching journalctl, which would fail on it at every restart.

export interface JournalCheckpoint {
  readonly journal: string;
}

/** `s=<hex>;i=<hex>;b=<hex>;...`: key=hex pairs; journald may add keys, so none is required by name. */
const CURSOR = /^[a-z]=[0-9a-f]{1,64}(;[a-z]=[0-9a-f]{1,64}){1,15}$/;

export function isCursor(s: unknown): s is string {
  return typeof s === 'string' && CURSOR.test(s);
}

export function isJournalCheckpoint(c: unknown): c is JournalCheckpoint {
  return typeof c === 'object' && c !== null && isCursor((c as { journal?: unknown }).journal);
}
