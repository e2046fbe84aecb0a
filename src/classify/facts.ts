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

const CONTROL = /[\x00-\x1f\x7f]/;
const CONTROLS = /[\x00-\x1f\x7f]/g;

export function factText(s: string): string {
  // Control bytes never reach a report: a hostile log line cannot forge a line of it.
  const clean = CONTROL.test(s) ? s.replace(CONTROLS, '?') : s;
  return clean.length <= MAX_FACT_TEXT ? clean : `${clean.slice(0, MAX_FACT_TEXT - 1)}…`;
}

/** An address's domain, lower case; `<>` for the null sender, the whole (local) name when it has no `@`. */
export function domainOf(address: string): string {
  if (address === '') return '<>';
  const at = address.lastIndexOf('@');
  return factText((at < 0 ? address : address.slice(at + 1)).toLowerCase());
}
