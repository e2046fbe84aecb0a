// The report as a whole mail message for `sendmail -t -i`, which takes the recipients from To:.
// Header values come from the command line: a CR or LF in one would start a header (or the body)
// of the caller's choosing, so they are refused, never cleaned. The body is log text: it never
// reaches the header, and goes base64 if a line is longer than SMTP's 998 octets (or is a lone `.`).
import { randomBytes } from 'node:crypto';

export interface MailOptions {
  readonly to: string;
  /** Omitted: sendmail writes From: itself, the running user at $myorigin. */
  readonly from?: string;
  readonly subject: string;
  readonly date: Date;
  /** The host named in Message-ID (the machine's name). */
  readonly host: string;
  readonly html: boolean;
}

export type BuiltMail = { ok: true; message: string } | { ok: false; error: string };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC with a numeric zone (`GMT` is obsolete syntax). */
export function rfc5322Date(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A header value kept as is when printable ASCII, else an RFC 2047 encoded-word per chunk. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  // Lines stay under 78 characters with `Subject: ` in front: 36 bytes of UTF-8 are 48 of base64,
  // 60 with the encoded-word's frame; no character is split.
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch) > 36) (words.push(chunk), (chunk = ''));
    chunk += ch;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** Why a header value is refused, or null. */
function refuse(name: string, value: string): string | null {
  if (/[\r\n\0]/.test(value)) return `${name} must not contain CR, LF or NUL`;
  if (value.trim() === '' && name !== '--subject') return `${name} is empty`;
  return null;
}

/** `postfix.example.org` from the machine's name, for Message-ID; `localhost` if it is unusable. */
function idHost(host: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(host) ? host : 'localhost';
}

export function buildMail(body: string, o: MailOptions): BuiltMail {
  for (const [name, value] of [['--mail-to', o.to], ['--mail-from', o.from], ['--subject', o.subject]] as const) {
    if (value === undefined) continue;
    const why = refuse(name, value);
    if (why !== null) return { ok: false, error: why };
  }
  // A lone `.` ends the message for a sendmail run without -i; base64 has neither problem.
  const long = body.split('\n').some((l) => Buffer.byteLength(l) > 998 || l === '.' || l === '.\r');
  const content = long
    ? Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\n')
    : body;
  const headers = [
    `To: ${o.to}`,
    ...(o.from === undefined ? [] : [`From: ${o.from}`]),
    `Subject: ${encodeHeader(o.subject)}`,
    `Date: ${rfc5322Date(o.date)}`,
    `Message-ID: <${o.date.getTime()}.${randomBytes(6).toString('hex')}.postfix-stats-report@${idHost(o.host)}>`,
    'MIME-Version: 1.0',
    `Content-Type: text/${o.html ? 'html' : 'plain'}; charset=utf-8`,
    `Content-Transfer-Encoding: ${long ? 'base64' : '8bit'}`,
    'Auto-Submitted: auto-generated',
  ];
  // sendmail -t takes LF line ends (Postfix's sendmail turns them into CRLF); so does the header.
  return { ok: true, message: `${headers.join('\n').replace(/\r\n/g, '\n')}\n\n${content.endsWith('\n') ? content : `${content}\n`}` };
}

/** The default subject: `Postfix stats for HOST DAY`. */
export function defaultSubject(host: string, label: string): string {
  return `Postfix stats for ${host} ${label}`;
}
