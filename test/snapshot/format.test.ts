// The snapshot file is all a reader trusts: any cut, any changed byte must be refused, never read as
// counts; a whole file must give back exactly what was published, 64-bit values included.
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../../src/snapshot/format.js';

const S: Snapshot = {
  seq: 41,
  time: 1_795_000_000_123,
  rows: [
    { key: 'recv:smtp', index: 2, value: 3830n },
    { key: 'self:lines', index: 1, value: 0n },
    { key: 'sent:smtp', index: 3, value: (1n << 64n) - 1n },
  ],
};

describe('snapshot format', () => {
  it('gives back exactly what was encoded, 2^64-1 included', () => {
    expect(decodeSnapshot(encodeSnapshot(S))).toEqual({ ok: true, snapshot: S });
    expect(decodeSnapshot(encodeSnapshot({ seq: 0, time: 0, rows: [] }))).toEqual({ ok: true, snapshot: { seq: 0, time: 0, rows: [] } });
  });

  it('refuses the file cut at every length short of whole', () => {
    const text = encodeSnapshot(S);
    const accepted = [];
    for (let n = 0; n < text.length; n++) if (decodeSnapshot(text.slice(0, n)).ok) accepted.push(n);
    expect(accepted).toEqual([]);
  });

  it('refuses the file with any one byte changed', () => {
    const text = encodeSnapshot(S);
    const accepted = [];
    for (let i = 0; i < text.length; i++) {
      for (const c of ['0', '9', 'x', ' ', '\n', '\0']) {
        if (text[i] === c) continue;
        const bad = text.slice(0, i) + c + text.slice(i + 1);
        if (decodeSnapshot(bad).ok) accepted.push(`${i}:${JSON.stringify(c)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a checksummed file whose rows are not counters (a value past 2^64-1, a count that lies)', async () => {
    const { createHash } = await import('node:crypto');
    const sign = (body: string) => `${body}sha256 ${createHash('sha256').update(body).digest('hex')}\n`;
    const head = 'postfix-stats-snapshot 1\nseq 1\ntime 1\n';
    expect(decodeSnapshot(sign(`${head}rows 1\nsent:smtp 1 18446744073709551616\n`))).toMatchObject({ ok: false });
    expect(decodeSnapshot(sign(`${head}rows 2\nsent:smtp 1 5\n`))).toMatchObject({ ok: false });
    expect(decodeSnapshot(sign(`${head}rows 1\nsent:smtp 1 -5\n`))).toMatchObject({ ok: false });
    expect(decodeSnapshot(sign(`${head}rows 1\nsent:smtp 1 5\n`))).toMatchObject({ ok: true });
  });
});
