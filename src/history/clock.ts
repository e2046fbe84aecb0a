// Days in a time zone. History buckets of minutes and hours are UTC and need no zone; the per-day
// tables and day buckets are the days of one zone (the daemon's --tz, or the report's), as an
// admin reads "yesterday". Days are named `YYYY-MM-DD`, so their names sort as they follow each other.

/** A local time: its day's name and fields (month 1-12, hour 0-23). */
export interface LocalTime {
  readonly day: string;
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly h: number;
  readonly min: number;
  readonly s: number;
}

export class DayClock {
  private readonly fmt: Intl.DateTimeFormat;
  /** The last day looked up, [start, end): most records of a stretch fall in one day. */
  private start = 1;
  private end = 0;
  private name = '';

  /** Throws RangeError for a zone Intl does not know. */
  constructor(readonly tz: string) {
    this.fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  /** The name of the local day holding `time` (ms since the epoch). */
  dayOf(time: number): string {
    if (time >= this.start && time < this.end) return this.name;
    const name = this.wall(time).day;
    const start = this.startOf(name);
    this.name = name;
    this.start = start;
    this.end = this.startOf(nextDay(name));
    return name;
  }

  /** The first ms of local day `day` (a DST day has 23 or 25 hours; midnight itself may not exist). */
  startOf(day: string): number {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const utcMidnight = Date.UTC(y, m - 1, d);
    // Two rounds of "local minus UTC" converge: an offset changes at most once near a midnight.
    let t = utcMidnight - this.offset(utcMidnight);
    t = utcMidnight - this.offset(t);
    // Where midnight is skipped (a DST jump at 00:00), the day starts at its first existing minute.
    while (this.wall(t).day !== day && this.wall(t).day < day) t += 60_000;
    while (this.wall(t - 60_000).day === day) t -= 60_000;
    return t;
  }

  /** Local time minus UTC at `time`, in ms. */
  offset(time: number): number {
    const p = this.wall(time);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(time / 1000) * 1000;
  }

  /** The wall-clock fields of `time` in the zone, and the name of its day. */
  wall(time: number): LocalTime {
    const parts: Record<string, string> = {};
    for (const { type, value } of this.fmt.formatToParts(time)) parts[type] = value;
    const y = Number(parts.year), m = Number(parts.month), d = Number(parts.day);
    return { day: `${parts.year}-${parts.month}-${parts.day}`, y, m, d, h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
  }
}

/** The day `n` days after `day` (before it for n < 0), by the calendar: day names are zone-free. */
export function shiftDay(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return shiftDay(day, 1);
}

/**
 * A zone name Intl knows, in its canonical spelling (`Etc/UTC`, `US/Eastern` and `europe/berlin` are
 * other names of one zone); null otherwise. The daemon and the report both spell zones so, since a
 * report from the store must ask for the zone its days were kept in.
 */
export function checkZone(tz: string): string | null {
  if (tz === '' || /[\r\n]/.test(tz)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone the system runs in (TZ, else /etc/localtime), as Intl sees it. */
export function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
