import { describe, it, expect } from 'vitest';
import { checkZone } from '../../src/history/clock.js';
import { dayBounds, instantOf, parsePeriod, wallString, type PeriodSpec } from '../../src/report/period.js';

const H = 3_600_000;
const ok = (spec: PeriodSpec, tz: string, now = Date.UTC(2026, 10, 29, 12)) => {
  const r = parsePeriod(spec, tz, now);
  if (!r.ok) throw new Error(r.error);
  return r.period;
};
const err = (spec: PeriodSpec, tz = 'UTC', now = Date.UTC(2026, 10, 29, 12)) => {
  const r = parsePeriod(spec, tz, now);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
};

describe('period: local days', () => {
  it('an ordinary Berlin day is 24 h, starting at 23:00 UTC the day before (CET, +01:00)', () => {
    const p = ok({ day: '2026-11-29' }, 'Europe/Berlin');
    expect(p.from).toBe(Date.UTC(2026, 10, 28, 23));
    expect(p.to - p.from).toBe(24 * H);
    expect(p.label).toBe('2026-11-29');
    expect(p.tz).toBe('Europe/Berlin');
  });

  it('the spring DST day in Berlin (2026-03-29) is 23 h', () => {
    const p = ok({ day: '2026-03-29' }, 'Europe/Berlin');
    expect(p.from).toBe(Date.UTC(2026, 2, 28, 23));
    expect(p.to).toBe(Date.UTC(2026, 2, 29, 22));
    expect(p.to - p.from).toBe(23 * H);
  });

  it('the autumn DST day in Berlin (2026-10-25) is 25 h', () => {
    const p = ok({ day: '2026-10-25' }, 'Europe/Berlin');
    expect(p.from).toBe(Date.UTC(2026, 9, 24, 22));
    expect(p.to).toBe(Date.UTC(2026, 9, 25, 23));
    expect(p.to - p.from).toBe(25 * H);
  });

  it('--tz changes the day: the same date in New York starts 6 h after Berlin', () => {
    const ny = ok({ day: '2026-11-29' }, 'America/New_York');
    expect(ny.from).toBe(Date.UTC(2026, 10, 29, 5));
    expect(ny.from - ok({ day: '2026-11-29' }, 'Europe/Berlin').from).toBe(6 * H);
  });

  it('a zone that skips midnight (Havana, 2026-03-08 00:00 -> 01:00) starts its day at the first instant after the gap', () => {
    const b = dayBounds('2026-03-08', 'America/Havana');
    expect(wallString(b.from, 'America/Havana')).toBe('2026-03-08 01:00');
    expect(b.to - b.from).toBe(23 * H);
  });

  it('today and yesterday are the local dates of now: 00:30 in Berlin is still the previous day in UTC', () => {
    const now = Date.UTC(2026, 10, 28, 23, 30); // 2026-11-29 00:30 in Berlin
    expect(ok({ day: 'today' }, 'Europe/Berlin', now).label).toBe('2026-11-29');
    expect(ok({ day: 'yesterday' }, 'Europe/Berlin', now).label).toBe('2026-11-28');
    expect(ok({ day: 'today' }, 'UTC', now).label).toBe('2026-11-28');
  });

  it('yesterday across a month and a year end', () => {
    expect(ok({ day: 'yesterday' }, 'UTC', Date.UTC(2027, 0, 1, 5)).label).toBe('2026-12-31');
  });
});

describe('period: --from/--to', () => {
  it('a wall time in the autumn repeated hour is its first occurrence; one in the spring gap lands after it', () => {
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('--to with a date only includes that whole day; with a time it is the first minute left out', () => {
    const p = ok({ from: '2026-11-28', to: '2026-11-29' }, 'Europe/Berlin');
    expect(p.to - p.from).toBe(48 * H);
    const q = ok({ from: '2026-11-28T08:00', to: '2026-11-28T09:15' }, 'Europe/Berlin');
    expect(q.to - q.from).toBe(75 * 60_000);
    expect(q.label).toBe('2026-11-28 08:00 to 2026-11-28 09:15');
  });

  it('--from without --to runs to now', () => {
    const now = Date.UTC(2026, 10, 29, 12);
    expect(ok({ from: '2026-11-29' }, 'UTC', now).to).toBe(now);
  });

  it('refuses impossible dates, bad times, an empty period', () => {
    expect(err({ day: '2026-02-30' })).toMatch(/--day/);
    expect(err({ day: 'tomorrow' })).toMatch(/today, yesterday/);
    expect(err({ from: '2026-11-29T24:00' })).toMatch(/--from/);
    expect(err({ from: '2026-11-29', to: '29.11.2026' })).toMatch(/--to/);
    expect(err({ from: '2026-11-29T10:00', to: '2026-11-29T10:00' })).toMatch(/empty/);
  });
});

describe('period: zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(checkZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(checkZone('Mars/Olympus')).toBeNull();
    expect(checkZone('')).toBeNull();
  });
});
