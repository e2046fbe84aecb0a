// Where a chart's axes get their ticks: round counts up the y axis, and times on the x axis that
// an admin reads at a glance (noon and midnight, Mondays, the first of a month) in the page's zone.
import { DayClock, nextDay } from '../../history/clock.js';

export interface YScale {
  /** The top of the axis: the largest value rounded up to a whole number of steps. */
  readonly top: number;
  readonly ticks: readonly number[];
}

/** 0 up to `max` in about `target` steps of 1, 2 or 5 times a power of ten; counts are whole, so steps are too. */
export function niceTicks(max: number, target = 4): YScale {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, ticks: [0, 1] };
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = Math.max(1, (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag);
  const n = Math.ceil(max / step);
  // multiples, not a running sum: 0.1 + 0.2 must not creep into a label
  return { top: n * step, ticks: Array.from({ length: n + 1 }, (_, i) => i * step) };
}

export interface TimeTick {
  readonly t: number;
  readonly label: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Every zone's offset is a whole number of quarter hours, so local full hours fall on these. */
const QUARTER = HOUR / 4;

/**
 * Ticks in [from, to] at most `max` of them: local hours (multiples of 1, 2, 3, 6 or 12) up to three
 * days, then local midnights (daily, every other day, or Mondays), then the first days of months.
 */
export function timeTicks(from: number, to: number, tz: string, max = 6): TimeTick[] {
  const span = to - from;
  if (!(span > 0)) return [];
  if (span <= 3 * DAY) return hourTicks(from, to, tz, max);
  if (span <= 100 * DAY) return dayTicks(from, to, tz, max);
  return monthTicks(from, to, tz, max);
}

/** A time's fields in `fmt`'s zone (year, month, day, hour, minute...). */
export function parts(fmt: Intl.DateTimeFormat, t: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { type, value } of fmt.formatToParts(t)) out[type] = value;
  return out;
}

function hourTicks(from: number, to: number, tz: string, max: number): TimeTick[] {
  const every = [1, 2, 3, 6, 12, 24].find((k) => (to - from) / (k * HOUR) <= max) ?? 24;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const out: TimeTick[] = [];
  for (let t = Math.ceil(from / QUARTER) * QUARTER; t <= to; t += QUARTER) {
    const p = parts(fmt, t);
    const h = Number(p.hour);
    if (p.minute !== '00' || h % every !== 0) continue;
    // midnight names its day: the axis has no other date on it
    out.push({ t, label: h === 0 ? p.weekday! : `${p.hour}:00` });
  }
  return out;
}

function dayTicks(from: number, to: number, tz: string, max: number): TimeTick[] {
  const clock = new DayClock(tz);
  const days = (to - from) / DAY;
  const mondays = days / 2 > max;
  const every = days <= max ? 1 : 2;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' });
  const out: TimeTick[] = [];
  let i = 0;
  for (let d = clock.dayOf(from), t = clock.startOf(d); t <= to; d = nextDay(d), t = clock.startOf(d)) {
    if (t < from) continue;
    // the day's name is zone-free, so its weekday is UTC's of the same date
    const monday = new Date(`${d}T00:00:00Z`).getUTCDay() === 1;
    if (mondays ? monday : i++ % every === 0) out.push({ t, label: fmt.format(t) });
  }
  return out;
}

function monthTicks(from: number, to: number, tz: string, max: number): TimeTick[] {
  const months = (to - from) / (30.44 * DAY);
  const every = [1, 2, 3, 6, 12].find((k) => months / k <= max) ?? 12;
  const clock = new DayClock(tz);
  // en-US: en-GB's ICU says "Sept"
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, month: 'short' });
  const out: TimeTick[] = [];
  let [y, m] = clock.dayOf(from).split('-').map(Number) as [number, number];
  for (;;) {
    const day = `${y}-${String(m).padStart(2, '0')}-01`;
    const t = clock.startOf(day);
    if (t > to) break;
    // January is labelled with its year: the one place the axis says which year it is
    if (t >= from && (m - 1) % every === 0) out.push({ t, label: m === 1 ? String(y) : fmt.format(t) });
    if (++m > 12) (m = 1), y++;
  }
  return out;
}
