// Log text as people read it, from a line's bytes decoded one per character (latin1, as the tokenizer
// and classifier read lines). Postfix logs what it was given: SMTPUTF8 addresses, IDN domains and
// milter replies arrive as UTF-8, old or foreign text in other 8-bit sets. Each valid UTF-8 sequence
// becomes its character and every other byte stays its latin1 character, so one stray byte does not
// turn a whole line back into mojibake. Then no control or format character is let through: a
// hostile log line must not move a terminal's cursor (C0, C1's CSI), reorder what is shown (a bidi
// override) or break a line (U+2028) in a report.

/** Characters shown as `?`: controls, format characters (bidi overrides, zero-width ones), line and paragraph separators. */
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

const cont = (c: number): boolean => c >= 0x80 && c <= 0xbf;

/** The code point of the UTF-8 sequence starting at `i` of the byte string, and its length; or length 0. */
function sequenceAt(s: string, i: number): { cp: number; n: number } {
  const b0 = s.charCodeAt(i);
  const b1 = s.charCodeAt(i + 1); // NaN past the end: no range holds it
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(b1)) return { cp: ((b0 & 0x1f) << 6) | (b1 & 0x3f), n: 2 };
  const b2 = s.charCodeAt(i + 2);
  // E0 and ED: the first continuation's range excludes overlong forms and surrogates
  const lo3 = b0 === 0xe0 ? 0xa0 : 0x80, hi3 = b0 === 0xed ? 0x9f : 0xbf;
  if (b0 >= 0xe0 && b0 <= 0xef && b1 >= lo3 && b1 <= hi3 && cont(b2)) return { cp: ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f), n: 3 };
  const b3 = s.charCodeAt(i + 3);
  // F0 and F4: no overlong forms, nothing past U+10FFFF
  const lo4 = b0 === 0xf0 ? 0x90 : 0x80, hi4 = b0 === 0xf4 ? 0x8f : 0xbf;
  if (b0 >= 0xf0 && b0 <= 0xf4 && b1 >= lo4 && b1 <= hi4 && cont(b2) && cont(b3)) {
    return { cp: ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f), n: 4 };
  }
  return { cp: 0, n: 0 };
}

/** The bytes of `latin1` (one per character) as text to show: UTF-8 sequences read as UTF-8, unshowable characters as `?`. */
export function displayText(latin1: string): string {
  if (!NOT_PRINTABLE_ASCII.test(latin1)) return latin1; // nearly all log text
  let out = '';
  let from = 0;
  for (let i = 0; i < latin1.length; ) {
    if (latin1.charCodeAt(i) < 0x80) {
      i++;
      continue;
    }
    const { cp, n } = sequenceAt(latin1, i);
    if (n === 0) {
      i++; // not UTF-8: the byte is its latin1 character
      continue;
    }
    out += latin1.slice(from, i) + String.fromCodePoint(cp);
    i += n;
    from = i;
  }
  return (out + latin1.slice(from)).replace(UNSHOWABLE, '?');
}
