// What a report needs beyond the counters, as the classifier hands it over: one row increment of a
// per-day table (a recipient domain's deliveries, a reject reason, a warning). The classifier only
// names the row; which day it lands in, the caps and the storage are the history's (src/history/).

/** The per-day tables, in the order a report prints them. */
export const FACT_TABLES = [
  'recipientDomains', // Host/Domain Summary: Message Delivery (sent, bytes, defers, delays)
  'senderDomains', // Host/Domain Summary: Messages Received
  'senders', // by count and size; domains unless --addresses
  'recipients', // by count and size; domains unless --addresses
  'rejects', // group: stage (RCPT, CONNECT, header, postscreen...)
  'rejectWarnings', // group: stage
  'deferrals', // group: transport; item: reason
  'bounces', // group: transport; item: reason
  'smtpFailures', // group: transport; item: what the connection failed with
  'warnings', // group: program
  'fatals', // group: program
  'panics', // group: program
  'master', // master daemon messages
  'messages', // per message, not per line: `deferred` (deferred at least once), `forwarded`
] as const;

export type FactTable = (typeof FACT_TABLES)[number];

/** One increment of a table row; absent fields add nothing. */
export interface Fact {
  readonly count?: number;
  readonly bytes?: number;
  readonly defers?: number;
  /** A delivery's delay in seconds: summed over sent, and its maximum over sent and deferred. */
  readonly delay?: number;
  /** The delay counts toward the sum (a delivery that was sent). */
  readonly sent?: boolean;
}

export interface FactSink {
  fact(table: FactTable, group: string, item: string, f: Fact): void;
}

/** Longest group or item text kept: reasons are long and from log text; what matters is at their start. */
const MAX_FACT_TEXT = 160;

/** Anything but printable ASCII: the one test most log text passes, so the rest is rarely run. */
const NOT_PLAIN = /[^\x20-\x7e]/;
const HIGH = /[\x80-\xff]/;
// C1 controls too: U+009B is a terminal's CSI, as ESC [ is
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Log text as a report shows it, from the line's bytes decoded one byte per character (latin1, as the
 * classifier reads them): bytes that are UTF-8 (Postfix logs SMTPUTF8 addresses, IDN domains and
 * milter replies as they came) are read as UTF-8, other bytes as latin1; control characters become
 * `?`, so a hostile log line cannot forge a line of a report; long text is cut. Called once per text:
 * its result is no longer one byte per character.
 */
export function factText(raw: string): string {
  let s = raw;
  if (NOT_PLAIN.test(s)) {
    if (HIGH.test(s)) s = utf8(s);
    s = s.replace(CONTROLS, '?');
  }
  if (s.length <= MAX_FACT_TEXT) return s;
  // never half of a surrogate pair
  const cut = MAX_FACT_TEXT - (isHighSurrogate(s.charCodeAt(MAX_FACT_TEXT - 2)) ? 2 : 1);
  return `${s.slice(0, cut)}…`;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

function utf8(latin1: string): string {
  try {
    return UTF8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1; // not UTF-8: a byte is its latin1 character
  }
}

/** An address (log text, as factText takes it) as the report keeps it: lower case; `<>` for the null sender. */
export function addressText(raw: string): string {
  return raw === '' ? '<>' : factText(raw).toLowerCase();
}

/** An address's domain (from log text, as factText takes it), lower case; `<>` for the null sender, the whole (local) name when it has no `@`. */
export function domainOf(address: string): string {
  if (address === '') return '<>';
  const at = address.lastIndexOf('@');
  // decoded before it is lowered: lowering one byte of a UTF-8 sequence as a latin1 letter corrupts it
  return factText(at < 0 ? address : address.slice(at + 1)).toLowerCase();
}
