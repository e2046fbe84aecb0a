// Log text as the report's tables keep it: the classifier reads a line one byte per character
// (latin1); a report must show UTF-8 text (SMTPUTF8 addresses, IDN domains, milter replies) as the
// characters it is, lower-case addresses without corrupting them, and let no control character through.
import { describe, expect, it } from 'vitest';
import { addressText, domainOf, factText, senderText, sendingDomain } from '../../src/classify/facts.js';

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

  it('counts a sender without a domain by the client that sent it, reduced as pflogsumm reduces it', () => {
    expect(sendingDomain('', 'mail-out.relay.example.co.uk[192.0.2.7]')).toBe('example.co.uk');
    expect(sendingDomain('', 'MX2.Example.ORG[192.0.2.9]')).toBe('example.org');
    expect(sendingDomain('', 'unknown[192.0.2.8]')).toBe('192.0.2.8');
    expect(sendingDomain('', 'localhost[127.0.0.1]')).toBe('localhost');
    expect(sendingDomain('', 'mx.example.net[2001:db8::1]')).toBe('example.net');
    expect(sendingDomain('MAILER-DAEMON', 'mx.example.net[2001:db8::25]')).toBe('example.net');
    expect([sendingDomain('user@', 'mx.example.net[192.0.2.1]'), sendingDomain('@example.org', 'mx.example.net[192.0.2.1]')]).toEqual(['example.net', 'example.net']);
    // a sender with a domain is counted by it, wherever it came from
    expect(sendingDomain('bounce@Lists.Example.COM', 'mx.example.net[192.0.2.1]')).toBe('lists.example.com');
    // pickup: no client
    expect([sendingDomain('', ''), sendingDomain('root', '')]).toEqual(['from=<>', 'root']);
    expect([senderText(''), senderText('Root@Example.org')]).toEqual(['from=<>', 'root@example.org']);
  });

  it('cuts long text at 160 characters, never inside a surrogate pair', () => {
    expect(factText('x'.repeat(200))).toBe(`${'x'.repeat(159)}…`);
    const emoji = asLogged(`${'x'.repeat(158)}😀😀`);
    const cut = factText(emoji);
    expect(cut).toBe(`${'x'.repeat(158)}…`);
    expect(cut.length).toBeLessThanOrEqual(160);
  });
});
