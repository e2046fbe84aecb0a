// PerInstance, the fan-out of a postmulti instance's counts: the total and the instance's key, never
// the daemon's own self: keys, and a name no key can carry counted in self:bad_keys (totals only).
import { describe, expect, it } from 'vitest';
import { PerInstance } from '../../src/counters/instances.js';

function sink() {
  const got: Record<string, number> = {};
  return { got, add: (k: string, n = 1) => void (got[k] = (got[k] ?? 0) + n) };
}

describe('PerInstance', () => {
  it('adds to the plain key and to INSTANCE/KEY, the name in lower case; self: keys once', () => {
    const s = sink();
    const p = new PerInstance();
    p.to(s, 'postfix-Out').add('sent:smtp', 2);
    p.to(s, 'postfix-out').add('self:bad_keys');
    expect(s.got).toEqual({ 'sent:smtp': 2, 'postfix-out/sent:smtp': 2, 'self:bad_keys': 1 });
  });

  it('refuses a name outside the key grammar: the totals only, and self:bad_keys per record', () => {
    const s = sink();
    const p = new PerInstance();
    for (const raw of ['postfix', 'postfix/x', 'postfix out']) p.to(s, raw).add('held');
    expect(s.got).toEqual({ held: 3, 'self:bad_keys': 3 });
  });
});
