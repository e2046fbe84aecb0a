// A report read straight from log files, as pflogsumm reads them: the same tokenizer, classifier and
// history code as the daemon (with --per-host's state: each host's queue ids apart), into a store in
// memory, so the same lines give the same report whichever way it was made. Rotated `.gz` copies are
// read by their magic bytes, not their name.
import { classifier } from '../classify/classifier.js';
import type { ClassifyOptions } from '../classify/classify.js';
import { decodeU32 } from '../store/codec.js';
import { DAY_MS, ROW_COUNTS, after } from '../history/layout.js';
import { YearClock } from '../syslog/year.js';
import { readSplit } from './split/read-split.js';
import { cutOf } from './split/run-half.js';
import { QueueState } from '../classify/queue.js';
import { HistoryCounters } from '../counters/counters.js';
import { DayClock, nextDay } from '../history/clock.js';
import { DEFAULT_MAX_ROWS, applyPending, type Retention } from '../history/apply.js';
import { daysIn, readDay } from '../history/day.js';
import { MemoryKv } from '../history/kv.js';
import { EXIT } from '../config/exit-codes.js';
import { ReportInputError } from './input-error.js';
import { History } from '../history/pending.js';
import { LineSplitter, hasNul } from '../source/file/lines.js';
import { InputForm, type Form } from './input-form.js';
import { buildSummary } from './build.js';
import { daysOf, type PeriodLike } from './period.js';
import { readInput } from './read-input.js';
import type { Summary } from './summary.js';

export interface LogReportOptions {
  readonly filterRelays: ReadonlySet<string>;
  readonly filterServices: ReadonlySet<string>;
  readonly addresses?: boolean;
  readonly maxRows?: number;
}

/** A report from files keeps every hour and day it reads; minutes are for the daemon's graphs only. */
const KEEP_ALL: Retention = { minutesMs: 0, hoursMs: 100_000 * DAY_MS, dayBuckets: 100_000 };
const KEEP_EVERYTHING: Retention = { ...KEEP_ALL, minutesMs: 100_000 * DAY_MS };
/** Lines between two moves of pending history into the memory store, which bound the memory they take. */
const BATCH_LINES = 200_000;
const MAX_LINE = 65_536;
/** Message state for the whole read: a log is read once, so only memory bounds it. */
const MAX_QUEUE = 1_000_000;

/**
 * `inputs`: paths, `-` for standard input (also when empty). `period` null: every day the logs hold.
 * `implicit`: stdin was read because a pipe was there, without FILE or --db; no byte at all then
 * means the daemon's history was meant (a cron job's stdin is an empty pipe), not an empty log.
 */
export async function summaryFromLogs(inputs: readonly string[], period: PeriodLike | null, o: LogReportOptions & Pick<LogHistoryOptions, 'split' | 'onInput'> & { readonly implicit?: boolean }, tz: string): Promise<Summary> {
  const { kv, clock, newest, bytes, form } = await historyFromLogs(inputs, tz, { ...o, retention: KEEP_ALL });
  if (o.implicit && bytes === 0) throw new ReportInputError('nothing came on standard input; for the daemon\'s history give --db DIR, for a log give its FILE', EXIT.noInput);
  if (newest === 0 && !form.stamped && form.foreign !== null) {
    throw new ReportInputError(`no line of the input is in a form this reads: a time stamp (Nov 29 16:27:03, Nov 29 16:27:03.123456, 2026-11-29T16:27:03+01:00 or +0100), a host, a tag (postfix/smtpd[123]: ); the first line is ${JSON.stringify(form.foreign)}`, EXIT.dataErr);
  }
  const all = daysIn(kv);
  // without a period, the days the log counted something in; or the day of its newest Postfix line
  // when none counted anything (only connects, say); none at all without one
  const first = all.length > 0 ? all[0]! : newest > 0 ? clock.dayOf(newest) : null;
  const last = all.length > 0 ? all[all.length - 1]! : first;
  const from = period?.from ?? (first !== null ? clock.startOf(first) : 0);
  const to = period?.to ?? (last !== null ? clock.startOf(nextDay(last)) : 0);
  const days = daysOf(clock, { from, to, tz }).map((d) => readDay(kv, d, clock));
  return buildSummary({ from, to, clock, input: 'log', asOf: newest, days });
}

