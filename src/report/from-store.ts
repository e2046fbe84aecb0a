// A report from the daemon's history: the day files it publishes in DIR/days (only the daemon opens
// LMDB). A day with no file had no mail counted; a damaged file, or days kept in another zone than
// the report asks for, is an error, never a number that may be wrong.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DayClock, checkZone } from '../history/clock.js';
import type { DayData } from '../history/day.js';
import { decodeDayFile } from '../history/day-file.js';
import { DAYS_DIR } from '../history/day-file.js';
import { buildSummary } from './build.js';
import { EXIT } from '../config/exit-codes.js';
import { ReportInputError, readError } from './input-error.js';
import { daysOf, type PeriodLike } from './period.js';
import type { Summary } from './summary.js';

/** No day file comes near this: 13 tables of 1,000 rows are under 2 MB. */
const MAX_DAY_FILE = 64 << 20;

export function summaryFromStore(dir: string, period: PeriodLike): Summary {
  const daysDir = join(dir, DAYS_DIR);
  try {
    statSync(daysDir);
  } catch (e) {
    const err = readError(daysDir, e);
    if (err.code !== EXIT.noInput) throw err;
    throw new ReportInputError(`no history at ${daysDir}: postfix-statsd publishes it there (is it running with --db ${dir}?)`, EXIT.noInput);
  }
  const clock = new DayClock(period.tz);
  const days: DayData[] = [];
  let asOf = 0;
  for (const day of daysOf(clock, period)) {
    const path = join(daysDir, day);
    let text: string;
    try {
      const buf = readFileSync(path);
      if (buf.length > MAX_DAY_FILE) throw new ReportInputError(`${path} is too large to be a day file`, EXIT.ioErr);
      text = buf.toString('utf8');
    } catch (e) {
      if (e instanceof ReportInputError) throw e;
      const err = readError(path, e);
      if (err.code !== EXIT.noInput) throw err;
      days.push(emptyDay(day, period.tz));
      continue;
    }
    const d = decodeDayFile(text);
    if (!d.ok) throw new ReportInputError(`${path} is ${d.message}`, EXIT.ioErr);
    // days kept by a daemon that did not yet spell its zone canonically compare by the zone, not the name
    const kept = checkZone(d.day.data.tz) ?? d.day.data.tz;
    if (kept !== period.tz) throw new ReportInputError(`the daemon keeps its days in the zone ${kept}; ask for the report in it (--tz ${kept})`, EXIT.usage);
    days.push(d.day.data);
    asOf = Math.max(asOf, d.day.asOf);
  }
  return buildSummary({ from: period.from, to: period.to, clock, input: 'store', asOf, days });
}

function emptyDay(day: string, tz: string): DayData {
  return { day, tz, counters: new Map(), hours: new Map(), tables: new Map(), rowCounts: new Map() };
}
