// Classic and postlogd time stamps have no year: the YearClock must place each record in the year a
// reader of the log would, at New Year, for an old log read later, and on leap days.
import { describe, expect, it } from 'vitest';
import { YearClock } from '../../src/syslog/year.js';

const local = (y: number, mo: number, d: number, h = 0): number => new Date(y, mo, d, h).getTime();
/** A clock whose "now" is fixed, in local time. */
const clockAt = (y: number, mo: number, d: number, h = 12): YearClock => new YearClock(() => local(y, mo, d, h));

describe('YearClock', () => {
  it('starts in the current year', () => {
    expect(clockAt(2026, 10, 29).hourStart(10, 29, 4)).toBe(local(2026, 10, 29, 4));
  });

  it('rolls over to the next year from Dec 31 to Jan 1: the two records are an hour apart, not a year', () => {
    const c = clockAt(2027, 0, 1, 6);
    const dec31 = c.hourStart(11, 31, 23);
    const jan1 = c.hourStart(0, 1, 0);
    expect(dec31).toBe(local(2026, 11, 31, 23));
    expect(jan1).toBe(local(2027, 0, 1, 0));
    expect(jan1 - dec31).toBe(3_600_000);
  });

  it("places last year's log read in January in last year, then rolls into this year at its New Year", () => {
    const c = clockAt(2027, 0, 5);
    expect(c.hourStart(11, 28, 10)).toBe(local(2026, 11, 28, 10));
    expect(c.hourStart(11, 30, 10)).toBe(local(2026, 11, 30, 10));
    expect(c.hourStart(0, 2, 10)).toBe(local(2027, 0, 2, 10));
    expect(c.current).toBe(2027);
  });

  it('never places a record more than a day ahead of now, but allows a writer whose clock runs a little ahead', () => {
    const c = clockAt(2026, 5, 15, 12);
    expect(c.hourStart(5, 16, 6)).toBe(local(2026, 5, 16, 6)); // 18 h ahead: this year
    expect(clockAt(2026, 5, 15, 12).hourStart(5, 17, 6)).toBe(local(2025, 5, 17, 6)); // 42 h ahead: last year
  });

  it('keeps the year for a line a little out of order (Nov after Dec), and for a quiet log whose months move forward', () => {
    const c = clockAt(2026, 11, 20);
    expect(c.hourStart(11, 1, 0)).toBe(local(2026, 11, 1, 0));
    expect(c.hourStart(10, 30, 23)).toBe(local(2026, 10, 30, 23));
    const d = clockAt(2026, 11, 20);
    expect(d.hourStart(2, 1, 0)).toBe(local(2026, 2, 1, 0));
    expect(d.hourStart(10, 1, 0)).toBe(local(2026, 10, 1, 0));
  });

  it('rolls over across New Year after a quiet December too (Nov -> Feb)', () => {
    const c = clockAt(2027, 1, 10);
    expect(c.hourStart(10, 30, 0)).toBe(local(2026, 10, 30, 0));
    expect(c.hourStart(1, 2, 0)).toBe(local(2027, 1, 2, 0));
  });

  it('counts Feb 29 as a day of a leap year: Feb 28 -> Feb 29 -> Mar 1 are a day apart each', () => {
    const c = clockAt(2028, 2, 10);
    const feb28 = c.hourStart(1, 28, 12);
    const feb29 = c.hourStart(1, 29, 12);
    const mar1 = c.hourStart(2, 1, 12);
    expect(feb29).toBe(local(2028, 1, 29, 12));
    expect([feb29 - feb28, mar1 - feb29].map((ms) => Math.round(ms / 3_600_000))).toEqual([24, 24]);
  });

  it('places a Feb 29 read in a year without one in the last leap year, and what follows with it', () => {
    const c = clockAt(2029, 0, 10);
    expect(c.hourStart(1, 29, 8)).toBe(local(2028, 1, 29, 8));
    expect(c.hourStart(2, 1, 8)).toBe(local(2028, 2, 1, 8));
    expect(c.current).toBe(2028);
  });

  it.each([
    ['Feb 30', 1, 30, 0],
    ['Apr 31', 3, 31, 0],
    ['day 0', 0, 0, 0],
    ['hour 24', 0, 1, 24],
  ])('gives NaN for a day or hour that does not exist (%s)', (_, month, day, hour) => {
    expect(clockAt(2026, 5, 1).hourStart(month, day, hour)).toBeNaN();
  });
});