export interface LogHistory {
  readonly kv: MemoryKv;
  readonly clock: DayClock;
  /** The newest record time read (0: none). */
  readonly newest: number;
  /** How a split read went: null not split, 'joined', or why it was read in order instead. */
  readonly split: string | null;
  /** Bytes read in this thread (a split read's second half is not among them). */
  readonly bytes: number;
  /** Whether the input was in a form this reads (input-form.ts), both halves of a split read. */
  readonly form: Form;
}

export interface LogHistoryOptions extends Partial<LogReportOptions> {
  /** What is kept, counted back from now; by default everything, minutes too (for graphs). */
  readonly retention?: Retention;
  /**
   * Reading one large plain file as two halves on two threads (split/): by default when it pays;
   * false never; `at` cuts near that byte, `inThread` runs the second half in this thread (tests).
   */
  readonly split?: false | { readonly at?: number; readonly inThread?: boolean };
  /** Called when the first bytes arrive (the report's main says what it waits for until then). */
  readonly onInput?: () => void;
}

/** The history the daemon would have committed from these lines, in memory. */
export async function historyFromLogs(inputs: readonly string[], tz: string, o: LogHistoryOptions = {}): Promise<LogHistory> {
  const clock = new DayClock(tz);
  const history = new History(clock);
  const counters = new HistoryCounters(history);
  const state = new QueueState(MAX_QUEUE, false);
  // queue ids and smtpd processes are one host's: a central syslog file of several hosts reuses them
  // (as the daemon with --per-host keeps them apart; a report has no per-host counts to give)
  const opts: ClassifyOptions = { filterRelays: o.filterRelays ?? new Set(), filterServices: o.filterServices ?? new Set(), addresses: o.addresses, stateByHost: true, firstHostPlain: { host: null } };
  const years = new YearClock();
  const classify = classifier(opts, undefined, years);
  const kv = new MemoryKv();
  const maxRows = o.maxRows ?? DEFAULT_MAX_ROWS;
  const retention = o.retention ?? KEEP_EVERYTHING;
  const flush = () => applyPending(kv, history.take(), { clock, maxRows, now: Date.now(), retention });
  let lines = 0;
  let bytes = 0;
  const form = new InputForm();
  const push = (b: Buffer): void => {
    if (bytes === 0 && b.length > 0) o.onInput?.();
    bytes += b.length;
    split.push(b);
  };
  const split = new LineSplitter(MAX_LINE, (buf, start, end) => {
    const nul = hasNul(buf, start, end);
    form.line(buf, start, end, !nul && classify.line(state, buf, start, end, counters), nul);
    if (++lines % BATCH_LINES === 0) flush();
  }, () => form.longLine(MAX_LINE));
  const only = inputs.length === 1 && inputs[0] !== '-' ? inputs[0]! : null;
  const cut = only !== null && o.split !== false ? cutOrNull(only, o.split?.at) : null;
  if (only !== null && cut !== null) {
    const r = await readSplit({
      job: { path: only, start: cut, tz, opts, maxLine: MAX_LINE },
      inThread: o.split ? o.split.inThread === true : false,
      first: { state, clock: years, classify, counters, history },
      read: (from, to) => readInput(only, push, { start: from, end: to }).then(() => split.finish()),
      flush,
      capped: () => !capsUntouched(kv, maxRows),
    });
    // rare (marks or rows beyond their caps): the whole log again, in order
    if (r.redo) return { ...(await historyFromLogs(inputs, tz, { ...o, split: false })), split: r.outcome };
    return { kv, clock, newest: history.newest, split: r.outcome, bytes, form: r.second === null ? form.value : form.then(r.second) };
  }
  for (const input of inputs.length === 0 ? ['-'] : inputs) {
    await readInput(input, push);
    split.finish();
  }
  flush();
  return { kv, clock, newest: history.newest, split: null, bytes, form: form.value };
}

function cutOrNull(path: string, at: number | undefined): number | null {
  try {
    return cutOf(path, at);
  } catch {
    return null; // unreadable: the read in order reports it
  }
}

/**
 * Whether no day's table reached its row cap. Which rows a capped table keeps follows the order rows
 * first came, which a split read changes; sums do not depend on order, so an uncapped result is exact.
 */
function capsUntouched(kv: MemoryKv, maxRows: number): boolean {
  for (const { value } of kv.range(ROW_COUNTS, after(ROW_COUNTS))) if ((decodeU32(value) ?? 0) >= maxRows) return false;
  return true;
}
