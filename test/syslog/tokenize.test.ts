// The tokenizer is the daemon's only reader of syslog headers: it must find the same tag, pid and
// message as the old string parser (now the test oracle) on every line that parser accepted, refuse
// every line it refused, and give each record its time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/syslog/record.js';
import { emptyRecord, tokenize } from '../../src/syslog/tokenize.js';
import { YearClock } from '../../src/syslog/year.js';
import { parseHeader } from '../classify/oracle.js';

const clock = () => new YearClock(() => new Date(2026, 10, 29, 12).getTime());

function tok(line: string, c = clock()): (LogRecord & { text: Record<string, string> }) | null {
  // inside a larger buffer, as the line splitter hands lines over
  const buf = Buffer.from(`x]: y\n${line}\n]: NOQUEUE: reject: `, 'latin1');
  const r = emptyRecord();
  if (!tokenize(buf, 6, 6 + Buffer.byteLength(line, 'latin1'), r, c)) return null;
  const s = (a: number, b: number) => buf.toString('latin1', a, b);
  return { ...r, text: { host: s(r.hostStart, r.hostEnd), ident: s(r.identStart, r.identEnd), pid: s(r.pidStart, r.pidEnd), msg: s(r.msgStart, r.msgEnd) } };
}

const FIXTURES = ['classic.log', 'rfc3339.log', 'maillog_file.log'].flatMap((f) =>
  readFileSync(`fixtures/logs/${f}`, 'latin1').split('\n').filter((l) => l !== ''),
);

