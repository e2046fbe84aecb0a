import { describe, expect, it } from 'vitest';
import { parseHeader } from './oracle.js';

// The oracle's own header parser must read what the daemon's did, or agreeing with it proves nothing.
describe('oracle parseHeader', () => {
  it.each([
    ['classic syslog', 'Nov 22 02:43:13 mx1 postfix/smtp[123]: ABC: x'],
    ['classic syslog, space-padded day', 'Nov  2 02:43:13 mx1 postfix/smtp[123]: ABC: x'],
    ['rsyslog RFC 3339', '2026-11-22T02:43:13.123456+00:00 mx1 postfix/smtp[123]: ABC: x'],
    ['RFC 3339 in UTC with Z', '2026-11-22T02:43:13Z mx1 postfix/smtp[123]: ABC: x'],
    ['postlogd maillog_file', 'Nov 22 02:43:13.123456 mx1 postfix/smtp[123]: ABC: x'],
  ])('reads the tag after a %s timestamp', (_, line) => {
    expect(parseHeader(line)).toEqual({ name: 'postfix', program: 'smtp', service: '', pid: '123', msg: 'ABC: x' });
  });

  it.each([
    ['postfix/submission/smtpd', 'postfix', 'smtpd', 'submission'],
    ['postfix/relay/smtp', 'postfix', 'smtp', 'relay'],
    ['postfix-out/smtp', 'postfix-out', 'smtp', ''],
    ['postfix-out/submission/smtpd', 'postfix-out', 'smtpd', 'submission'],
  ])('splits the syslog name %s into instance, program and service', (tag, name, program, service) => {
    expect(parseHeader(`Nov 22 02:43:13 mx1 ${tag}[9]: x`)).toMatchObject({ name, program, service });
  });

  it.each([
    ['another program quoting a Postfix tag', 'Nov 22 02:43:13 mx1 evil: postfix/smtp[1]: ABC: to=<a>'],
    ['a tag that is not Postfix', 'Nov 22 02:43:13 mx1 dovecot/imap[1]: x'],
    ['a program without pid', 'Nov 22 02:43:13 mx1 postfix/smtp: x'],
    ['no timestamp', 'mx1 postfix/smtp[1]: x'],
    ['a non-numeric pid', 'Nov 22 02:43:13 mx1 postfix/smtp[1a]: x'],
    ['a path-like tag', 'Nov 22 02:43:13 mx1 postfix/../../x[1]: x'],
    ['empty input', ''],
  ])('rejects %s', (_, line) => {
    expect(parseHeader(line)).toBeNull();
  });
});
