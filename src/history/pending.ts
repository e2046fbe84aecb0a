// History gathered between two commits: counter increments by the minute of the event they came
// from, and report facts by its local day. The pipeline's Counters feed it as they count (so a key
// refused by the key cap has no history either), and the commit hands it to apply.ts in the same
// transaction as the counters, so history is exactly once too.
import type { Fact, FactTable } from '../classify/facts.js';
import type { DayClock } from './clock.js';
import { MINUTE_MS, type RowSums } from './layout.js';

export interface Pending {
  /** minute (ms / 60000) → key → increment */
  readonly counts: Map<number, Map<string, number>>;
  /** day → table → group → item → sums */
  readonly facts: Map<string, DayFacts>;
}

export type DayFacts = Map<FactTable, Map<string, Map<string, RowSums>>>;

export class History {
  private p: Pending = { counts: new Map(), facts: new Map() };
  private minute = NaN;
  private counts: Map<string, number> | undefined;
  private time = 0;
  /** The newest record time seen: how far a report's numbers reach. */
  newest = 0;

  constructor(readonly clock: DayClock) {}

  /** The time of the record whose counts follow; NaN (a source without time) is taken as now. */
  at(time: number): void {
    const t = Number.isFinite(time) ? time : Date.now();
    this.time = t;
    if (t > this.newest) this.newest = t;
    const minute = Math.floor(t / MINUTE_MS);
    if (minute === this.minute) return;
    this.minute = minute;
    this.counts = this.p.counts.get(minute);
  }

  add(key: string, n: number): void {
    if (this.counts === undefined) {
      if (Number.isNaN(this.minute)) this.at(NaN);
      this.counts = this.p.counts.get(this.minute) ?? new Map();
      this.p.counts.set(this.minute, this.counts);
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  fact(table: FactTable, group: string, item: string, f: Fact): void {
    // nested maps, not one joined key: no string is built per fact on the hot path
    const day = this.clock.dayOf(this.time || Date.now());
    let tables = this.p.facts.get(day);
    if (tables === undefined) this.p.facts.set(day, (tables = new Map()));
    let groups = tables.get(table);
    if (groups === undefined) tables.set(table, (groups = new Map()));
    let items = groups.get(group);
    if (items === undefined) groups.set(group, (items = new Map()));
    let r = items.get(item);
    if (r === undefined) items.set(item, (r = [0, 0, 0, 0, 0]));
    addFact(r, f);
  }

  get empty(): boolean {
    return this.p.counts.size === 0 && this.p.facts.size === 0;
  }

  /** What was gathered since the last take; put it back with restore() when its commit failed. */
  take(): Pending {
    const p = this.p;
    this.p = { counts: new Map(), facts: new Map() };
    this.minute = NaN;
    this.counts = undefined;
    return p;
  }

  /** Merges a batch whose commit failed back in front of what came since, for the next commit. */
  restore(p: Pending): void {
    for (const [minute, keys] of this.p.counts) {
      const into = p.counts.get(minute) ?? new Map<string, number>();
      for (const [k, n] of keys) into.set(k, (into.get(k) ?? 0) + n);
      p.counts.set(minute, into);
    }
    for (const [day, tables] of this.p.facts) {
      const into: DayFacts = p.facts.get(day) ?? new Map();
      p.facts.set(day, into);
      for (const [table, groups] of tables) {
        const tInto = into.get(table) ?? new Map<string, Map<string, RowSums>>();
        into.set(table, tInto);
        for (const [group, items] of groups) {
          const gInto = tInto.get(group) ?? new Map<string, RowSums>();
          tInto.set(group, gInto);
          for (const [item, r] of items) gInto.set(item, mergeRows(gInto.get(item) ?? [0, 0, 0, 0, 0], r));
        }
      }
    }
    this.p = p;
    this.minute = NaN;
    this.counts = undefined;
  }
}

function addFact(r: RowSums, f: Fact): void {
  r[0] += f.count ?? 0;
  r[1] += f.bytes ?? 0;
  r[2] += f.defers ?? 0;
  if (f.delay !== undefined) {
    // in whole milliseconds: integer sums are exact in any order, so a restart cannot change them
    const ms = Math.round(f.delay * 1000);
    if (f.sent) r[3] += ms;
    if (ms > r[4]) r[4] = ms;
  }
}

export function mergeRows(a: RowSums, b: RowSums): RowSums {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], Math.max(a[4], b[4])];
}