describe('tokenize', () => {
  it.each([
    ['classic syslog', 'Nov 22 02:43:13 mx1 postfix/smtp[123]: ABC: x', new Date(2026, 10, 22, 2, 43, 13).getTime()],
    ['classic syslog, space-padded day', 'Nov  2 02:43:13 mx1 postfix/smtp[123]: ABC: x', new Date(2026, 10, 2, 2, 43, 13).getTime()],
    ['postlogd maillog_file', 'Nov 22 02:43:13.123456 mx1 postfix/smtp[123]: ABC: x', new Date(2026, 10, 22, 2, 43, 13, 123).getTime()],
    ['rsyslog RFC 3339', '2026-11-22T02:43:13.123456+00:00 mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 10, 22, 2, 43, 13, 123)],
    ['RFC 3339 in UTC with Z', '2026-11-22T02:43:13Z mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 10, 22, 2, 43, 13)],
    ['RFC 3339 east of UTC', '2026-11-22T02:43:13.5+05:30 mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 10, 21, 21, 13, 13, 500)],
    ['RFC 3339 west of UTC, across a month', '2026-11-30T22:00:00-03:00 mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 11, 1, 1)],
    ['journalctl -o short-iso (offset without colon)', '2026-11-22T02:43:13+0100 mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 10, 22, 1, 43, 13)],
    ['journalctl -o short-iso-precise', '2026-11-22T02:43:13.123456-0330 mx1 postfix/smtp[123]: ABC: x', Date.UTC(2026, 10, 22, 6, 13, 13, 123)],
  ])('reads host, tag, pid, message and time after a %s time stamp', (_, line, time) => {
    const r = tok(line)!;
    expect(r.text).toEqual({ host: 'mx1', ident: 'postfix/smtp', pid: '123', msg: 'ABC: x' });
    expect(r.time).toBe(time);
  });

  it('drops one CR before the line end, and only one', () => {
    expect(tok('Nov 22 02:43:13 mx1 postfix/smtp[1]: ABC: x\r')!.text.msg).toBe('ABC: x');
    expect(tok('Nov 22 02:43:13 mx1 postfix/smtp[1]: ABC: x\r\r')!.text.msg).toBe('ABC: x\r');
  });

  it('keeps a well-formed time stamp of no real time as a record with time NaN (the form decides, as before)', () => {
    for (const ts of ['Feb 30 02:43:13', 'Nov 22 25:00:00', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-22T02:43:13+24:00']) {
      expect(tok(`${ts} mx1 postfix/smtp[1]: ABC: x`)?.time).toBeNaN();
    }
  });

  it('refuses a Postfix tag quoted inside another program\'s message, and a host that ends in "]:"', () => {
    expect(tok('Nov 22 02:43:13 mx1 evil: postfix/smtp[1]: ABC: to=<a>')).toBeNull();
    expect(tok('Nov 22 02:43:13 mx1 sshd[7]: Invalid user postfix/smtp[1]: ABC: to=<a>')).toBeNull();
    expect(tok('Nov 22 02:43:13 x]: postfix/smtp[1]: ABC: to=<a>')).toBeNull();
  });

  it.each([
    ['a month that is 3 letters of "JanFeb..." but no month', 'anF 22 02:43:13 mx1 postfix/smtp[1]: x'],
    ['a tag that is not Postfix', 'Nov 22 02:43:13 mx1 dovecot/imap[1]: x'],
    ['a syslog name without a program', 'Nov 22 02:43:13 mx1 postfix[1]: x'],
    ['five components', 'Nov 22 02:43:13 mx1 postfix/a/b/c/smtp[1]: x'],
    ['no pid', 'Nov 22 02:43:13 mx1 postfix/smtp: x'],
    ['a pid of 11 digits', 'Nov 22 02:43:13 mx1 postfix/smtp[12345678901]: x'],
    ['no host', 'Nov 22 02:43:13 postfix/smtp[1]: x'],
    ['two hosts', '2026-11-22T02:43:13Z mx1 mx2 postfix/smtp[1]: x'],
    ['an RFC 3339 stamp without zone', '2026-11-22T02:43:13 mx1 postfix/smtp[1]: x'],
    ['an offset of hours only', '2026-11-22T02:43:13+01 mx1 postfix/smtp[1]: x'],
    ['an offset of three digits', '2026-11-22T02:43:13+010 mx1 postfix/smtp[1]: x'],
    ['an offset with a colon and one minute digit', '2026-11-22T02:43:13+01:0 mx1 postfix/smtp[1]: x'],
    ['a fraction of 10 digits', 'Nov 22 02:43:13.1234567890 mx1 postfix/smtp[1]: x'],
    ['no space after "]:"', 'Nov 22 02:43:13 mx1 postfix/smtp[1]:x'],
    ['empty input', ''],
  ])('refuses %s', (_, line) => {
    expect(tok(line)).toBeNull();
  });

  it('accepts exactly the lines the string oracle accepts, with the same tag, pid and message, on every fixture line and its mutations', () => {
    const mutants = [' ', '/', ':', '[', ']', '.', '-', 'x', '0', 'T', 'Z', '+', '\r'];
    const lines: string[] = [];
    for (const l of FIXTURES.filter((_, i) => i % 20 === 0)) {
      lines.push(l);
      const head = Math.min(l.length, l.indexOf(']: ') + 12);
      for (let i = 0; i < head; i++) {
        for (const m of mutants) lines.push(l.slice(0, i) + m + l.slice(i + 1));
        lines.push(l.slice(0, i) + l.slice(i + 1), l.slice(0, i));
      }
    }
    expect(lines.length).toBeGreaterThan(20_000);
    let accepted = 0;
    const differ: string[] = [];
    for (const line of lines) {
      const h = parseHeader(line.endsWith('\r') ? line.slice(0, -1) : line);
      const r = tok(line);
      if (r !== null) accepted++;
      const parts = r?.text.ident.split('/') ?? [];
      const got = r && { name: parts[0], program: parts[parts.length - 1], service: parts.length > 2 ? parts[parts.length - 2] : '', pid: r.text.pid, msg: r.text.msg };
      if (JSON.stringify(h) !== JSON.stringify(got) && differ.length < 5) differ.push(line);
    }
    expect(differ).toEqual([]);
    expect(accepted).toBeGreaterThan(FIXTURES.length / 20);
  });

  it('gives every fixture line a time within its log (Nov 29, 2026)', () => {
    const c = clock();
    for (const l of FIXTURES) {
      const r = tok(l, c)!;
      expect(new Date(r.time).getUTCFullYear()).toBe(2026);
      expect(Math.abs(r.time - Date.UTC(2026, 10, 29, 14))).toBeLessThan(86_400_000);
    }
  });
});
