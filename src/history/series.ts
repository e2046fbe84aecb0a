// History as graphs and dashboards read it: one counter's (or a kind's total's) points per minute,
// hour or day over a time range, zeros where nothing was counted. Reads a Kv (the daemon reads its
// own store; nothing else opens it).
import { nextDay, type DayClock } from './clock.js';
import { isOfKind, isTotalKey } from '../counters/key.js';
import type { Kv } from './kv.js';
import { HOUR_MS, MINUTE_MS, dayKey, decodeBucket, hourKey, minuteKey } from './layout.js';

export type Step = 'minute' | 'hour' | 'day';
export const STEPS: readonly Step[] = ['minute', 'hour', 'day'];

export interface Point {
  /** The start of the bucket, ms since the epoch. */
  readonly t: number;
  readonly v: number;
}

/**
 * What a series sums in each bucket: one key exactly (`sent:smtp`), or every total key of a kind
 * (`{ kind: 'sent' }`: sent:smtp + sent:lmtp + ..., as a graph of "sent" wants; not the per-host or
 * per-instance keys, which are parts of the totals).
 */
export type Selector = { readonly key: string } | { readonly kind: string };

/** Most points one series may have: a year of days, 48 hours of minutes, 400 days of hours. */
const MAX_POINTS = 10_000;

export function series(kv: Kv, clock: DayClock, sel: Selector, step: Step, from: number, to: number): Point[] {
  return seriesOf(kv, clock, [sel], step, from, to)[0]!;
}

/** Several selectors' series over one window, each bucket read and decoded once for all of them. */
export function seriesOf(kv: Kv, clock: DayClock, sels: readonly Selector[], step: Step, from: number, to: number): Point[][] {
  const picks = sels.map(picker);
  const out: Point[][] = sels.map(() => []);
  const push = (t: number, b: ReadonlyMap<string, number> | undefined) => picks.forEach((pick, i) => out[i]!.push({ t, v: b === undefined ? 0 : pick(b) }));
  if (step === 'day') {
    for (let d = clock.dayOf(from), t = clock.startOf(d), n = 0; t < to && n < MAX_POINTS; d = nextDay(d), t = clock.startOf(d), n++) {
      push(t, decodeBucket(kv.get(dayKey(d))));
    }
    return out;
  }
  const size = step === 'minute' ? MINUTE_MS : HOUR_MS;
  const keyOf = step === 'minute' ? minuteKey : hourKey;
  const first = Math.floor(from / size);
  const last = Math.min(Math.ceil(to / size), first + MAX_POINTS);
  // one range read, then zeros filled in: most buckets of a quiet host are absent
  const found = new Map<number, Map<string, number>>();
  for (const { key, value } of kv.range(keyOf(first), keyOf(last))) found.set(Number(key.slice(3)), decodeBucket(value));
  for (let i = first; i < last; i++) push(i * size, found.get(i));
  return out;
}

function picker(sel: Selector): (b: ReadonlyMap<string, number>) => number {
  if ('key' in sel) return (b) => b.get(sel.key) ?? 0;
  return (b) => {
    let n = 0;
    for (const [k, v] of b) if (isTotalKey(k) && isOfKind(k, sel.kind)) n += v;
    return n;
  };
}
