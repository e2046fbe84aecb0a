// Two hosts of a central syslog file use the same queue id at the same time (ids are unique per host
// only): with state kept per host each message counts once on its own host; without, one host's
// lines land on the other's message and a reception is lost.
import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../../src/classify/classify.js';
import { QueueState } from '../../src/classify/queue.js';
import { classifyLine } from './line.js';

const at = (host: string, tag: string, msg: string) => `2026-11-29T10:00:00.000000+00:00 ${host} postfix/${tag}: ${msg}`;
const LINES = [
  at('mx1', 'smtpd[100]', '4F2A1B3C: client=a.example[192.0.2.1]'),
  at('mx2', 'smtpd[100]', '4F2A1B3C: client=b.example[192.0.2.2]'),
  at('mx1', 'qmgr[200]', '4F2A1B3C: from=<a@a.example>, size=100, nrcpt=1 (queue active)'),
  at('mx2', 'qmgr[201]', '4F2A1B3C: from=<b@b.example>, size=100, nrcpt=1 (queue active)'),
  at('mx1', 'qmgr[200]', '4F2A1B3C: removed'),
  at('mx2', 'qmgr[201]', '4F2A1B3C: removed'),
];

function received(stateByHost: boolean): number {
  const state = new QueueState(1000);
  const counts: Record<string, number> = {};
  const out = { add: (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n) };
  for (const l of LINES) classifyLine(state, l, out, { ...NO_FILTERS, stateByHost });
  return counts['recv:smtp'] ?? 0;
}

describe('state per host', () => {
  it('counts both hosts\' messages that share a queue id', () => {
    expect(received(true)).toBe(2);
  });

  it('loses one without it (what --per-host prevents)', () => {
    expect(received(false)).toBe(1);
  });
});
