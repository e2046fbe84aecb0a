// The committed logs come from a real Postfix (fixtures/generate.sh); their expected counts were
// derived from what the generator sent, not from parsing. Every key must match exactly.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counters, helper, mailCounters, runOnce, HELPER_JS } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const LOGS = 'fixtures/logs';
const expected = JSON.parse(readFileSync(join(LOGS, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;

describe('counting the real-Postfix fixtures', () => {
  it.each(Object.keys(expected))('counts %s exactly, key by key', (name) => {
    const db = tmp();
    const r = runOnce(join(LOGS, name), db);
    expect(r.code, r.stderr).toBe(0);
    expect(mailCounters(db)).toEqual(expected[name]);
  });

  it.each(Object.keys(expected))('counts %s with CRLF line ends exactly as with LF, bad lines included', (name) => {
    const dir = tmp();
    const crlf = join(dir, name);
    writeFileSync(crlf, readFileSync(join(LOGS, name), 'latin1').replace(/\n/g, '\r\n'), 'latin1');
    const lf = tmp();
    const cr = tmp();
    expect(runOnce(join(LOGS, name), lf).code).toBe(0);
    expect(runOnce(crlf, cr).code).toBe(0);
    expect(mailCounters(cr)).toEqual(expected[name]);
    expect(counters(cr)['self:bad_lines']).toEqual(counters(lf)['self:bad_lines']);
    expect(counters(cr)['self:lines']).toEqual(counters(lf)['self:lines']);
  });

  it('serves the same numbers through the helper, from the script and from the single executable', () => {
    const db = tmp();
    runOnce(join(LOGS, 'rfc3339.log'), db);
    const want = expected['rfc3339.log']!;
    for (const bin of [HELPER_JS, undefined]) {
      for (const [key, value] of Object.entries(want)) {
        expect(helper(['--db', db, key], bin).stdout).toBe(`${value}\n`);
      }
      const listed = helper(['--db', db, '--list'], bin).stdout;
      for (const [key, value] of Object.entries(want)) expect(listed).toContain(`${key} ${value}\n`);
    }
  });

  it('counts a second run over the same log as nothing new: the position was committed', () => {
    const db = tmp();
    const log = join(LOGS, 'classic.log');
    runOnce(log, db);
    const first = mailCounters(db);
    runOnce(log, db);
    expect(mailCounters(db)).toEqual(first);
  });
});
