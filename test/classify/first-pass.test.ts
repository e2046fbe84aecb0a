// The byte-level first pass is derived from the rule data, not copied from it: these tests pin what
// the derivation gives today, prove it sound (no text a rule matches is ever filtered out), and show
// the derivation refusing what it does not understand rather than guessing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MARKS_PENDING, PROGRAMS_BY_LENGTH, isQueueIdAt, textMayMatch } from '../../src/classify/first-pass.js';
import { ID, NONE, NOQUEUE } from '../../src/classify/rules.js';
import { literalPrefixes } from '../../src/classify/literal-prefixes.js';
import { isQueueId } from '../../src/classify/names.js';
import { COUNTED_PROGRAMS, RULES, appliesTo } from '../../src/classify/rules.js';
import { parseHeader } from './oracle.js';

const programs = PROGRAMS_BY_LENGTH.flatMap((l) => l ?? []);
const prefixesOf = (name: string, index: number): string[] | 'any' => {
  const f = programs.find((p) => p.name === name)!.texts[index]!;
  return f.any ? 'any' : [...new Set(f.byFirstByte.flatMap((l) => l ?? []).map((b) => Buffer.from(b).toString('latin1')))].sort();
};

describe('literalPrefixes', () => {
  it.each<[RegExp, string[] | null]>([
    [/^client=/, ['client=']],
    [/^uid=\d+ from=</, ['uid=']],
    [/^removed$/, ['removed']],
    [/^(milter-)?reject: /, ['reject: ', 'milter-reject: ']],
    [/^(milter-)?(?:hold|discard): /, ['hold: ', 'discard: ', 'milter-hold: ', 'milter-discard: ']],
    [/^(?:dis)?connect from /, ['connect from ', 'disconnect from ']],
    [/^host \S+ said/, ['host ']],
    [/^a\.b\(c/, ['a.b(c']],
    [/^abc?d/, ['ab']], // a quantified literal ends the prefix before it
    [/^ab*/, ['a']],
    [/^(?:ab)+c/, null], // a repeated group: no prefix beyond ^
    [/^[a-z]+/, null],
    [/^\d/, null],
    [/client=/, null], // not anchored
    [/^a|b/, null], // the alternation splits the whole expression
    [/^abc/i, null],
    [/^(?=a)abc/, null],
    [/^(a|)b/, ['ab', 'b']],
  ])('%s gives %j', (re, want) => {
    expect(literalPrefixes(re)).toEqual(want);
  });
});

describe('the first pass derived from rules.ts', () => {
  it('tests every counted program and no other', () => {
    expect(programs.map((p) => p.name).sort()).toEqual([...COUNTED_PROGRAMS].sort());
  });

  it('gives each program the text prefixes of its own rules (what fast.ts once listed by hand, per program)', () => {
    // warning:, fatal: and panic: are the report's facts, read from every Postfix program
    const any = ['fatal: ', 'panic: ', 'warning: '];
    const sorted = (...p: string[]) => [...p, ...any].sort();
    expect(prefixesOf('smtpd', ID)).toEqual(sorted('client=', 'discard: ', 'hold: ', 'milter-discard: ', 'milter-hold: ', 'milter-reject: ', 'reject: ', 'reject_warning: '));
    expect(prefixesOf('smtpd', NOQUEUE)).toEqual(sorted('discard: ', 'hold: ', 'milter-discard: ', 'milter-hold: ', 'milter-reject: ', 'reject: ', 'reject_warning: '));
    expect(prefixesOf('smtpd', NONE)).toEqual(sorted()); // connect/disconnect only matter with a mark pending
    expect(prefixesOf('smtpd', NONE + MARKS_PENDING)).toEqual(sorted('connect from ', 'disconnect from '));
    expect(prefixesOf('qmgr', ID)).toEqual(sorted('from=<', 'removed', 'to=<')); // to=<: deferrals qmgr logs itself
    expect(prefixesOf('smtp', ID)).toEqual(sorted('host ', 'to=<'));
    expect(prefixesOf('smtp', NONE)).toEqual(sorted('connect to '));
    expect(prefixesOf('pipe', ID)).toEqual(sorted('to=<'));
    expect(prefixesOf('pickup', ID)).toEqual(sorted('uid='));
    expect(prefixesOf('cleanup', NOQUEUE)).toEqual(sorted('milter-reject: ', 'reject: ', 'reject_warning: '));
    expect(prefixesOf('postsuper', ID)).toEqual(sorted('removed'));
    expect(prefixesOf('master', NONE)).toEqual(sorted('daemon started ', 'reload ', 'stopping the Postfix ', 'terminating on signal '));
  });

  it('never filters out a text some rule matches (every fixture message, split as the oracle splits it)', () => {
    const lines = ['classic.log', 'rfc3339.log', 'maillog_file.log'].flatMap((f) => readFileSync(`fixtures/logs/${f}`, 'latin1').split('\n'));
    let matched = 0;
    for (const line of lines) {
      const h = parseHeader(line);
      if (h === null || !COUNTED_PROGRAMS.has(h.program)) continue;
      const colon = h.msg.indexOf(': ');
      const head = colon < 0 ? '' : h.msg.slice(0, colon);
      const kind = head === 'NOQUEUE' ? 'noqueue' : isQueueId(head) ? 'id' : 'none';
      const text = kind === 'none' ? h.msg : h.msg.slice(colon + 2);
      const buf = Buffer.from(text, 'latin1');
      const program = programs.find((p) => p.name === h.program)!;
      for (const rule of RULES) {
        if (!rule.programs.has(h.program) || !appliesTo(rule, kind) || !rule.text.test(text)) continue;
        matched++;
        const index = { id: ID, noqueue: NOQUEUE, none: NONE }[kind];
        expect(textMayMatch(program.texts[index + MARKS_PENDING]!, buf, 0, buf.length), `${rule.meaning}: ${text}`).toBe(true);
        if (rule.meaning !== 'session') expect(textMayMatch(program.texts[index]!, buf, 0, buf.length), text).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(2000);
  });

  it('reads queue ids in bytes exactly as names.ts does in strings', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:_ \xe9';
    let x = 12345;
    const rand = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
    let ids = 0;
    for (let i = 0; i < 50_000; i++) {
      const len = 4 + rand(24);
      const pool = rand(3) === 0 ? alphabet : rand(2) ? '0123456789ABCDEF' : '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';
      let s = '';
      for (let k = 0; k < len; k++) s += pool[rand(pool.length)];
      const b = Buffer.from(`x${s}y`, 'latin1');
      expect(isQueueIdAt(b, 1, 1 + s.length), s).toBe(isQueueId(s));
      if (isQueueId(s)) ids++;
    }
    expect(ids).toBeGreaterThan(10_000);
  });
});
