// The helper's reads from the store, one short-lived Reader each: open, read, close. Closing every
// time is what keeps a reader slot from leaking, and reopening sees a database the daemon recreated.
import { Reader, type OpenResult } from '../store/reader.js';
import { EXIT } from './get-args.js';
import { servable, type TableRow } from './table.js';

export type Read<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

function exitCode(reason: Extract<OpenResult, { ok: false }>['reason']): number {
  return reason === 'missing' ? EXIT.noInput : reason === 'denied' ? EXIT.noPerm : EXIT.ioErr;
}

export function withReader<T>(db: string, read: (r: Reader) => T): Read<T> {
  const opened = Reader.open(db);
  if (!opened.ok) return { ok: false, code: exitCode(opened.reason), message: opened.message };
  try {
    return { ok: true, value: read(opened.reader) };
  } catch (e) {
    return { ok: false, code: EXIT.ioErr, message: `cannot read ${db}: ${(e as Error).message}` };
  } finally {
    opened.reader.close();
  }
}

/** The table's rows, fresh from the store, or null when it cannot be read right now. */
export function tableRows(db: string): TableRow[] | null {
  const r = withReader(db, (reader) => servable(reader.rows()));
  return r.ok ? r.value : null;
}
