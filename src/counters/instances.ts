// Counting per Postfix instance (postmulti): a count of a line whose syslog name is not the default
// `postfix` goes to the plain key and to the same key of its instance (`sent:smtp` and
// `postfix-out/sent:smtp`), so the plain keys stay the totals over all instances, as they are over
// all hosts (hosts.ts). Put above a PerHost, each of the two gets its host key too: four keys.
// Instances are not capped on their own as hosts are: each is a Postfix someone configured, not a
// name any sender of syslog can invent, and their keys count against the key cap (--max-keys,
// self:dropped_keys) like every other key, which bounds them.
import type { FactSink } from '../classify/facts.js';
import { SELF } from './counters.js';
import { SELF_KIND, normaliseInstance } from './key.js';

export interface Adder {
  add(key: string, n?: number): unknown;
  /** The report's facts (classify/facts.ts), passed through: they are kept as totals only. */
  readonly fact?: FactSink['fact'];
}

const SELF_PREFIX = `${SELF_KIND}:`;

export class PerInstance implements Adder {
  private next: Adder = { add: () => undefined };
  private lastRaw = '';
  /** `postfix-out/` for the last syslog name, or null when it is outside the key grammar. */
  private prefix: string | null = null;

  /**
   * Where the counts of a record of syslog name `raw` (never the default `postfix`) go: this,
   * adding to `next` twice; or `next` alone, with self:bad_keys counted, for a name no key can carry.
   */
  to(next: Adder, raw: string): Adder {
    if (raw !== this.lastRaw) {
      // a stretch of records mostly comes from one instance: the verdict is kept until it changes
      this.lastRaw = raw;
      const i = normaliseInstance(raw);
      this.prefix = i === null ? null : `${i}/`;
    }
    if (this.prefix === null) {
      next.add(SELF.badKeys);
      return next;
    }
    this.next = next;
    return this;
  }

  get fact(): FactSink['fact'] | undefined {
    return this.next.fact;
  }

  add(key: string, n = 1): void {
    this.next.add(key, n);
    if (!key.startsWith(SELF_PREFIX)) this.next.add(this.prefix + key, n);
  }
}
