// The export-format parser alone: binary-safe values, values longer than the limit, input cut at
// any byte, garbage. Input is what journalctl writes (see test/helpers/journal.ts for the format).
import { describe, expect, it } from 'vitest';
import { ExportParser, type ExportEntry } from '../../../src/source/journal/export-parser.js';
import { field } from '../../helpers/journal.js';

const KEEP = ['__CURSOR', 'MESSAGE', 'SYSLOG_IDENTIFIER'];

type Parsed = { fields: Record<string, string | null>; long: string[] };

function snapshot(e: ExportEntry): Parsed {
  const fields: Record<string, string | null> = {};
  KEEP.forEach((k, i) => (fields[k] = e.start[i]! < 0 ? null : e.buf.toString('latin1', e.start[i], e.end[i])));
  return { fields, long: [...e.longNames] };
}

/** Feeds `input` cut into pieces of `step` bytes (every split point, for step 1). */
function parse(input: Buffer, step = input.length, maxField = 1024): { entries: Parsed[]; parser: ExportParser } {
  const parser = new ExportParser({ keep: KEEP, maxField });
  const entries: Parsed[] = [];
  for (let i = 0; i < input.length; i += step) {
    const chunk = input.subarray(i, Math.min(input.length, i + step));
    expect(parser.push(chunk, 0, (e) => (entries.push(snapshot(e)), true))).toBe(chunk.length);
  }
  return { entries, parser };
}

