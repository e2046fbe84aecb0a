// The syslog identifier of a Postfix daemon, `postfix[-name]/[service/]program`: the syslog name
// (`syslog_name`, which must start with `postfix`), the master.cf service when it is not the
// default one, and the program. The tokenizer reads it to refuse other programs' lines; the
// classifier to split it, whichever source handed the record over (a journal's SYSLOG_IDENTIFIER too).
import { ALNUM, CLASS, NAMECH, SLASH, bytesAt } from './bytes.js';

export interface IdentParts {
  /** Where the syslog name ends (`postfix-out/smtp`: at the `/`); 7 bytes past the start for `postfix`. */
  nameEnd: number;
  /** The service between the syslog name and the program; serviceStart === serviceEnd when none. */
  serviceStart: number;
  serviceEnd: number;
  programStart: number;
}

const POSTFIX = Buffer.from('postfix', 'latin1');
/** The syslog name `postfix[A-Za-z0-9_.-]{0,32}`, then 1-3 components `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`. */
const MAX_NAME = POSTFIX.length + 32;
const MAX_COMPONENT = 64;
const MAX_PARTS = 4;

/**
 * Reads a Postfix identifier from `start`: returns where it ends (the first byte, before `limit`,
 * that can be part of none: `[` in a syslog tag), or -1 when what stands there is not one. Fills
 * `out` (when given) with its parts.
 */
export function identEnd(buf: Uint8Array, start: number, limit: number, out: IdentParts | null): number {
  let parts = 0;
  let prev = -1; // start of the component before the current one
  let p = start;
  let nameEnd = start;
  for (;;) {
    let q = p;
    while (q < limit && (CLASS[buf[q]!]! & NAMECH) !== 0) q++;
    if (parts === 0) {
      if (q - p < POSTFIX.length || q - p > MAX_NAME || !bytesAt(buf, p, POSTFIX)) return -1;
      nameEnd = q;
    } else if (q - p < 1 || q - p > MAX_COMPONENT || (CLASS[buf[p]!]! & ALNUM) === 0) {
      return -1;
    }
    if (++parts > MAX_PARTS) return -1;
    if (q >= limit || buf[q] !== SLASH) {
      if (parts < 2) return -1;
      if (out !== null) {
        out.nameEnd = nameEnd;
        out.programStart = p;
        out.serviceStart = parts > 2 ? prev : p - 1;
        out.serviceEnd = p - 1;
      }
      return q;
    }
    prev = p;
    p = q + 1;
  }
}
