// Counting per host (--per-host) under its cap, across a restart: a host's place follows its stored
// keys, so a per-host count is never a part of the host's mail that only looks whole.
import { describe, expect, it } from 'vitest';
import { Counters, SELF } from '../../src/counters/counters.js';
import { PerHost } from '../../src/counters/hosts.js';

/** A daemon's counters after a restart: the values it committed, loaded again. */
function restarted(c: Counters): Counters {
  c.flush();
  const next = new Counters(1000);
  next.restore(c.entries());
  return next;
}

describe('PerHost', () => {
  it('takes a host\'s place with its first key: a host whose records counted nothing holds none, before or after a restart', () => {
    const c = new Counters(1000);
    const hosts = new PerHost(c, 1);
    hosts.at('quiet'); // master's `daemon started`: a record that counts nothing
    hosts.at('busy');
    hosts.add('sent:smtp');
    expect(c.get('sent:smtp@busy')).toBe(1n);
    const again = restarted(c);
    const after = new PerHost(again, 1);
    after.at('quiet');
    after.at('busy');
    after.add('sent:smtp');
    // the whole of busy's mail, not the part counted since the restart
    expect([again.get('sent:smtp@busy'), again.get('sent:smtp'), again.get(SELF.droppedHosts)]).toEqual([2n, 2n, 1n]);
  });

  it('a host past the cap counts in the totals and in self:dropped_hosts, once per record', () => {
    const c = new Counters(1000);
    const hosts = new PerHost(c, 1);
    hosts.at('mx1');
    hosts.add('sent:smtp');
    hosts.at('mx2');
    hosts.add('sent:smtp');
    hosts.add('recv:smtp');
    hosts.at('mx2');
    expect([c.get('sent:smtp'), c.get('sent:smtp@mx1'), c.get('sent:smtp@mx2'), c.get(SELF.droppedHosts)]).toEqual([2n, 1n, 0n, 2n]);
  });

  it('refuses a record without a host into self:bad_hosts even when it is the first record', () => {
    const c = new Counters(1000);
    const hosts = new PerHost(c, 10);
    hosts.at('');
    hosts.add('sent:smtp');
    hosts.at('');
    hosts.at('mx1');
    hosts.at('');
    expect([c.get(SELF.badHosts), c.get('sent:smtp')]).toEqual([3n, 1n]);
  });
});
