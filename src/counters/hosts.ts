// Counting per host (--per-host): every increment the classifier makes goes to the total key and to
// the same key of the record's host (`sent:smtp` and `sent:smtp@mx1`), so the plain keys stay the
// totals every existing snmpd line reads. Host names come from log text: one outside the key grammar
// counts in self:bad_hosts, and hosts beyond the cap in self:dropped_hosts; both still count in the
// totals.
import type { Counters } from './counters.js';
import { SELF } from './counters.js';
import { normaliseHost, parseKey } from './key.js';

export class PerHost {
  /**
   * The hosts with keys of their own. A host takes a place under the cap with its first key, not
   * its first record: the places are then exactly the hosts of the stored keys, so a restart
   * rebuilds them as they were (a host whose records counted nothing yet holds no place to forget).
   */
  private readonly hosts = new Set<string>();
  /** The host of the current records when it has or may take a place; null when it may not. */
  private host: string | null = null;
  private placed = false;
  /** null before the first record: a first record without a host is refused like any other. */
  private lastRaw: string | null = null;
  /** Why the last host gets no keys of its own, counted once per record. */
  private refused: string | null = null;

  constructor(private readonly counters: Counters, private readonly maxHosts: number) {
    // The hosts already counted keep their place under the cap across restarts.
    for (const [key] of counters.entries()) {
      const h = parseKey(key)?.host;
      if (h !== undefined) this.hosts.add(h);
    }
  }

  /** The host of the records that follow, as the log wrote it. */
  at(raw: string): void {
    if (raw !== this.lastRaw) {
      // most records of a stretch come from one host: the verdict is kept until it changes
      this.lastRaw = raw;
      const h = normaliseHost(raw);
      this.placed = h !== null && this.hosts.has(h);
      const fits = h !== null && (this.placed || this.hosts.size < this.maxHosts);
      this.host = fits ? h : null;
      this.refused = fits ? null : h === null ? SELF.badHosts : SELF.droppedHosts;
    }
    if (this.refused !== null) this.counters.add(this.refused);
  }

  get fact() {
    return this.counters.fact;
  }

  add(key: string, n = 1): void {
    this.counters.add(key, n);
    if (this.host === null || key.startsWith('self:')) return;
    // a key refused by --max-keys makes no place: the place follows the stored keys
    if (this.counters.add(`${key}@${this.host}`, n) && !this.placed) {
      this.hosts.add(this.host);
      this.placed = true;
    }
  }
}
