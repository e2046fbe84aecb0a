// The stretch of time a report covers, as instants, and the wall-clock arithmetic of the time zone
// it is read in. Days are local days: a DST day in Europe/Berlin is 23 or 25 hours long, and a zone
// may even skip midnight (America/Havana), so nothing here adds 24 h or assumes a fixed offset.
import { DayClock, nextDay } from '../history/clock.js';
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone (seconds dropped). */
function wallOf(t: number, tz: string): Wall & { second: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** Local time minus UTC at instant t, in ms (whole seconds; Intl gives no sub-second offsets). */
function offsetAt(t: number, tz: string): number {
  const w = wallOf(t, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time names in a zone. Ambiguous times (the repeated hour of autumn) give
 * the earlier instant; times in a spring gap are read with the offset before the gap, landing as
 * far after it as they were into it (Temporal's "compatible" choice). Assumes at most one offset
 * change within a day around it, true of every zone in the tz database.
 */
export function instantOf(w: Wall, tz: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const before = naive - offsetAt(naive - DAY_MS, tz);
  const after = naive - offsetAt(naive + DAY_MS, tz);
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
  const w = wallOf(t, tz);
  return `${dayString(w.year, w.month, w.day)} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

/** The calendar date `delta` days after the given one (proleptic Gregorian, no zone involved). */
function addDays(year: number, month: number, day: number, delta: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + delta));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * [start, end) of a local calendar day: its first instant to the next day's first instant, as the
 * history's DayClock cuts days, so a report's days are exactly the days the daemon kept.
 */
export function dayBounds(year: number, month: number, day: number, tz: string): { from: number; to: number } {
  const clock = new DayClock(tz);
  const d = dayString(year, month, day);
  return { from: clock.startOf(d), to: clock.startOf(nextDay(d)) };
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
  const check = addDays(year, month, day, 0);
  if (year < 1970 || check.month !== month || check.day !== day || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute, timeGiven };
}

/**
 * --day today|yesterday|YYYY-MM-DD, or --from YYYY-MM-DD[THH:MM] [--to ...], in zone tz, `now` being
 * the current instant. A --to date without a time includes that whole day; with a time it is the
 * first minute left out. --from without --to runs to `now`.
 */
export function parsePeriod(spec: PeriodSpec, tz: string, now: number): ParsedPeriod {
  if ('day' in spec) {
    let date: { year: number; month: number; day: number };
    if (spec.day === 'today' || spec.day === 'yesterday') {
      const w = wallOf(now, tz);
      date = addDays(w.year, w.month, w.day, spec.day === 'today' ? 0 : -1);
    } else {
      const w = parseWall(spec.day, DATE);
      if (w === null) return { ok: false, error: `--day needs today, yesterday or YYYY-MM-DD, not ${JSON.stringify(spec.day.slice(0, 40))}` };
      date = w;
    }
    const b = dayBounds(date.year, date.month, date.day, tz);
    return { ok: true, period: { ...b, tz, label: dayString(date.year, date.month, date.day) } };
  }
  const f = parseWall(spec.from, DATE_TIME);
  if (f === null) return { ok: false, error: `--from needs YYYY-MM-DD or YYYY-MM-DDTHH:MM, not ${JSON.stringify(spec.from.slice(0, 40))}` };
  const from = instantOf(f, tz);
  let to = now;
  if (spec.to !== undefined) {
    const t = parseWall(spec.to, DATE_TIME);
    if (t === null) return { ok: false, error: `--to needs YYYY-MM-DD or YYYY-MM-DDTHH:MM, not ${JSON.stringify(spec.to.slice(0, 40))}` };
    to = t.timeGiven ? instantOf(t, tz) : dayBounds(t.year, t.month, t.day, tz).to;
  }
  if (!(to > from)) return { ok: false, error: `the period is empty: --to (${wallString(to, tz)}) is not after --from (${wallString(from, tz)})` };
  return { ok: true, period: { from, to, tz, label: `${wallString(from, tz)} to ${wallString(to, tz)}` } };
}
