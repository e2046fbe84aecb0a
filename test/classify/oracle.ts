// The test oracle: the string classifier the daemon used before the byte-level tokenizer and
// classifier (src/syslog/tokenize.ts, src/classify/classify.ts), kept as an independent reading of
// the same grammar. The header is parsed with strings and regular expressions here, the message
// split with indexOf; only the rule table and its effects are shared, as they are the meaning being
// tested, not the parsing. The agreement tests hold both to the same counts line by line.
import { apply, NO_FILTERS, type ClassifyOptions, type Sink } from '../../src/classify/effects.js';
import { isQueueId } from '../../src/classify/names.js';
import { COUNTED_PROGRAMS } from '../../src/classify/rules.js';
import type { QueueState } from '../../src/classify/queue.js';

// The syslog header of a Postfix line, located by structure rather than by substring search, so that
// text quoted inside a message (a Subject: header, a hostile HELO) can never pose as a Postfix tag.

export interface Header {
  /** First component of the tag, the syslog name: `postfix`, or a postmulti instance's (`postfix-out`). */
  readonly name: string;
  /** Last component of the tag: smtpd, smtp, cleanup, qmgr, pipe, ... */
  readonly program: string;
  /** Middle component of the tag (`postfix/submission/smtpd` gives `submission`), or '' when absent. */
  readonly service: string;
  /** The process id in `[...]`: names one smtpd session's process. */
  readonly pid: string;
  /** The text after `]: `. */
  readonly msg: string;
}

// (until the tokenizer, any 3 letters of 'JanFeb...Dec' passed, `anF` too: only real months now)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SYSLOG_NAME = /^postfix[A-Za-z0-9_.-]{0,32}$/;
const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Accepts the three timestamp forms Postfix logs appear in: classic syslog (`Nov  2 02:43:13 host`),
 * RFC 3339 (`2026-11-22T02:43:13.123456+00:00 host`, rsyslog's file format) and postlogd's
 * `maillog_file` (`Nov 22 02:43:13.123456 host`). Returns null for anything else.
 */
export function parseHeader(line: string): Header | null {
  const end = line.indexOf(']: ');
  if (end < 0) return null;
  const tagStart = line.lastIndexOf(' ', end) + 1;
  if (tagStart === 0 || !prefixIsTimestampAndHost(line, tagStart - 1)) return null;
  const open = line.indexOf('[', tagStart);
  if (open < 0 || open > end || !isDigits(line, open + 1, end)) return null;
  const parts = line.slice(tagStart, open).split('/');
  if (parts.length < 2 || parts.length > 4 || !SYSLOG_NAME.test(parts[0]!)) return null;
  for (let i = 1; i < parts.length; i++) if (!COMPONENT.test(parts[i]!)) return null;
  return {
    name: parts[0]!,
    program: parts[parts.length - 1]!,
    service: parts.length > 2 ? parts[parts.length - 2]! : '',
    pid: line.slice(open + 1, end),
    msg: line.slice(end + 3),
  };
}

function prefixIsTimestampAndHost(line: string, stop: number): boolean {
  const tokens = line.slice(0, stop).split(' ').filter((t) => t !== '');
  if (tokens.length === 2) return isRfc3339(tokens[0]!);
  if (tokens.length === 4) {
    const [mon, day, time] = tokens as [string, string, string];
    return MONTHS.includes(mon) && /^\d{1,2}$/.test(day) && /^\d\d:\d\d:\d\d(\.\d{1,9})?$/.test(time);
  }
  return false;
}

function isRfc3339(t: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)$/.test(t);
}

function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from || to - from > 10) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One line in, counter increments out: what classify(tokenize(line)) must do. */
export function step(state: QueueState, line: string, out: Sink, opts: ClassifyOptions = NO_FILTERS): void {
  // relays and log collectors that write CRLF: the `\r` would defeat every `$`-anchored rule
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const h = parseHeader(line);
  if (h === null || !COUNTED_PROGRAMS.has(h.program)) return;
  const colon = h.msg.indexOf(': ');
  const head = colon < 0 ? '' : h.msg.slice(0, colon);
  const qid = head === 'NOQUEUE' ? null : isQueueId(head) ? head : undefined;
  const text = qid === undefined ? h.msg : h.msg.slice(colon + 2);
  if (h.name === 'postfix') return apply(h.program, h.service, h.pid, qid, text, state, out, opts);
  // another instance: its own queue ids and processes, its counts in its own keys as well
  const instance = h.name.toLowerCase();
  const both: Sink = {
    add: (k, n) => (out.add(k, n), k.startsWith('self:') ? undefined : out.add(`${instance}/${k}`, n)),
  };
  const own = (id: string) => `${h.name}|${id}`;
  apply(h.program, h.service, own(h.pid), typeof qid === 'string' ? own(qid) : qid, text, state, both, opts, instance);
}