function entry(fields: Array<[string, string | Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of fields) {
    if (typeof v === 'string') parts.push(Buffer.from(`${k}=${v}\n`));
    else field(parts, k, v);
  }
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

const BIN = Buffer.from([0x6c, 0x69, 0x6e, 0x65, 0x0a, 0x0a, 0xff, 0x00, 0x3d, 0x0a]); // "line\n\n\xff\0=\n"

const PARTS = [
  entry([['__CURSOR', 's=1;i=1'], ['_PID', '12'], ['MESSAGE', 'plain text = with equals'], ['SYSLOG_IDENTIFIER', 'postfix/smtpd']]),
  entry([['__CURSOR', 's=1;i=2'], ['MESSAGE', BIN], ['OTHER', BIN], ['SYSLOG_IDENTIFIER', 'postfix/qmgr']]),
  entry([['__CURSOR', 's=1;i=3'], ['EMPTY', ''], ['MESSAGE', Buffer.alloc(0)]]),
];
const input = Buffer.concat(PARTS);
/** Offsets just past each entry's blank line. */
const ENDS = PARTS.map((_, i) => Buffer.concat(PARTS.slice(0, i + 1)).length);

describe('journal export parser', () => {
  const want: Parsed[] = [
    { fields: { __CURSOR: 's=1;i=1', MESSAGE: 'plain text = with equals', SYSLOG_IDENTIFIER: 'postfix/smtpd' }, long: [] },
    { fields: { __CURSOR: 's=1;i=2', MESSAGE: BIN.toString('latin1'), SYSLOG_IDENTIFIER: 'postfix/qmgr' }, long: [] },
    { fields: { __CURSOR: 's=1;i=3', MESSAGE: '', SYSLOG_IDENTIFIER: null }, long: [] },
  ];

  it('reads text and binary-safe values (newlines, 0xff, NUL, "=" inside) and skips unnamed fields', () => {
    expect(parse(input).entries).toEqual(want);
  });

  it('gives the same entries whatever the chunk boundaries, down to one byte at a time', () => {
    for (const step of [1, 2, 3, 5, 7, 8, 9, 13, 64]) expect(parse(input, step).entries, `step ${step}`).toEqual(want);
  });

  it('skips a kept value longer than the limit, names it, and keeps the rest of the entry', () => {
    const huge = 'x'.repeat(5000);
    const input2 = Buffer.concat([
      entry([['__CURSOR', 'c1'], ['MESSAGE', huge], ['SYSLOG_IDENTIFIER', 'postfix/smtp']]),
      entry([['__CURSOR', 'c2'], ['MESSAGE', Buffer.from(huge + '\n')], ['SYSLOG_IDENTIFIER', 'postfix/smtp']]),
      entry([['__CURSOR', 'c3'], ['MESSAGE', 'ok']]),
    ]);
    for (const step of [1, 100, input2.length]) {
      const { entries } = parse(input2, step, 1000);
      expect(entries.map((e) => [e.fields.__CURSOR, e.fields.MESSAGE, e.fields.SYSLOG_IDENTIFIER, e.long])).toEqual([
        ['c1', null, 'postfix/smtp', ['MESSAGE']],
        ['c2', null, 'postfix/smtp', ['MESSAGE']],
        ['c3', 'ok', null, []],
      ]);
    }
  });

  it('never buffers a huge skipped value: memory stays at the limit for a 64 MiB field', () => {
    const parser = new ExportParser({ keep: KEEP, maxField: 4096 });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(64n << 20n);
    const seen: Parsed[] = [];
    const onEntry = (e: ExportEntry): boolean => (seen.push(snapshot(e)), true);
    parser.push(Buffer.concat([Buffer.from('__CURSOR=big\nMESSAGE\n'), len]), 0, onEntry);
    const mib = Buffer.alloc(1 << 20, 0x41);
    for (let i = 0; i < 64; i++) parser.push(mib, 0, onEntry);
    parser.push(Buffer.from('\n\n'), 0, onEntry);
    expect(seen).toEqual([{ fields: { __CURSOR: 'big', MESSAGE: null, SYSLOG_IDENTIFIER: null }, long: ['MESSAGE'] }]);
    expect((parser as unknown as { entry: ExportEntry }).entry.buf.length).toBeLessThanOrEqual(3 * 4096 + 3);
  });

  it('keeps the first of a repeated field, so repeats cannot grow an entry without bound', () => {
    const many = entry([['__CURSOR', 'r'], ...Array.from({ length: 1000 }, (_, i): [string, string] => ['MESSAGE', `m${i}`.padEnd(900, '.')])]);
    const { entries, parser } = parse(many, many.length, 1000);
    expect(entries.map((e) => e.fields.MESSAGE)).toEqual(['m0'.padEnd(900, '.')]);
    expect((parser as unknown as { entry: ExportEntry }).entry.buf.length).toBeLessThan(8192);
  });

  it('hands over nothing of an entry cut short, says so, and starts clean after reset()', () => {
    for (let cut = 1; cut < input.length; cut++) {
      const { entries, parser } = parse(input.subarray(0, cut));
      expect(entries, `cut at ${cut}`).toEqual(want.filter((_, i) => ENDS[i]! <= cut));
      expect(parser.inEntry, `cut at ${cut}`).toBe(!ENDS.includes(cut));
      parser.reset();
      const rest: Parsed[] = [];
      parser.push(input, 0, (e) => (rest.push(snapshot(e)), true));
      expect(rest).toEqual(want);
    }
  });

  it('stops after the entry its callback refuses, and goes on from the offset it returns', () => {
    const parser = new ExportParser({ keep: KEEP, maxField: 1024 });
    const got: Parsed[] = [];
    let pos = 0;
    while (pos < input.length) pos = parser.push(input, pos, (e) => (got.push(snapshot(e)), false));
    expect(got).toEqual(want);
    expect(pos).toBe(input.length);
  });

  it('survives garbage: an over-long name line, a bad binary terminator, bare newlines', () => {
    const junk = Buffer.concat([Buffer.from('\n\n'), Buffer.from('N'.repeat(1000) + '\n'), Buffer.from('MESSAGE=a\n\n'), input]);
    const { entries, parser } = parse(junk, 7);
    expect(entries.slice(-3)).toEqual(want);
    expect(parser.malformed).toBeGreaterThan(0);
  });
});

