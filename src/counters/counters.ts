// The daemon's counters, held in memory as the truth while it runs and written to the store by batch.
// Keys come from log text, so the number of distinct keys is capped; the daemon's own `self:` keys are
// exempt, so the cap can never hide how many keys it refused.
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
  droppedHosts: self('dropped_hosts'),
  unreadable: self('log_unreadable'),
} as const;

const MAX_U64 = (1n << 64n) - 1n;

export class Counters {
  private readonly values = new Map<string, bigint>();
  /** Increments since the last flush, boxed so that a repeated key costs one lookup, not two. */
  private readonly pending = new Map<string, { n: number }>();
  private userKeys = 0;

  constructor(readonly maxKeys: number) {}

  /** Adds n to key; returns false when the key would exceed the cap (it is then not created). */
  add(key: string, n = 1): boolean {
    const p = this.pending.get(key);
    if (p !== undefined) {
      p.n += n;
      return true;
    }
    if (!this.values.has(key) && !key.startsWith(SELF_PREFIX)) {
      if (this.userKeys >= this.maxKeys) {
        this.add(SELF.droppedKeys);
        return false;
      }
      this.userKeys++;
    }
    this.pending.set(key, { n });
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
