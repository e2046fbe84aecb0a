// pflogsumm's number and time formats, so a reader used to its report reads ours the same way.
import type { Total } from './totals.js';

// pflogsumm 1.1.5 adj_int_units: above 512k a count is shown in k (1024), above 512m in m (1048576),
// truncated by printf's %d.
const K_AT = 524_288n;
const M_AT = 536_870_912n;

/** The number pflogsumm prints and its unit: ' ', 'k' or 'm'. */
export function adjInt(value: bigint | number): { value: bigint; unit: ' ' | 'k' | 'm' } {
  const v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  if (v > M_AT) return { value: v / 1_048_576n, unit: 'm' };
  if (v > K_AT) return { value: v / 1024n, unit: 'k' };
  return { value: v, unit: ' ' };
}

/** A count as pflogsumm's `%6d%s`: the number right-aligned in 6, then its unit. */
export function intUnits(value: bigint | number, bound: Total['bound'] = ''): string {
  const a = adjInt(value);
  return `${bound}${a.value}`.padStart(6) + a.unit;
}

/** The same number and unit, without padding (HTML). */
export function intUnitsBare(value: bigint | number, bound: Total['bound'] = ''): string {
  return intUnits(value, bound).trim();
}

/** pflogsumm adj_time_units: seconds, above 60 s in minutes, above 3600 s in hours; `%5.1f %s`. */
export function timeUnits(seconds: number): string {
  let v = seconds;
  let unit = 's';
  if (v > 3600) (v /= 3600), (unit = 'h');
  else if (v > 60) (v /= 60), (unit = 'm');
  return `${v.toFixed(1).padStart(5)} ${unit}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** YYYY-MM-DD as pflogsumm's per-day rows print a date: `Nov 29 2026`, the day padded to 2. */
export function pflogDate(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return day;
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${String(Number(m[3])).padStart(2)} ${m[1]}`;
}

/** An hour's row label, pflogsumm's `0100-0200`, or with --iso-date-time `01:00-02:00`. */
export function hourSpan(h: number, iso: boolean): string {
  const hh = (x: number): string => String(x).padStart(2, '0');
  return iso ? `${hh(h)}:00-${hh(h + 1)}:00` : `${hh(h)}00-${hh(h + 1)}00`;
}
