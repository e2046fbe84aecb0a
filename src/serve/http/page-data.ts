// The status page's graphs from the history: six kinds, each per minute over 48 hours, per hour
// over 30 days and per local day over a year, as series() reads them (zeros where nothing counted).
import { nextDay, shiftDay, type DayClock } from '../../history/clock.js';
import type { Kv } from '../../history/kv.js';
import { HOUR_MS, MINUTE_MS } from '../../history/layout.js';
import { seriesOf, type Selector, type Step } from '../../history/series.js';
import type { Graph } from './page.js';

/** In the order of the page; the name is what the graph says, the selector what it sums. */
export const KINDS: readonly { readonly name: string; readonly sel: Selector }[] = [
  { name: 'received', sel: { kind: 'recv' } },
  { name: 'sent', sel: { kind: 'sent' } },
  { name: 'deferred', sel: { kind: 'deferred' } },
  { name: 'bounced', sel: { kind: 'bounced' } },
  { name: 'rejected', sel: { kind: 'smtpd' } },
  { name: 'held', sel: { key: 'held' } },
];

export interface Window {
  readonly step: Step;
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** The three windows, each ending with the bucket `now` is in, so the newest counts are on the graph. */
export function windows(clock: DayClock, now: number): Window[] {
  const minuteEnd = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  const hourEnd = (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
  const today = clock.dayOf(now);
  return [
    { step: 'minute', from: minuteEnd - 48 * HOUR_MS, to: minuteEnd, label: 'per minute, last 48 hours' },
    { step: 'hour', from: hourEnd - 30 * 24 * HOUR_MS, to: hourEnd, label: 'per hour, last 30 days' },
    { step: 'day', from: clock.startOf(shiftDay(today, -364)), to: clock.startOf(nextDay(today)), label: 'per day, last 365 days' },
  ];
}

/**
 * One graph per kind and window (18), grouped by window: six lines on one chart would put held and
 * bounced flat under received, so each kind gets its own y scale.
 */
export function pageGraphs(kv: Kv, clock: DayClock, now: number): Graph[] {
  return windows(clock, now).flatMap((w) => {
    // each window's buckets read once for the six kinds
    const all = seriesOf(kv, clock, KINDS.map((k) => k.sel), w.step, w.from, w.to);
    return KINDS.map((k, i) => ({ title: `${k.name}, ${w.label}`, step: w.step, tz: clock.tz, series: [{ name: k.name, points: all[i]! }] }));
  });
}
