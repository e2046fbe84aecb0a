import { describe, it, expect } from 'vitest';
import { DayClock } from '../../../src/history/clock.js';
import { MemoryKv } from '../../../src/history/kv.js';
import { encodeBucket, minuteKey } from '../../../src/history/layout.js';
import { pageGraphs } from '../../../src/serve/http/page-data.js';

const now = Date.parse('2026-11-29T16:28:15Z');

describe('the status page graphs', () => {
  it('18 graphs: received, sent, deferred, bounced, rejected, held, per minute (48 h), per hour (30 d), per day (365 d)', () => {
    const graphs = pageGraphs(new MemoryKv(), new DayClock('Europe/Berlin'), now);
    expect(graphs.map((g) => `${g.step} ${g.series.map((s) => s.name).join()}`)).toEqual(
      (['minute', 'hour', 'day'] as const).flatMap((step) => ['received', 'sent', 'deferred', 'bounced', 'rejected', 'held'].map((n) => `${step} ${n}`)));
    const lengths = graphs.map((g) => g.series[0]!.points.length);
    expect(lengths).toEqual([...Array(6).fill(2880), ...Array(6).fill(720), ...Array(6).fill(365)]);
    expect(graphs.every((g) => g.tz === 'Europe/Berlin')).toBe(true);
  });

  it('each window ends with the bucket now is in: the current minute, hour and local day are drawn', () => {
    const clock = new DayClock('Europe/Berlin');
    const graphs = pageGraphs(new MemoryKv(), clock, now);
    const last = (i: number) => graphs[i]!.series[0]!.points.at(-1)!.t;
    expect(last(0)).toBe(Date.parse('2026-11-29T16:28:00Z'));
    expect(last(6)).toBe(Date.parse('2026-11-29T16:00:00Z'));
    expect(last(12)).toBe(clock.startOf('2026-11-29'));
    expect(graphs[12]!.series[0]!.points[0]!.t).toBe(clock.startOf('2025-11-30'));
  });

  it('rejected sums smtpd:4xx and smtpd:5xx; held is the held key; per-host and instance keys are not added twice', () => {
    const kv = new MemoryKv();
    const m = Math.floor(now / 60_000);
    kv.put(minuteKey(m), encodeBucket(new Map([['smtpd:4xx', 2], ['smtpd:5xx', 3], ['smtpd:5xx@mx2', 3], ['held', 1], ['out/recv:smtp', 9], ['recv:smtp', 4]])));
    const graphs = pageGraphs(kv, new DayClock('UTC'), now);
    const lastMinute = (name: string) => graphs.find((g) => g.step === 'minute' && g.series[0]!.name === name)!.series[0]!.points.at(-1)!.v;
    expect(lastMinute('rejected')).toBe(5);
    expect(lastMinute('held')).toBe(1);
    expect(lastMinute('received')).toBe(4);
  });
});
