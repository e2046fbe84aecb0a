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

  get(key: string): Uint8Array | undefined {
    return this.map.get(key);
  }

  put(key: string, value: Uint8Array): void {
    this.map.set(key, value);
  }

  remove(key: string): void {
    this.map.delete(key);
  }

  *range(start: string, end: string): Iterable<{ key: string; value: Uint8Array }> {
    const keys = [...this.map.keys()].filter((k) => k >= start && k < end).sort();
    for (const key of keys) yield { key, value: this.map.get(key)! };
  }
}
