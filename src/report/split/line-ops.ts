// What one line's effect counts, held until the line is known to be applied in this half: an effect
// may count (a delivery's status) before it reaches the state access that defers the line
// (cut-state.ts), and a deferred line must count nothing here, since its replay counts it.
import type { Fact, FactTable } from '../../classify/facts.js';
import type { Sink } from '../../classify/effects.js';
import type { Counters } from '../../counters/counters.js';

export class LineOps implements Sink {
  // Slots reused from line to line (most lines count nothing, some a few): shrinking the arrays on
  // every line cost more than the counting.
  private readonly keys: string[] = [];
  private readonly ns: number[] = [];
  // a fact's parts side by side, not a tuple per fact: most counted lines make one or two
  private readonly tables: FactTable[] = [];
  private readonly groups: string[] = [];
  private readonly items: string[] = [];
  private readonly sums: Fact[] = [];
  private nKeys = 0;
  private nFacts = 0;

  add(key: string, n = 1): void {
    this.keys[this.nKeys] = key;
    this.ns[this.nKeys++] = n;
  }

  readonly fact = (table: FactTable, group: string, item: string, f: Fact): void => {
    const i = this.nFacts++;
    this.tables[i] = table;
    this.groups[i] = group;
    this.items[i] = item;
    this.sums[i] = f;
  };

  clear(): void {
    this.nKeys = 0;
    this.nFacts = 0;
  }

  /** Hands the line's counts and facts on, in the order the effect made them. */
  commit(to: Counters): void {
    for (let i = 0; i < this.nKeys; i++) to.add(this.keys[i]!, this.ns[i]!);
    for (let i = 0; i < this.nFacts; i++) to.fact!(this.tables[i]!, this.groups[i]!, this.items[i]!, this.sums[i]!);
    this.clear();
  }
}
