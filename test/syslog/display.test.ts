// Log bytes shown to people: UTF-8 sequence by sequence, other bytes as latin1, and nothing that can
// move a cursor, reorder text or break a line.
import { describe, expect, it } from 'vitest';
import { displayText } from '../../src/syslog/display.js';

/** Bytes as the tokenizer decodes them: one character per byte. */
const bytes = (...parts: (string | number[])[]): string =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))).toString('latin1');

describe('displayText', () => {
  it('reads UTF-8 as UTF-8, two to four bytes long', () => {
    expect(displayText(bytes('Müller ✉ 😀 日本'))).toBe('Müller ✉ 😀 日本');
  });

  it('reads each valid sequence even where other bytes are not UTF-8: a stray byte spoils only itself', () => {
    expect(displayText(bytes('Ümlaut ', [0xff], ' straße'))).toBe('Ümlaut ÿ straße');
    // a latin1 ü (0xFC) among UTF-8 text, a sequence cut short at the end
    expect(displayText(bytes('gr', [0xfc], 'n ', 'ü', [0xc3]))).toBe('grün üÃ');
  });

  it('refuses overlong forms, surrogates and code points past U+10FFFF, byte by byte', () => {
    expect(displayText(bytes([0xc0, 0xaf]))).toBe('À¯'); // overlong '/'
    expect(displayText(bytes([0xe0, 0x80, 0xaf]))).toBe('à?¯'); // overlong; 0x80 is a C1 control
    expect(displayText(bytes([0xed, 0xa0, 0x80]))).toBe('í\u00a0?'); // U+D800; 0xA0 is a no-break space
    expect(displayText(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe('ô???');
  });

  it('shows C0, DEL, C1, bidi and zero-width format characters and line separators as ?', () => {
    expect(displayText('a\x1b[31mb\x7fc\r\nd')).toBe('a?[31mb?c??d');
    expect(displayText(bytes('a\u009b31m'))).toBe('a?31m'); // C1 CSI, as UTF-8
    expect(displayText(bytes('a', [0x9b], '31m'))).toBe('a?31m'); // C1 CSI, a raw byte
    expect(displayText(bytes('evil\u202emoc.elgoog'))).toBe('evil?moc.elgoog');
    expect(displayText(bytes('a\u2028b\u2029c\u200bd\ufeffe'))).toBe('a?b?c?d?e');
  });

  it('returns plain ASCII as it is', () => {
    const s = 'host mx.example.com[192.0.2.1] said: 550 5.1.1 <u@example.com>: Recipient address rejected';
    expect(displayText(s)).toBe(s);
  });
});
