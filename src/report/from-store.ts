// A report from the daemon's history: the day files it publishes in DIR/days (only the daemon opens
// LMDB). A day with no file had no mail counted; a damaged file, or days kept in another zone than
// the report asks for, is an error, never a number that may be wrong.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DayClock, checkZone } from '../history/clock.js';
import type { DayData } from '../history/day.js';
import { decodeDayFile } from '../history/day-file.js';
import { DAY, DAYS_DIR } from '../history/day-file.js';
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
  let found = false;
  for (const day of daysOf(clock, period)) {
    const kept = readDayFile(daysDir, day, period.tz);
    if (kept === null) {
      days.push(emptyDay(day, period.tz));
      continue;
    }
    found = true;
    days.push(kept.data);
    asOf = Math.max(asOf, kept.asOf);
  }
  // A period without a day file still names days of the zone asked for: in another zone than the
  // daemon's they are not its days, and their zeros would be numbers that may be wrong (between 23:00
  // and 24:00 UTC, "today" in Europe/Berlin is a day a UTC store has no file of yet).
  if (!found) {
    const newest = readdirSync(daysDir).filter((f) => DAY.test(f)).sort().pop();
    if (newest !== undefined) readDayFile(daysDir, newest, period.tz);
  }
  return buildSummary({ from: period.from, to: period.to, clock, input: 'store', asOf, days });
}

/** Day `day`'s file, checked whole and kept in zone `tz`; null when there is none (no mail counted that day). */
function readDayFile(daysDir: string, day: string, tz: string): { data: DayData; asOf: number } | null {
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
    return null;
  }
  const d = decodeDayFile(text);
  if (!d.ok) throw new ReportInputError(`${path} is ${d.message}`, EXIT.ioErr);
  // days kept by a daemon that did not yet spell its zone canonically compare by the zone, not the name
  const kept = checkZone(d.day.data.tz) ?? d.day.data.tz;
  if (kept !== tz) throw new ReportInputError(`the daemon keeps its days in the zone ${kept}; ask for the report in it (--tz ${kept})`, EXIT.usage);
  return { data: d.day.data, asOf: d.day.asOf };
}

function emptyDay(day: string, tz: string): DayData {
  return { day, tz, counters: new Map(), hours: new Map(), tables: new Map(), rowCounts: new Map() };
}
