// What a renderer needs besides the Summary: where it was read from and how much to print.
import type { Layout } from './pflogsumm-options.js';
import type { Limit } from './rows.js';

export interface ReportContext {
  /** The period's name (`2026-11-29`), or null for a whole input read without a period. */
  readonly label: string | null;
  /** The input, as the header names it: the --db directory, or the log files ('-' is stdin). */
  readonly source: { readonly kind: 'store'; readonly db: string } | { readonly kind: 'log'; readonly files: readonly string[] };
  /** -h: rows of the host/domain tables; -u: of the user tables. -1 all, 0 the section left out. */
  readonly hostLimit: Limit;
  readonly userLimit: Limit;
  /** pflogsumm's layout flags (detail limits, -q, --problems-first, --iso-date-time); default DEFAULT_LAYOUT. */
  readonly layout?: Layout;
  /** --filter-relay, --filter-service given to the report (log input only). */
  readonly filterRelays: readonly string[];
  readonly filterServices: readonly string[];
}
