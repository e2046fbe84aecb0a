// Log text as the report's tables keep it: the classifier reads a line one byte per character
// (latin1); a report must show UTF-8 text (SMTPUTF8 addresses, IDN domains, milter replies) as the
// characters it is, lower-case addresses without corrupting them, and let no control character through.
import { describe, expect, it } from 'vitest';
import { addressText, domainOf, factText } from '../../src/classify/facts.js';

/** A string as the classifier decodes a line's bytes: one character per byte. */
const asLogged = (text: string, encoding: BufferEncoding = 'utf8'): string => Buffer.from(text, encoding).toString('latin1');

describe('factText, domainOf, addressText', () => {
  it('reads UTF-8 bytes as UTF-8: an IDN domain and an SMTPUTF8 address, lower-cased after decoding', () => {
    expect(domainOf(asLogged('Jürgen@MÜNCHEN.example'))).toBe('münchen.example');
    expect(addressText(asLogged('Jürgen@MÜNCHEN.example'))).toBe('jürgen@münchen.example');
    expect(factText(asLogged('550 5.7.1 Nachricht abgelehnt: ungültiger Absender ✉'))).toBe('550 5.7.1 Nachricht abgelehnt: ungültiger Absender ✉');
  });

  it('reads bytes that are not UTF-8 one byte per character (a latin1 log)', () => {
    expect(domainOf(asLogged('x@M\u00dcNCHEN.example', 'latin1'))).toBe('m\u00fcnchen.example');
  });

  it('turns C0, DEL and C1 controls into ?, raw or UTF-8 encoded: U+009B is a terminal CSI', () => {
    expect(factText('a\x1b[31mb\x7fc\r\nd')).toBe('a?[31mb?c??d');
    expect(factText(asLogged('a\u009b31mb'))).toBe('a?31mb');
    expect(factText(asLogged('a\u009b31mb', 'latin1'))).toBe('a?31mb');
  });

  it('keeps plain ASCII as it is, and the null sender as <>', () => {
    const s = 'Recipient address rejected: User unknown in local recipient table';
    expect(factText(s)).toBe(s);
    expect([domainOf(''), addressText('')]).toEqual(['<>', '<>']);
    expect(domainOf('MAILER-DAEMON')).toBe('mailer-daemon');
  });

  it('cuts long text at 160 characters, never inside a surrogate pair', () => {
    expect(factText('x'.repeat(200))).toBe(`${'x'.repeat(159)}…`);
    const emoji = asLogged(`${'x'.repeat(158)}😀😀`);
    const cut = factText(emoji);
    expect(cut).toBe(`${'x'.repeat(158)}…`);
    expect(cut.length).toBeLessThanOrEqual(160);
  });
});
