// README: "Every example in snmp-helper/examples/ is run against a real snmpd by the tests in
// test/serve/snmp/". This keeps that true: each shipped file must be loaded, by its literal name, through
// example() or exampleLines() (which swap the installed paths for the test's) in a test here.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './helpers/examples.js';

const TESTS = 'test/serve/snmp';

describe('snmp-helper/examples/', () => {
  it('every shipped example is loaded by a test in test/serve/snmp/, and every example a test loads is shipped', () => {
    const loadedBy = new Map<string, string[]>();
    for (const f of readdirSync(TESTS).filter((n) => n.endsWith('.test.ts'))) {
      for (const m of readFileSync(join(TESTS, f), 'utf8').matchAll(/\bexample(?:Lines)?\(\s*'([^']+)'/g)) {
        loadedBy.set(m[1]!, [...(loadedBy.get(m[1]!) ?? []), f]);
      }
    }
    const shipped = readdirSync(EXAMPLES).sort();
    expect(shipped.filter((n) => !loadedBy.has(n)), 'shipped but run by no test').toEqual([]);
    expect([...loadedBy.keys()].filter((n) => !shipped.includes(n)), 'loaded but not shipped').toEqual([]);
    expect(shipped).toContain('postfix-stats.snmpd.conf');
  });
});
