// The daemon's path, tokenize() then classify() on the record's spans, must do exactly what the
// string oracle step() does on the decoded line: same counter increments and same queue-state
// changes, line by line, on every fixture line, on mutations of them (each header byte replaced by
// the characters the parsers care about, truncations) and on hand-made edge cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/classify/queue.js';
import { NO_FILTERS, type ClassifyOptions } from '../../src/classify/classify.js';
import { step } from './oracle.js';
import { classifyLine } from './line.js';
import { hasNul } from '../../src/source/file/lines.js';

const FIXTURES = ['classic.log', 'rfc3339.log', 'maillog_file.log'].map((f) =>
  readFileSync(`fixtures/logs/${f}`, 'latin1').split('\n').filter((l) => l !== ''),
);
const FILTERS: ClassifyOptions = { filterRelays: new Set(['127.0.0.1:10024', 'legal']), filterServices: new Set(['submission']) };

/** Runs both classifiers side by side; returns the first line where they differ, or null. */
function compare(lines: string[], opts: ClassifyOptions = NO_FILTERS): { line: string; slow: unknown; fast: unknown } | null {
  const slowState = new QueueState(100_000);
  const fastState = new QueueState(100_000);
  for (const line of lines) {
    const slow: string[] = [];
    const fast: string[] = [];
    step(slowState, line, { add: (k: string, n = 1) => slow.push(`${k}+${n}`) }, opts);
    // the line inside a larger buffer, as the splitter hands it over: bytes before and after it
    const buf = Buffer.from(`x]: y\n${line}\n]: NOQUEUE: reject: `, 'latin1');
    classifyLine(fastState, buf, { add: (k: string, n = 1) => fast.push(`${k}+${n}`) }, opts, 6, 6 + Buffer.byteLength(line, 'latin1'));
    const a = { adds: slow, queue: [...slowState.takeChanges()] };
    const b = { adds: fast, queue: [...fastState.takeChanges()] };
    if (JSON.stringify(a) !== JSON.stringify(b)) return { line, slow: a, fast: b };
  }
  return null;
}

const MUTANTS = [' ', '/', ':', '[', ']', '.', '-', '_', 'x', 'X', '0', 'A', 'e', 'T', 'Z', '+', '\t', '\xe9', 'N', '\r'];

function mutations(line: string): string[] {
  const out: string[] = [];
  const head = Math.min(line.length, line.indexOf(']: ') + 40);
  for (let i = 0; i < head; i++) {
    for (const m of MUTANTS) if (line[i] !== m) out.push(line.slice(0, i) + m + line.slice(i + 1));
    out.push(line.slice(0, i) + line.slice(i + 1)); // a byte deleted
    out.push(line.slice(0, i)); // truncated
  }
  return out;
}

