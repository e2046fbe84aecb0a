// The report's detail sections after the host tables, in pflogsumm's order and with its titles: one
// list for both renderers (text.ts, html.ts), so the two can never print them differently.
import type { DetailLimits } from './pflogsumm-options.js';
import type { TableName } from './summary.js';

export type DetailSection =
  /** Senders or recipients, top N by message count or by size (pflogsumm's -u). */
  | { readonly kind: 'users'; readonly table: 'senders' | 'recipients'; readonly title: string; readonly bySize: boolean }
  /** Rows grouped under their group (a reject's stage, a warning's program), as pflogsumm's print_nested_hash. */
  | { readonly kind: 'nested'; readonly table: TableName; readonly title: string; readonly limit?: keyof DetailLimits }
  /** Rows without groups, as pflogsumm's print_hash_by_cnt_vals. */
  | { readonly kind: 'flat'; readonly table: TableName; readonly title: string }
  /** A count with no table kept behind it: held and discarded messages. */
  | { readonly kind: 'notKept'; readonly total: 'held' | 'discarded'; readonly title: string; readonly limit: 'reject' };

export const DETAIL_SECTIONS: readonly DetailSection[] = [
  { kind: 'users', table: 'senders', title: 'Senders by message count', bySize: false },
  { kind: 'users', table: 'recipients', title: 'Recipients by message count', bySize: false },
  { kind: 'users', table: 'senders', title: 'Senders by message size', bySize: true },
  { kind: 'users', table: 'recipients', title: 'Recipients by message size', bySize: true },
  { kind: 'nested', table: 'deferrals', title: 'message deferral detail', limit: 'deferral' },
  { kind: 'nested', table: 'bounces', title: 'message bounce detail (by relay)', limit: 'bounce' },
  { kind: 'nested', table: 'rejects', title: 'message reject detail', limit: 'reject' },
  { kind: 'nested', table: 'rejectWarnings', title: 'message reject warning detail', limit: 'reject' },
  { kind: 'notKept', total: 'held', title: 'message hold detail', limit: 'reject' },
  { kind: 'notKept', total: 'discarded', title: 'message discard detail', limit: 'reject' },
  { kind: 'nested', table: 'smtpFailures', title: 'smtp delivery failures', limit: 'smtp' },
  { kind: 'nested', table: 'warnings', title: 'Warnings', limit: 'warning' },
  { kind: 'nested', table: 'fatals', title: 'Fatal Errors' },
  { kind: 'nested', table: 'panics', title: 'Panics' },
  { kind: 'flat', table: 'master', title: 'Master daemon messages' },
];

/** The detail sections as --problems-first orders them: pflogsumm's "problems" first, or last (its default). */
export function sectionsInOrder(problemsFirst: boolean): { readonly before: readonly DetailSection[]; readonly after: readonly DetailSection[] } {
  const users = DETAIL_SECTIONS.filter((d) => d.kind === 'users');
  const problems = DETAIL_SECTIONS.filter((d) => d.kind !== 'users');
  return problemsFirst ? { before: problems, after: users } : { before: [], after: [...users, ...problems] };
}

/** Rows per group for a section: -1 all, 0 the section left out (pflogsumm's --*-detail). */
export function sectionLimit(d: DetailSection, limits: DetailLimits): number {
  return 'limit' in d && d.limit !== undefined ? limits[d.limit] : -1;
}

/** How a detail section shows: not at all (its limit is 0, or -q and nothing in it), as `title: none`, or with its rows. */
export type Shown = 'hidden' | 'none' | 'rows';

export function shownAs(limit: number, empty: boolean, quiet: boolean): Shown {
  if (limit === 0 || (empty && quiet)) return 'hidden';
  return empty ? 'none' : 'rows';
}
