// The second half's state of a split report read (src/classify/cut-state.ts): what it applies alone,
// what it defers to the replay after the first half, and when it gives up.
import { describe, expect, it } from 'vitest';
import { BAIL, CutState, DEFER } from '../../src/classify/cut-state.js';
import type { Sink } from '../../src/classify/effects.js';
import { classifyLine } from './line.js';

const T = 'Nov 29 16:27:12 mx1';

/** Classifies one line as the second half does; 'applied', 'deferred' (then its keys are deferred) or 'bail'. */
function run(state: CutState, line: string, got: Record<string, number>): string {
  // with facts, as a report counts: a delivery's facts read its message's size from the state
  const out: Sink = { add: (k, n = 1) => void (got[k] = (got[k] ?? 0) + n), fact: () => {} };
  const before = { ...got };
  state.startLine();
  try {
    classifyLine(state, `${T} ${line}`, out);
  } catch (e) {
    if (e === BAIL) return 'bail';
    if (e !== DEFER) throw e;
    state.defer();
  }
  if (!state.lineDeferred) return 'applied';
  // the second half drops what a deferred line counted (line-ops.ts): here, by restoring the counts
  for (const k of Object.keys(got)) {
    if (before[k] === undefined) delete got[k];
    else got[k] = before[k];
  }
  return 'deferred';
}

describe('CutState', () => {
  it('applies a message begun after the cut, and defers the lines of one begun before it', () => {
    const s = new CutState();
    const got: Record<string, number> = {};
    expect(run(s, 'postfix/smtpd[100]: 4F2A1B0C7D: client=a.test[192.0.2.1]', got)).toBe('applied');
    expect(run(s, 'postfix/qmgr[90]: 4F2A1B0C7D: from=<a@a.test>, size=100, nrcpt=1 (queue active)', got)).toBe('applied');
    expect(got['recv:smtp']).toBe(1);
    // a message the first half began: its delivery counts in the replay, not here
    expect(run(s, 'postfix/smtp[101]: 1A2B3C4D5E: to=<b@b.test>, relay=b.test[192.0.2.2]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)', got)).toBe('deferred');
    expect(got['sent:smtp']).toBeUndefined();
    // and every later line of it too, even one this half could have applied alone
    expect(run(s, 'postfix/qmgr[90]: 1A2B3C4D5E: removed', got)).toBe('deferred');
  });

  it("keeps a removed id's absence: a late line of it is applied here, not deferred", () => {
    const s = new CutState();
    const got: Record<string, number> = {};
    run(s, 'postfix/smtpd[100]: 4F2A1B0C7D: client=a.test[192.0.2.1]', got);
    expect(run(s, 'postfix/qmgr[90]: 4F2A1B0C7D: removed', got)).toBe('applied');
    expect(run(s, 'postfix/qmgr[90]: 4F2A1B0C7D: from=<a@a.test>, size=100, nrcpt=1 (queue active)', got)).toBe('applied');
  });

  it('a reused id begun after the cut once its earlier lines were deferred is deferred too, so they replay in order', () => {
    const s = new CutState();
    const got: Record<string, number> = {};
    expect(run(s, 'postfix/qmgr[90]: 4F2A1B0C7D: removed', got)).toBe('deferred');
    expect(run(s, 'postfix/smtpd[100]: 4F2A1B0C7D: client=a.test[192.0.2.1]', got)).toBe('deferred');
    // its smtpd process is deferred with it: that process's NOQUEUE marks replay in order as well
    expect(run(s, 'postfix/smtpd[100]: disconnect from a.test[192.0.2.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5', got)).toBe('deferred');
  });
});
