// What a report needs beyond the counters, as the classifier hands it over: one row increment of a
// per-day table (a recipient domain's deliveries, a reject reason, a warning). The classifier only
// names the row; which day it lands in, the caps and the storage are the history's (src/history/).
import { displayText } from '../syslog/display.js';

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
export const MAX_FACT_TEXT = 160;

/**
 * Log text as a report's table keeps it: shown as people read it (syslog/display.ts: UTF-8 read as
 * UTF-8, no control or format character), and cut. Takes the text as the classifier decoded it, one
 * character per byte, and is called once per text: its result is no longer one byte per character.
 */
export function factText(raw: string): string {
  const s = displayText(raw);
  if (s.length <= MAX_FACT_TEXT) return s;
  // never half of a surrogate pair
  const cut = MAX_FACT_TEXT - (isHighSurrogate(s.charCodeAt(MAX_FACT_TEXT - 2)) ? 2 : 1);
  return `${s.slice(0, cut)}…`;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** An address (log text, as factText takes it) as the report keeps it: lower case; `<>` for the null sender. */
export function addressText(raw: string): string {
  return raw === '' ? '<>' : factText(raw).toLowerCase();
}

/** A sender's address as the senders table keeps it with --addresses: `from=<>` for the null sender, as pflogsumm shows it. */
export function senderText(raw: string): string {
  return raw === '' ? 'from=<>' : addressText(raw);
}

/**
 * The domain a message was sent from, for Messages Received: its sender's, as pflogsumm reads it. A
 * sender without one (the null sender of a bounce, a local name) is counted by the client that
 * sent it (`client`, smtpd's `client=` value), reduced as pflogsumm reduces it; mail from pickup
 * (no client) by the name itself, `from=<>` for the null sender.
 */
export function sendingDomain(address: string, client: string): string {
  // pflogsumm's /^[^@]+\@(.+)$/: a local part and a domain, else the client (`user@` has no domain)
  const at = address.indexOf('@');
  if (at > 0 && at < address.length - 1) return domainOf(address);
  const fromClient = client === '' ? '' : clientDomain(client);
  if (fromClient !== '') return factText(fromClient);
  return address === '' ? 'from=<>' : domainOf(address);
}

// pflogsumm's reading of a client (its gimme_domain): `name[IPv4]`, the older `name/ip`, or any
// `name[addr]`; an unknown name gives its address; three or more labels are cut to the last two
// (three when the last two look like `co.uk`), lowered only then.
const CLIENT_V4 = /^([^[]*)\[((?:\d{1,3}\.){3}\d{1,3})\]/;
const CLIENT_SLASH = /^([^/]*)\/([0-9a-f.:]+)/i;
const CLIENT_ANY = /^([^[(/]*)[[(/]([^\])]+)[\])]:?\d*$/;
const REGISTERED = /^(?:.*)\.([^.]+)\.([^.]{3}|[^.]{2,3}\.[^.]{2})$/;

function clientDomain(client: string): string {
  const m = CLIENT_V4.exec(client) ?? CLIENT_SLASH.exec(client) ?? CLIENT_ANY.exec(client);
  if (m === null) return '';
  const name = m[1]!;
  if (name === '' || name === 'unknown') return m[2]!;
  const r = REGISTERED.exec(name);
  return r === null ? name : `${r[1]}.${r[2]}`.toLowerCase();
}

/** An address's domain (from log text, as factText takes it), lower case; `<>` for the null sender, the whole (local) name when it has no `@`. */
export function domainOf(address: string): string {
  if (address === '') return '<>';
  const at = address.lastIndexOf('@');
  // decoded before it is lowered: lowering one byte of a UTF-8 sequence as a latin1 letter corrupts it
  return factText(at < 0 ? address : address.slice(at + 1)).toLowerCase();
}
