// History into a store: buckets add up, a capped table stays exact through its `other` row, and what
// is older than the retention goes. Run on the memory store; the LMDB store runs the same code
// (test/pipeline/history.test.ts).
import { describe, expect, it } from 'vitest';
import { DayClock } from '../../src/history/clock.js';
import { RETENTION, applyPending, prune } from '../../src/history/apply.js';
import { readDay } from '../../src/history/day.js';
import { MemoryKv } from '../../src/history/kv.js';
import { History } from '../../src/history/pending.js';

const clock = new DayClock('UTC');
const T = Date.parse('2026-11-29T10:15:30Z');
const apply = (kv: MemoryKv, h: History, maxRows = 1000, now = T) => applyPending(kv, h.take(), { clock, maxRows, now, retention: RETENTION });

describe('history buckets', () => {
  it('adds a count to its minute, its hour and its day, over several commits', () => {
    const kv = new MemoryKv();
    const h = new History(clock);
    h.at(T), h.add('sent:smtp', 2);
    h.at(T + 60_000), h.add('sent:smtp', 3);
    apply(kv, h);
    h.at(T + 3 * 3_600_000), h.add('sent:smtp', 5);
    apply(kv, h, 1000, T + 3 * 3_600_000);
    const d = readDay(kv, '2026-11-29', clock);
    expect(d.counters.get('sent:smtp')).toBe(10);
    expect([...d.hours.values()].map((b) => b.get('sent:smtp'))).toEqual([5, 5]);
    expect([...kv.range('hm:', 'hm;')].length).toBe(3);
  });

  it('puts an event in the day of its own time, not of the commit', () => {
    const kv = new MemoryKv();
    const h = new History(clock);
    h.at(Date.parse('2026-11-28T23:59:59Z')), h.add('recv:smtp', 1);
    h.at(Date.parse('2026-11-29T00:00:00Z')), h.add('recv:smtp', 1);
    apply(kv, h);
    expect(readDay(kv, '2026-11-28', clock).counters.get('recv:smtp')).toBe(1);
    expect(readDay(kv, '2026-11-29', clock).counters.get('recv:smtp')).toBe(1);
  });

  it('keeps a table exact up to its cap and sums the rest in one other row, over commits', () => {
    const kv = new MemoryKv();
    const h = new History(clock);
    h.at(T);
    for (let i = 0; i < 5; i++) h.fact('recipientDomains', '', `d${i}.test`, { count: 1, bytes: 100 });
    apply(kv, h, 3);
    h.at(T);
    h.fact('recipientDomains', '', 'd0.test', { count: 1, bytes: 100 }); // known: its own row grows
    h.fact('recipientDomains', '', 'd9.test', { count: 1, bytes: 100 }); // new, over the cap: other
    apply(kv, h, 3);
    const rows = readDay(kv, '2026-11-29', clock).tables.get('recipientDomains')!;
    const byItem = Object.fromEntries(rows.map((r) => [r.item, r.sums[0]]));
    expect(byItem).toEqual({ '': 3, 'd0.test': 2, 'd1.test': 1, 'd2.test': 1 });
    expect(rows.reduce((s, r) => s + r.sums[1], 0)).toBe(700); // every byte is still there
    expect(readDay(kv, '2026-11-29', clock).rowCounts.get('recipientDomains')).toBe(3);
  });

  it('sums delays of sent mail and keeps the maximum over sent and deferred', () => {
    const kv = new MemoryKv();
    const h = new History(clock);
    h.at(T);
    h.fact('recipientDomains', '', 'a.test', { count: 1, delay: 2, sent: true });
    h.fact('recipientDomains', '', 'a.test', { count: 1, delay: 4, sent: true });
    h.fact('recipientDomains', '', 'a.test', { defers: 1, delay: 30 });
    apply(kv, h);
    const [row] = readDay(kv, '2026-11-29', clock).tables.get('recipientDomains')!;
    expect(row!.sums).toEqual([2, 0, 1, 6000, 30000]);
  });

  it('prunes minutes after 48 hours and hours after 400 days, keeping the day buckets', () => {
    const kv = new MemoryKv();
    const h = new History(clock);
    h.at(T), h.add('sent:smtp', 1), h.fact('senders', '', 'ok.test', { count: 1 });
    apply(kv, h);
    const later = T + 49 * 3_600_000;
    prune(kv, later, clock);
    expect([...kv.range('hm:', 'hm;')].length).toBe(0);
    expect([...kv.range('hh:', 'hh;')].length).toBe(1);
    prune(kv, T + 401 * 86_400_000, clock);
    expect([...kv.range('hh:', 'hh;')].length).toBe(0);
    expect([...kv.range('t:', 't;')].length).toBe(0);
    expect(readDay(kv, '2026-11-29', clock).counters.get('sent:smtp')).toBe(1);
  });

  it('puts back a batch whose commit failed, in front of what came since', () => {
    const h = new History(clock);
    h.at(T), h.add('sent:smtp', 1), h.fact('senders', '', 'ok.test', { count: 1 });
    const failed = h.take();
    h.at(T), h.add('sent:smtp', 2), h.fact('senders', '', 'ok.test', { count: 1 });
    h.restore(failed);
    const kv = new MemoryKv();
    apply(kv, h);
    const d = readDay(kv, '2026-11-29', clock);
    expect(d.counters.get('sent:smtp')).toBe(3);
    expect(d.tables.get('senders')![0]!.sums[0]).toBe(2);
  });
});
