import { describe, it, expect } from 'vitest';
import { niceTicks, timeTicks } from '../../../src/serve/http/ticks.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('y scale', () => {
  it('rounds the top up to whole steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceTicks(10)).toEqual({ top: 10, ticks: [0, 5, 10] });
    expect(niceTicks(1234)).toEqual({ top: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceTicks(99_999).ticks.every((t) => t % 10_000 === 0)).toBe(true);
  });

  it('counts are whole: a max of 1 or 2 gives steps of 1, never 0.5', () => {
    expect(niceTicks(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceTicks(2)).toEqual({ top: 2, ticks: [0, 1, 2] });
  });

  it('nothing counted (0, NaN) still draws an axis from 0 to 1', () => {
    expect(niceTicks(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceTicks(Number.NaN)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it('the top is never below the max, and about four steps reach it', () => {
    for (const max of [3, 17, 49, 50, 51, 333, 86_400, 1e9 + 7]) {
      const s = niceTicks(max);
      expect(s.top).toBeGreaterThanOrEqual(max);
      expect(s.ticks.length).toBeGreaterThanOrEqual(3);
      expect(s.ticks.length).toBeLessThanOrEqual(6);
    }
  });
});

describe('time ticks', () => {
  it('48 hours in UTC: midnight and noon, midnight named by its weekday', () => {
    const ticks = timeTicks(at('2026-11-27T16:28:00Z'), at('2026-11-29T16:28:00Z'), 'UTC');
    expect(ticks.map((t) => new Date(t.t).toISOString())).toEqual([
      '2026-11-28T00:00:00.000Z', '2026-11-28T12:00:00.000Z', '2026-11-29T00:00:00.000Z', '2026-11-29T12:00:00.000Z',
    ]);
    expect(ticks.map((t) => t.label)).toEqual(['Sat', '12:00', 'Sun', '12:00']);
  });

  it('48 hours in Asia/Kolkata (+05:30): ticks on local full hours, not UTC ones', () => {
    const ticks = timeTicks(at('2026-11-27T16:28:00Z'), at('2026-11-29T16:28:00Z'), 'Asia/Kolkata');
    expect(ticks[0]!.t).toBe(at('2026-11-27T18:30:00Z'));
    expect(ticks[0]!.label).toBe('Sat');
    expect(ticks.every((t) => (t.t + 5.5 * H) % (12 * H) === 0)).toBe(true);
  });

  it('30 days: Mondays at local midnight (Europe/Berlin)', () => {
    const ticks = timeTicks(at('2026-10-30T17:00:00Z'), at('2026-11-29T17:00:00Z'), 'Europe/Berlin');
    expect(ticks.map((t) => t.label)).toEqual(['2 Nov', '9 Nov', '16 Nov', '23 Nov']);
    expect(ticks[0]!.t).toBe(at('2026-11-01T23:00:00Z'));
  });

  it('a year: every other month start, January labelled with its year', () => {
    const ticks = timeTicks(at('2025-11-30T00:00:00Z'), at('2026-11-30T00:00:00Z'), 'UTC');
    expect(ticks.map((t) => t.label)).toEqual(['2026', 'Mar', 'May', 'Jul', 'Sep', 'Nov']);
  });

  it('a day-long span over a DST change (America/New_York, 2026-11-01) keeps local hours', () => {
    const ticks = timeTicks(at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z'), 'America/New_York');
    // EDT until 06:00 UTC, EST after: local 00:00 is 04:00Z, local 06:00 is 11:00Z
    expect(ticks.map((t) => `${t.label}@${new Date(t.t).toISOString().slice(11, 16)}`)).toEqual(['Sun@04:00', '06:00@11:00', '12:00@17:00', '18:00@23:00']);
  });

  it('an empty span has no ticks', () => {
    expect(timeTicks(5, 5, 'UTC')).toEqual([]);
  });
});
