import { describe, it, expect } from 'vitest';
import { buildMail, defaultSubject, rfc5322Date, type MailOptions } from '../../src/report/mail.js';

const base: MailOptions = { to: 'root', subject: 'Postfix stats for mx1 2026-11-29', date: new Date(Date.UTC(2026, 10, 30, 0, 10, 5)), host: 'mx1.example.test', html: false };

function parse(message: string): { headers: Map<string, string>; body: string } {
  const at = message.indexOf('\n\n');
  const headers = new Map<string, string>();
  for (const h of message.slice(0, at).replace(/\n[ \t]/g, ' ').split('\n')) {
    const i = h.indexOf(':');
    headers.set(h.slice(0, i), h.slice(i + 1).trim());
  }
  return { headers, body: message.slice(at + 2) };
}

function ok(body: string, o: MailOptions = base): string {
  const m = buildMail(body, o);
  if (!m.ok) throw new Error(m.error);
  return m.message;
}

describe('mail message for sendmail -t', () => {
  it('has To, Subject, Date, Message-ID, MIME-Version, Content-Type and 8bit encoding; the body after a blank line', () => {
    const { headers, body } = parse(ok('Grand Totals\n'));
    expect(headers.get('To')).toBe('root');
    expect(headers.get('Subject')).toBe('Postfix stats for mx1 2026-11-29');
    expect(headers.get('Date')).toBe('Mon, 30 Nov 2026 00:10:05 +0000');
    expect(headers.get('Message-ID')).toMatch(/^<[\w.-]+@mx1\.example\.test>$/);
    expect(headers.get('MIME-Version')).toBe('1.0');
    expect(headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(headers.get('Content-Transfer-Encoding')).toBe('8bit');
    expect(headers.has('From')).toBe(false);
    expect(body).toBe('Grand Totals\n');
  });

  it('--html gives text/html; --mail-from gives From:', () => {
    const { headers } = parse(ok('<html></html>', { ...base, html: true, from: 'postfix-stats@mx1.example.test' }));
    expect(headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(headers.get('From')).toBe('postfix-stats@mx1.example.test');
  });

  it('refuses CR or LF in To, From or Subject: no header can be injected', () => {
    for (const o of [
      { ...base, to: 'root\nBcc: victim@example.test' },
      { ...base, to: 'root\rBcc: victim@example.test' },
      { ...base, from: 'a@b\r\nBcc: victim@example.test' },
      { ...base, subject: 'hi\n\nbody' },
    ]) {
      const m = buildMail('x\n', o);
      expect(m.ok).toBe(false);
      if (!m.ok) expect(m.error).toMatch(/CR, LF/);
    }
  });

  it('log text in the body cannot reach the header: a body line "Bcc: x" stays after the blank line', () => {
    const message = ok('Bcc: victim@example.test\n');
    expect(parse(message).headers.has('Bcc')).toBe(false);
  });

  it('a non-ASCII subject is an RFC 2047 encoded-word, decoding to the same text', () => {
    const subject = 'Postfix-Statistik für mx1 – 2026-11-29 ' + 'ä'.repeat(40);
    const { headers } = parse(ok('x\n', { ...base, subject }));
    const s = headers.get('Subject')!;
    expect(s).toMatch(/^(=\?utf-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$/);
    const decoded = [...s.matchAll(/=\?utf-8\?B\?([^?]+)\?=/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join('');
    expect(decoded).toBe(subject);
    for (const line of ok('x\n', { ...base, subject }).split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('a body line over 998 octets, or a lone ".", makes the body base64 (SMTP limit; sendmail without -i)', () => {
    for (const body of ['a'.repeat(999) + '\n', 'x\n.\ny\n']) {
      const { headers, body: b } = parse(ok(body));
      expect(headers.get('Content-Transfer-Encoding')).toBe('base64');
      expect(Buffer.from(b.replace(/\n/g, ''), 'base64').toString()).toBe(body);
      for (const l of b.split('\n')) expect(l.length).toBeLessThanOrEqual(76);
    }
  });

  it('the default subject names host and day; the date has a numeric zone', () => {
    expect(defaultSubject('mx1', '2026-11-29')).toBe('Postfix stats for mx1 2026-11-29');
    expect(rfc5322Date(new Date(Date.UTC(2027, 0, 3, 4, 5, 6)))).toBe('Sun, 3 Jan 2027 04:05:06 +0000');
  });
});
