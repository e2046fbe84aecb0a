// The report's detail sections after the host tables, in pflogsumm's order and with its titles: one
// list for both renderers (text.ts, html.ts), so the two can never print them differently.
import type { TableName } from './summary.js';

export type DetailSection =
  /** Senders or recipients, top N by message count or by size (pflogsumm's -u). */
  | { readonly kind: 'users'; readonly table: 'senders' | 'recipients'; readonly title: string; readonly bySize: boolean }
  /** Rows grouped under their group (a reject's stage, a warning's program), as pflogsumm's print_nested_hash. */
  | { readonly kind: 'nested'; readonly table: TableName; readonly title: string }
  /** Rows without groups, as pflogsumm's print_hash_by_cnt_vals. */
  | { readonly kind: 'flat'; readonly table: TableName; readonly title: string }
  /** A count with no table kept behind it: held and discarded messages. */
  | { readonly kind: 'notKept'; readonly total: 'held' | 'discarded'; readonly title: string };

export const DETAIL_SECTIONS: readonly DetailSection[] = [
  { kind: 'users', table: 'senders', title: 'Senders by message count', bySize: false },
  { kind: 'users', table: 'recipients', title: 'Recipients by message count', bySize: false },
  { kind: 'users', table: 'senders', title: 'Senders by message size', bySize: true },
  { kind: 'users', table: 'recipients', title: 'Recipients by message size', bySize: true },
  { kind: 'nested', table: 'deferrals', title: 'message deferral detail' },
  { kind: 'nested', table: 'bounces', title: 'message bounce detail (by relay)' },
  { kind: 'nested', table: 'rejects', title: 'message reject detail' },
  { kind: 'nested', table: 'rejectWarnings', title: 'message reject warning detail' },
  { kind: 'notKept', total: 'held', title: 'message hold detail' },
  { kind: 'notKept', total: 'discarded', title: 'message discard detail' },
  { kind: 'nested', table: 'smtpFailures', title: 'smtp delivery failures' },
  { kind: 'nested', table: 'warnings', title: 'Warnings' },
  { kind: 'nested', table: 'fatals', title: 'Fatal Errors' },
  { kind: 'nested', table: 'panics', title: 'Panics' },
  { kind: 'flat', table: 'master', title: 'Master daemon messages' },
];
