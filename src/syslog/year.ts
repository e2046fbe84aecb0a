// Classic syslog and postlogd time stamps (`Nov 22 04:01:45`) carry neither year nor zone. They are
// local time (the process's TZ, as the writer's), and the year is inferred the way a reader of the
// log would: the year of the record before, one more when the month goes forward across New Year
// (Dec -> Jan), and never a time more than a day ahead of now, which would be last year's record
// (a log from December read in January). The first record starts from the current year.

const DAY_MS = 86_400_000;
/** A month earlier than the last record's by less than this many months is an out-of-order line, not a new year. */
const NEW_YEAR_SPAN = 6;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface YearPosition {
  readonly year: number;
  readonly month: number;
  readonly lastKey: number;
  readonly lastHour: number;
}

/** Whether two positions place every later record alike. */
export function samePosition(a: YearPosition, b: YearPosition): boolean {
  return a.year === b.year && a.month === b.month && a.lastKey === b.lastKey && Object.is(a.lastHour, b.lastHour);
}

export class YearClock {
  private year: number;
  /** Month (0-11) of the last record placed; -1 before the first. */
  private month = -1;
  // the last hour asked for and its answer: consecutive records mostly share their hour
  private lastKey = -1;
  private lastHour = NaN;

  constructor(
    private readonly now: () => number = Date.now,
    startYear: number = new Date(now()).getFullYear(),
  ) {
    this.year = startYear;
  }

  /**
   * Epoch ms of the local hour `hour` (0-23) of day `day` of `month` (0-11), in the year inferred for
   * it; NaN for a day or hour that does not exist. Records must be asked about in log order.
   */
  hourStart(month: number, day: number, hour: number): number {
    const key = (month * 32 + day) * 24 + hour;
    if (key === this.lastKey) return this.lastHour;
    this.lastKey = key;
    this.lastHour = this.place(month, day, hour);
    return this.lastHour;
  }

  /** Everything the next placement depends on besides its record and now: see resumed(). */
  get position(): YearPosition {
    return { year: this.year, month: this.month, lastKey: this.lastKey, lastHour: this.lastHour };
  }

  /** A clock that places the next record exactly as the one whose position this was would. */
  static resumed(p: YearPosition, now: () => number = Date.now): YearClock {
    const c = new YearClock(now, p.year);
    c.month = p.month;
    c.lastKey = p.lastKey;
    c.lastHour = p.lastHour;
    return c;
  }

  /** The year the last record was placed in. */
  get current(): number {
    return this.year;
  }

  private place(month: number, day: number, hour: number): number {
    if (month < 0 || month > 11 || day < 1 || day > 31 || hour < 0 || hour > 23) return NaN;
    if (this.month >= 0 && month < this.month && month + 12 - this.month <= NEW_YEAR_SPAN) this.year++;
    this.month = month;
    let y = this.fit(this.year, month, day);
    if (Number.isNaN(y)) return NaN;
    let t = new Date(y, month, day, hour).getTime();
    if (t > this.now() + DAY_MS) {
      y = this.fit(y - 1, month, day);
      t = new Date(y, month, day, hour).getTime();
    }
    this.year = y;
    return t;
  }

  /** `y`, or for Feb 29 the latest leap year up to `y` (the day exists in no other); NaN: no such day. */
  private fit(y: number, month: number, day: number): number {
    if (month === 1 && day === 29) {
      while (!isLeap(y)) y--;
      return y;
    }
    return day <= DAYS[month]! ? y : NaN;
  }
}
