// The few operations history needs from a key-value store: LMDB's write transaction in the daemon
// (src/store/), a sorted map in memory for a report read straight from log files. Both run the same
// code (apply.ts, day.ts), so a report from the store and one from the log agree to the row.

export interface Kv {
  get(key: string): Uint8Array | undefined;
  put(key: string, value: Uint8Array): void;
  remove(key: string): void;
  /** Entries with start <= key < end, in key order. */
  range(start: string, end: string): Iterable<{ key: string; value: Uint8Array }>;
}

export class MemoryKv implements Kv {
  private readonly map = new Map<string, Uint8Array>();
  /** The keys in order, kept until a key comes or goes: a report reads ~15 ranges per day of a year. */
  private sorted: string[] | null = null;

  get(key: string): Uint8Array | undefined {
    return this.map.get(key);
  }

  put(key: string, value: Uint8Array): void {
    if (!this.map.has(key)) this.sorted = null;
    this.map.set(key, value);
  }

  remove(key: string): void {
    if (this.map.delete(key)) this.sorted = null;
  }

  *range(start: string, end: string): Iterable<{ key: string; value: Uint8Array }> {
    const keys = (this.sorted ??= [...this.map.keys()].sort());
    let lo = 0, hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    // a copy of the keys: the caller may put or remove while it iterates
    const inRange: string[] = [];
    for (let i = lo; i < keys.length && keys[i]! < end; i++) inRange.push(keys[i]!);
    for (const key of inRange) if (this.map.has(key)) yield { key, value: this.map.get(key)! };
  }
}
