// The daemon's counters, held in memory as the truth while it runs and written to the store by batch.
// Keys come from log text, so the number of distinct keys is capped; the daemon's own `self:` keys are
// exempt, so the cap can never hide how many keys it refused.
import type { Fact, FactTable } from '../classify/facts.js';
import type { History } from '../history/pending.js';
import { mustFormatKey, SELF_KIND } from './key.js';

const self = (label: string): string => mustFormatKey({ kind: SELF_KIND, label });
const SELF_PREFIX = `${SELF_KIND}:`;

export const SELF = {
  lines: self('lines'),
  badLines: self('bad_lines'),
  badKeys: self('bad_keys'),
  droppedKeys: self('dropped_keys'),
  rotations: self('rotations'),
  truncations: self('truncations'),
  gaps: self('gaps'),
  gapBytes: self('gap_bytes'),
  commits: self('commits'),
  queueEvictions: self('queue_evictions'),
  dbRecreated: self('db_recreated'),
  storeErrors: self('store_errors'),
  publishErrors: self('publish_errors'),
  badHosts: self('bad_hosts'),
  mixedHosts: self('mixed_hosts'),
  droppedHosts: self('dropped_hosts'),
  unreadable: self('log_unreadable'),
  httpRestarts: self('http_restarts'),
} as const;

const MAX_U64 = (1n << 64n) - 1n;

export class Counters {
  private readonly values = new Map<string, bigint>();
  /** Increments since the last flush, boxed so that a repeated key costs one lookup, not two. */
  private readonly pending = new Map<string, { n: number; timed: boolean }>();
  private userKeys = 0;
  /** The report's facts, present only when history is kept (a classifier sink without it makes none). */
  readonly fact?: (table: FactTable, group: string, item: string, f: Fact) => void;

  /** `history`: every count of a log key also goes to the time buckets of its record (see at()). */
  constructor(readonly maxKeys: number, protected readonly history?: History) {
    if (history !== undefined) this.fact = (table, group, item, f) => history.fact(table, group, item, f);
  }

  /** The time of the record whose counts follow. */
  at(time: number): void {
    this.history?.at(time);
  }

  /** Adds n to key; returns false when the key would exceed the cap (it is then not created). */
  add(key: string, n = 1): boolean {
    const p = this.pending.get(key);
    if (p !== undefined) {
      p.n += n;
      if (p.timed) this.history!.add(key, n);
      return true;
    }
    const self = key.startsWith(SELF_PREFIX);
    if (!self && !this.values.has(key)) {
      if (this.userKeys >= this.maxKeys) {
        this.add(SELF.droppedKeys);
        return false;
      }
      this.userKeys++;
    }
    // The daemon's own counters have no history: they count the daemon, not mail at a time.
    const timed = !self && this.history !== undefined;
    this.pending.set(key, { n, timed });
    if (timed) this.history!.add(key, n);
    return true;
  }

  get(key: string): bigint {
    return (this.values.get(key) ?? 0n) + BigInt(this.pending.get(key)?.n ?? 0);
  }

  /** Folds pending increments into the values and returns the keys they changed, with new values. */
  flush(): Map<string, bigint> {
    const changed = new Map<string, bigint>();
    for (const [key, { n }] of this.pending) {
      const v = ((this.values.get(key) ?? 0n) + BigInt(n)) & MAX_U64;
      this.values.set(key, v);
      changed.set(key, v);
    }
    this.pending.clear();
    return changed;
  }

  /** Loads persisted values (at start, or to rewrite a recreated store). */
  restore(saved: Iterable<[string, bigint]>): void {
    for (const [key, v] of saved) {
      if (!this.values.has(key) && !key.startsWith(SELF_PREFIX)) this.userKeys++;
      this.values.set(key, v);
    }
  }

  entries(): IterableIterator<[string, bigint]> {
    return this.values.entries();
  }
}

/**
 * The counters of a report read from log files: every count goes to the history only. Nothing persists
 * or reads the values there, and no key cap applies, so the per-key sums the daemon keeps for its
 * commits would be one more map update per count for nothing.
 */
export class HistoryCounters extends Counters {
  constructor(history: History) {
    super(Number.MAX_SAFE_INTEGER, history);
  }

  override add(key: string, n = 1): boolean {
    if (!key.startsWith(SELF_PREFIX)) this.history!.add(key, n);
    return true;
  }
}