describe('tokenize + classify agree with the string oracle', () => {
  it.each([0, 1, 2])('on every line of fixture %i, in order, with and without filters', (i) => {
    expect(compare(FIXTURES[i]!)).toBeNull();
    expect(compare(FIXTURES[i]!, FILTERS)).toBeNull();
  });

  it('on mutations of every distinct line shape of the fixtures', () => {
    // one line per (program, first word of the text) and format: every kind of line, mutated byte by byte
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const f of FIXTURES) {
      for (const l of f) {
        const m = /^(\S+)[^\]]*?(\S+)\[\d+\]: (?:\S+: )?(\S{1,8})/.exec(l);
        const key = m ? `${m[1]!.length}|${m[2]}|${m[3]}` : l;
        if (!seen.has(key)) seen.add(key), lines.push(l);
      }
    }
    expect(lines.length).toBeGreaterThan(50);
    for (const l of lines) {
      const r = compare([l, ...mutations(l)]);
      expect(r).toBeNull();
    }
  });

  it('on hand-made edge cases of the header and queue id', () => {
    const T = 'Nov 22 02:43:13 mx1';
    const tail = 'ABCDEF: to=<a@b>, relay=x[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 ok)';
    const lines = [
      `${T} postfix/smtp[1]: ${tail}`,
      `Nov  2 02:43:13 mx1 postfix/smtp[1]: ${tail}`,
      `Nov 02 02:43:13.123456789 mx1 postfix/smtp[1]: ${tail}`,
      `Nov 02 02:43:13.1234567890 mx1 postfix/smtp[1]: ${tail}`,
      `Nov 02 02:43:13. mx1 postfix/smtp[1]: ${tail}`,
      `anF 2 02:43:13 mx1 postfix/smtp[1]: ${tail}`, // not a month (the old header.ts took any 3 letters of 'JanFeb...')
      `Feb 30 02:43:13 mx1 postfix/smtp[1]: ${tail}`, // a well-formed stamp of no real day: counted, its time NaN
      `Nov 22 25:61:61 mx1 postfix/smtp[1]: ${tail}`,
      `2026-13-45T25:00:00Z mx1 postfix/smtp[1]: ${tail}`,
      `Jan 123 02:43:13 mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13Z mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13.1+01:00 mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13.1+0100 mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13 mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13Z  mx1   postfix/smtp[1]: ${tail}`,
      ` 2026-11-22T02:43:13Z mx1 postfix/smtp[1]: ${tail}`,
      `2026-11-22T02:43:13Z mx1 extra postfix/smtp[1]: ${tail}`,
      `${T} postfix/smtp[12345678901]: ${tail}`,
      `${T} postfix/smtp[1234567890]: ${tail}`,
      `${T} postfix/smtp[]: ${tail}`,
      `${T} postfix/smtp[1]]: ${tail}`,
      `${T} postfix/smtp[[1]: ${tail}`,
      `${T} postfix/a/b/smtp[1]: ${tail}`,
      `${T} postfix/a/b/c/smtp[1]: ${tail}`,
      `${T} postfix//smtp[1]: ${tail}`,
      `${T} postfix/.x/smtp[1]: ${tail}`,
      `${T} postfix-${'x'.repeat(32)}/smtp[1]: ${tail}`,
      `${T} postfix-${'x'.repeat(33)}/smtp[1]: ${tail}`,
      `${T} postfix/${'r'.repeat(64)}/smtp[1]: ${tail}`,
      `${T} postfix/${'r'.repeat(65)}/smtp[1]: ${tail}`,
      `${T} postfix/Relay_1.x-y/smtp[1]: ${tail}`,
      `${T} postfix/smtpx[1]: ${tail}`,
      `${T} postfix/smt[1]: ${tail}`,
      `${T} postfix/SMTP[1]: ${tail}`,
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'ABCDE'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'ABCDEF0123456789'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'ABCDEF01234567890'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'bcdfghjklm'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'bcdfghjkl'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'bcdfghjklmnpqrstvwxyz012'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'bcdfghjklmnpqrstvwxyz0123'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'abcdefghijk'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF', 'NOQUEUE'),
      `${T} postfix/smtp[1]: ${tail}`.replace('ABCDEF: ', 'ABCDEF:'),
      `${T} postfix/smtp[1]: ${tail}`.replace(': to', ': x: to'),
      `${T} postfix/smtpd[1]: NOQUEUE: reject: RCPT from c[192.0.2.1]: 450 4.7.1 <r@x>: later; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/smtpd[1]: NOQUEUE: reject:`,
      `${T} postfix/smtpd[1]: ABCDEF: client=`,
      `${T} postfix/smtpd[1]: ABCDEF: `,
      `${T} postfix/smtpd[1]: ABCDEF:`,
      `${T} postfix/smtpd[1]: `,
      `${T} postfix/smtpd[1]:`,
      `${T} evil: postfix/smtp[1]: ${tail}`,
      `${T} postfix/smtp[1]: ${tail} ]: `,
      `${T} postfix/smtp[1]: ${tail}\r`,
      `${T} postfix/smtp[1]: ${tail}\r\r`,
      `${T} postfix/smtp[1]: ${tail}\rx`,
      '\r',
      ']: \r',
      // smtpd sessions: connect/disconnect lines matter only while a NOQUEUE hold/discard is pending
      `${T} postfix/smtpd[7]: connect from c[192.0.2.1]`,
      `${T} postfix/smtpd[7]: NOQUEUE: hold: RCPT from c[192.0.2.1]: <r@x>: held; from=<s@x> to=<r@x> proto=ESMTP helo=<c>\r`,
      `${T} postfix/smtpd[8]: NOQUEUE: discard: RCPT from c[192.0.2.1]: <r@x>: gone; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/submission/smtpd[7]: NOQUEUE: milter-hold: END-OF-MESSAGE from c[192.0.2.1]: held; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/smtpd[7]: ABCDEF: client=c[192.0.2.1]`,
      `${T} postfix/smtpd[8]: ABCDE0: client=c[192.0.2.1]`,
      `${T} postfix/submission/smtpd[7]: ABCDE1: client=c[192.0.2.1]`,
      `${T} postfix/smtpd[7]: connect from`,
      `${T} postfix/smtpd[7]: disconnect from c[192.0.2.1] ehlo=1 mail=1 rcpt=1 quit=1 commands=4\r`,
      `${T} postfix/smtpd[8]: disconnect fro`,
      `${T} postfix/smtpd[8]: disconnect from c[192.0.2.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`,
      `${T} postfix/smtp[7]: disconnect from c[192.0.2.1] data=1 commands=5`,
      `${T} postfix/submission/smtpd[7]: disconnect from c[192.0.2.1] data=1 commands=5`,
      `${T} postfix/smtpd[9]: NOQUEUE: hold: RCPT from c[192.0.2.1]: <r@x>: held; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/smtpd[9]: ${'x'.repeat(30)}: connect from c[192.0.2.1]`,
      `${T} postfix/smtpd[9]: warning: connect from c[192.0.2.1]`,
      `${T} postfix/smtpd[9]: connect from c[192.0.2.1]: x`,
      `${T} postfix/qmgr[1]: ABCDEF: from=<s@x>, status=force-expired, returned to sender\r`,
      `${T}postfix/smtp[1]: ${tail}`,
      `postfix/smtp[1]: ${tail}`,
      '',
      ']: ',
      ' ]: ',
    ];
    expect(compare(lines)).toBeNull();
    expect(compare(lines, FILTERS)).toBeNull();
  });
});

describe('hasNul', () => {
  it('finds a NUL only inside the line asked about, line after line of one buffer', () => {
    const buf = Buffer.from('ab\ncd\0e\nfg\nh\0\0\nij\n', 'latin1');
    const lines: [number, number][] = [];
    for (let s = 0, nl = buf.indexOf(10); nl >= 0; s = nl + 1, nl = buf.indexOf(10, s)) lines.push([s, nl]);
    expect(lines.map(([s, e]) => hasNul(buf, s, e))).toEqual([false, true, false, true, false]);
    // asked again, out of order, and about another buffer with the same shape
    expect(hasNul(buf, lines[1]![0], lines[1]![1])).toBe(true);
    expect(hasNul(Buffer.from('ab\ncd\0e\n'), 0, 2)).toBe(false);
  });
});
