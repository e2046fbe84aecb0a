// Local days as an admin reads "yesterday": DST days are 23 and 25 hours long, and a day's name
// follows the zone, not UTC.
import { describe, expect, it } from 'vitest';
import { DayClock, nextDay } from '../../src/history/clock.js';

const H = 3_600_000;

describe('DayClock', () => {
  it('gives the spring-forward day in Europe/Berlin 23 hours and the fall-back day 25', () => {
    const c = new DayClock('Europe/Berlin');
    expect(c.startOf('2026-03-30') - c.startOf('2026-03-29')).toBe(23 * H);
    expect(c.startOf('2026-10-26') - c.startOf('2026-10-25')).toBe(25 * H);
    expect(c.startOf('2026-07-02') - c.startOf('2026-07-01')).toBe(24 * H);
  });

  it('starts a Berlin day at 23:00 UTC in winter and 22:00 UTC in summer', () => {
    const c = new DayClock('Europe/Berlin');
    expect(new Date(c.startOf('2026-01-15')).toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(new Date(c.startOf('2026-07-15')).toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('names the day of a time by the zone: one instant is two days in Tokyo and Los Angeles', () => {
    const t = Date.parse('2026-11-29T20:00:00Z');
    expect(new DayClock('Asia/Tokyo').dayOf(t)).toBe('2026-11-30');
    expect(new DayClock('America/Los_Angeles').dayOf(t)).toBe('2026-11-29');
    expect(new DayClock('UTC').dayOf(t)).toBe('2026-11-29');
  });

  it('keeps a day from its first to its last millisecond, from whichever side it is asked', () => {
    const c = new DayClock('America/New_York');
    const start = c.startOf('2026-11-01'); // the fall-back day
    const end = c.startOf(nextDay('2026-11-01'));
    expect(c.dayOf(end - 1)).toBe('2026-11-01');
    expect(c.dayOf(start)).toBe('2026-11-01');
    expect(c.dayOf(start - 1)).toBe('2026-10-31');
    expect(c.dayOf(end)).toBe('2026-11-02');
  });

  it('refuses a zone that does not exist', () => {
    expect(() => new DayClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('walks the calendar across a month and a leap day', () => {
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2028-02-29')).toBe('2028-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
