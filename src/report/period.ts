// The stretch of time a report covers, as instants, and the wall-clock arithmetic of the time zone
// it is read in. Days are local days: a DST day in Europe/Berlin is 23 or 25 hours long, and a zone
// may even skip midnight (America/Havana), so nothing here adds 24 h or assumes a fixed offset.
import { DayClock, nextDay, shiftDay } from '../history/clock.js';
import { DAY_MS } from '../history/layout.js';

export interface Period {
  /** [from, to) in epoch ms. */
  readonly from: number;
  readonly to: number;
  /** IANA zone name the days and hours are local to. */
  readonly tz: string;
  /** What a reader calls it: `2026-11-29`, or `2026-11-29 08:00 to 2026-11-30 00:00`. */
  readonly label: string;
}

/** A report's period as the inputs need it (without its label). */
export type PeriodLike = Pick<Period, 'from' | 'to' | 'tz'>;

export interface Wall {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export type PeriodSpec =
  | { readonly day: string }
  | { readonly from: string; readonly to?: string };

export type ParsedPeriod = { ok: true; period: Period } | { ok: false; error: string };

/** One clock per zone: the days it cuts are the history's (the daemon's DayClock), so a report's days are exactly the days kept. */
const clocks = new Map<string, DayClock>();

function clockOf(tz: string): DayClock {
  let c = clocks.get(tz);
  if (c === undefined) clocks.set(tz, (c = new DayClock(tz)));
  return c;
}

/** Wall-clock fields of an instant in a zone (seconds dropped by the callers that compare them). */
function wallOf(t: number, tz: string): Wall {
  const w = clockOf(tz).wall(t);
  return { year: w.y, month: w.m, day: w.d, hour: w.h, minute: w.min };
}

/**
 * The instant a wall-clock time names in a zone. Ambiguous times (the repeated hour of autumn) give
 * the earlier instant; times in a spring gap are read with the offset before the gap, landing as
 * far after it as they were into it (Temporal's "compatible" choice). Assumes at most one offset
 * change within a day around it, true of every zone in the tz database.
 */
export function instantOf(w: Wall, tz: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const clock = clockOf(tz);
  const before = naive - clock.offset(naive - DAY_MS);
  const after = naive - clock.offset(naive + DAY_MS);
  const fits = (t: number): boolean => {
    const g = wallOf(t, tz);
    return g.year === w.year && g.month === w.month && g.day === w.day && g.hour === w.hour && g.minute === w.minute;
  };
  const candidates = [before, after].filter(fits).sort((a, b) => a - b);
  return candidates[0] ?? before;
}

/** YYYY-MM-DD of a calendar date. */
function dayString(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:MM` of an instant in a zone. */
export function wallString(t: number, tz: string): string {
  const w = clockOf(tz).wall(t);
  return `${w.day} ${String(w.h).padStart(2, '0')}:${String(w.min).padStart(2, '0')}`;
}

/** [start, end) of local day `day` (YYYY-MM-DD): its first instant to the next day's first instant. */
export function dayBounds(day: string, tz: string): { from: number; to: number } {
  const clock = clockOf(tz);
  return { from: clock.startOf(day), to: clock.startOf(nextDay(day)) };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

/** A real calendar date and time of day (no 2026-02-30, no 24:00), or null. */
function parseWall(text: string, re: RegExp): (Wall & { timeGiven: boolean }) | null {
  const m = re.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const timeGiven = m[4] !== undefined;
  const hour = timeGiven ? Number(m[4]) : 0;
  const minute = timeGiven ? Number(m[5]) : 0;
  // a date the calendar has: Date.UTC would roll 2026-02-30 over into March
  if (year < 1970 || shiftDay(dayString(year, month, day), 0) !== dayString(year, month, day) || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute, timeGiven };
}

/**
 * --day today|yesterday|YYYY-MM-DD, or --from YYYY-MM-DD[THH:MM] [--to ...], in zone tz, `now` being
 * the current instant. A --to date without a time includes that whole day; with a time it is the
 * first minute left out. --from without --to runs to `now`.
 */
export function parsePeriod(spec: PeriodSpec, tz: string, now: number): ParsedPeriod {
  if ('day' in spec) {
    let date: string;
    if (spec.day === 'today' || spec.day === 'yesterday') {
      date = shiftDay(clockOf(tz).wall(now).day, spec.day === 'today' ? 0 : -1);
    } else {
      const w = parseWall(spec.day, DATE);
      if (w === null) return { ok: false, error: `--day needs today, yesterday or YYYY-MM-DD, not ${JSON.stringify(spec.day.slice(0, 40))}` };
      date = dayString(w.year, w.month, w.day);
    }
    return { ok: true, period: { ...dayBounds(date, tz), tz, label: date } };
  }
  const f = parseWall(spec.from, DATE_TIME);
  if (f === null) return { ok: false, error: `--from needs YYYY-MM-DD or YYYY-MM-DDTHH:MM, not ${JSON.stringify(spec.from.slice(0, 40))}` };
  const from = instantOf(f, tz);
  let to = now;
  if (spec.to !== undefined) {
    const t = parseWall(spec.to, DATE_TIME);
    if (t === null) return { ok: false, error: `--to needs YYYY-MM-DD or YYYY-MM-DDTHH:MM, not ${JSON.stringify(spec.to.slice(0, 40))}` };
    to = t.timeGiven ? instantOf(t, tz) : dayBounds(dayString(t.year, t.month, t.day), tz).to;
  }
  if (!(to > from)) return { ok: false, error: `the period is empty: --to (${wallString(to, tz)}) is not after --from (${wallString(from, tz)})` };
  return { ok: true, period: { from, to, tz, label: `${wallString(from, tz)} to ${wallString(to, tz)}` } };
}

/** The local days that [from, to) touches, oldest first. */
export function daysOf(clock: DayClock, p: PeriodLike): string[] {
  const out: string[] = [];
  if (p.to <= p.from) return out;
  const last = clock.dayOf(p.to - 1);
  for (let d = clock.dayOf(p.from); d <= last; d = nextDay(d)) out.push(d);
  return out;
}
