// pflogsumm 1.1.5's own options, so that a cron line keeps working with postfix-stats-report put in
// pflogsumm's place: the layout options are honoured, the ones whose answer is already so are taken
// as they are, and the ones asking for data the daemon does not keep are refused by name (exit 64),
// never silently left out of a report that would then look complete.
import type { ParseArgsConfig } from 'node:util';
import type { Limit } from './rows.js';

/** Rows per group of the detail sections (pflogsumm's --*-detail): -1 every row, 0 no section. */
export interface DetailLimits {
  readonly deferral: Limit;
  readonly bounce: Limit;
  /** Reject and reject warning detail (pflogsumm's hold and discard detail too). */
  readonly reject: Limit;
  readonly smtp: Limit;
  /** The Warnings section. */
  readonly warning: Limit;
}

export interface Layout {
  readonly detail: DetailLimits;
  /** -q: an empty section is left out instead of printed as `title: none`. */
  readonly quiet: boolean;
  /** --problems-first: the detail of deferrals, bounces, rejects and warnings before the traffic tables. */
  readonly problemsFirst: boolean;
  /** --iso-date-time: `2026-11-29` and `00:00-01:00` instead of `Nov 29 2026` and `0000-0100`. */
  readonly isoDates: boolean;
}

export const DEFAULT_LAYOUT: Layout = {
  detail: { deferral: -1, bounce: -1, reject: -1, smtp: -1, warning: -1 },
  quiet: false,
  problemsFirst: false,
  isoDates: false,
};

/** Each limit's flag, and pflogsumm's deprecated spelling of that flag's 0 where it has one. */
const DETAIL_FLAGS: readonly { readonly limit: keyof DetailLimits; readonly flag: string; readonly off?: string }[] = [
  { limit: 'deferral', flag: 'deferral-detail', off: 'no-deferral-detail' },
  { limit: 'bounce', flag: 'bounce-detail', off: 'no-bounce-detail' },
  { limit: 'reject', flag: 'reject-detail', off: 'no-reject-detail' },
  { limit: 'smtp', flag: 'smtp-detail' },
  { limit: 'warning', flag: 'smtpd-warning-detail', off: 'no-smtpd-warnings' },
];

/** Refused: the daemon keeps no data for them. */
const REFUSED = {
  extended: '-e (per-message detail): postfix-stats keeps counts, not each message',
  'verbose-msg-detail': '--verbose-msg-detail: postfix-stats keeps counts, not each message',
  mailq: "--mailq: run mailq(1) after the report, it is not the log's",
  'smtpd-stats': '--smtpd-stats: smtpd connections and their times are not counted',
  'uucp-mung': '-m/--uucp-mung: addresses are kept as logged (or only their domains)',
  'verp-mung': '--verp-mung: addresses are kept as logged (or only their domains)',
  'rej-add-from': '--rej-add-from: reject detail is kept by reason, without senders',
} as const;

const bool = { type: 'boolean' } as const;
const text = { type: 'string' } as const;

/** parseArgs options for pflogsumm's flags; -d is --day's short form, -h/-u are report-options'. */
export const PFLOGSUMM_ARGS = {
  quiet: { ...bool, short: 'q' },
  'problems-first': bool,
  'iso-date-time': bool,
  detail: text,
  ...Object.fromEntries(DETAIL_FLAGS.map((d) => [d.flag, text])),
  ...Object.fromEntries(DETAIL_FLAGS.flatMap((d) => (d.off === undefined ? [] : [[d.off, bool]]))),
  // taken as they are: addresses are kept in lower case, zeros are printed, there is no
  // "Messages with no size data" section
  'ignore-case': { ...bool, short: 'i' },
  'zero-fill': bool,
  'no-no-msg-size': bool,
  'syslog-name': text,
  extended: { ...bool, short: 'e' },
  'verbose-msg-detail': bool,
  mailq: bool,
  'smtpd-stats': bool,
  'uucp-mung': { ...bool, short: 'm' },
  'verp-mung': bool, // with or without =N: OPTIONAL_VALUE
  'rej-add-from': bool,
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** pflogsumm's `--verp-mung[=N]`: its value is dropped (getopt-long.ts), as parseArgs has no optional value. */
export const OPTIONAL_VALUE: ReadonlySet<string> = new Set(['verp-mung']);

type Values = { readonly [k: string]: string | boolean | (string | boolean)[] | undefined };

/** A count of rows: a non-negative integer. */
export function countArg(flag: string, raw: string | undefined): Limit | string {
  if (raw === undefined) return -1;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) ? n : `${flag} needs a count (0 or more), not ${JSON.stringify(raw.slice(0, 40))}`;
}

/**
 * The layout pflogsumm's flags ask for, and --detail's count for -h/-u where they were not given
 * (pflogsumm: --detail sets every limit not set on its own); or why a flag is refused.
 */
export function pflogsummLayout(v: Values): { ok: true; layout: Layout; detail: Limit } | { ok: false; error: string } {
  for (const [flag, why] of Object.entries(REFUSED)) if (v[flag] === true) return { ok: false, error: `not supported: ${why}` };
  const name = v['syslog-name'];
  if (typeof name === 'string' && name !== 'postfix') {
    return { ok: false, error: `--syslog-name ${JSON.stringify(name.slice(0, 40))}: not supported; every syslog name starting with postfix is read, each postmulti instance under its own name` };
  }
  const detail = countArg('--detail', v.detail as string | undefined);
  if (typeof detail === 'string') return { ok: false, error: detail };
  const limits: Record<keyof DetailLimits, Limit> = { ...DEFAULT_LAYOUT.detail };
  for (const d of DETAIL_FLAGS) {
    const n = countArg(`--${d.flag}`, v[d.flag] as string | undefined);
    if (typeof n === 'string') return { ok: false, error: n };
    limits[d.limit] = d.off !== undefined && v[d.off] === true ? 0 : n;
  }
  for (const key of Object.keys(limits) as (keyof DetailLimits)[]) if (limits[key] === -1) limits[key] = detail;
  return {
    ok: true,
    detail,
    layout: { detail: limits, quiet: v.quiet === true, problemsFirst: v['problems-first'] === true, isoDates: v['iso-date-time'] === true },
  };
}

