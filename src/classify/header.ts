// The syslog header of a Postfix line, located by structure rather than by substring search, so that
// text quoted inside a message (a Subject: header, a hostile HELO) can never pose as a Postfix tag.

export interface Header {
  /** Last component of the tag: smtpd, smtp, cleanup, qmgr, pipe, ... */
  readonly program: string;
  /** Middle component of the tag (`postfix/submission/smtpd` gives `submission`), or '' when absent. */
  readonly service: string;
  /** The process id in `[...]`: names one smtpd session's process. */
  readonly pid: string;
  /** The text after `]: `. */
  readonly msg: string;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
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
    return mon.length === 3 && MONTHS.includes(mon) && /^\d{1,2}$/.test(day) && /^\d\d:\d\d:\d\d(\.\d{1,9})?$/.test(time);
  }
  return false;
}

function isRfc3339(t: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(t);
}

function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from || to - from > 10) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
