import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/classify/queue.js';

/** The eviction order as a plain list: oldest first, a reused id moved to the end. */
class Model {
  ids: string[] = [];
  constructor(readonly capacity: number) {}
  begin(id: string): void {
    this.ids = this.ids.filter((x) => x !== id);
    this.ids.push(id);
    while (this.ids.length > this.capacity) this.ids.shift();
  }
  forget(id: string): void {
    this.ids = this.ids.filter((x) => x !== id);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('QueueState eviction', () => {
  it('evicts the oldest id first, whatever was forgotten, reused or restored in between', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const cap = 1 + Math.floor(r() * 50);
      let q = new QueueState(cap);
      const m = new Model(cap);
      for (let i = 0; i < 2000; i++) {
        const id = `A${Math.floor(r() * 120)}`;
        const op = r();
        if (op < 0.6) {
          q.begin(id, 'smtp');
          m.begin(id);
        } else if (op < 0.95) {
          q.forget(id);
          m.forget(id);
        } else {
          // a restart: the state comes back from what was persisted
          const saved = JSON.parse(JSON.stringify([...q.all()])) as Parameters<QueueState['restore']>[0];
          q = new QueueState(cap);
          q.restore(saved);
        }
        expect([...q.all()].map(([k]) => k)).toEqual(m.ids);
      }
    }
  });

  it('counts its evictions', () => {
    const q = new QueueState(3);
    for (const id of ['A1', 'A2', 'A3', 'A1', 'A4', 'A5']) q.begin(id, 'smtp');
    expect([...q.all()].map(([k]) => k)).toEqual(['A1', 'A4', 'A5']);
    expect(q.evictions).toBe(2);
  });
});

describe('QueueState changes', () => {
  it('bring a store up to the state in memory, removing only ids the store holds', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const q = new QueueState(1 + Math.floor(r() * 40));
      const store = new Map<string, unknown>();
      for (let i = 0; i < 3000; i++) {
        const id = `B${Math.floor(r() * 80)}`;
        const op = r();
        if (op < 0.5) q.begin(id, 'smtp');
        else if (op < 0.8) q.forget(id);
        else if (op < 0.9) q.touch(id, q.get(id) ?? q.begin(id, 'smtp'));
        else {
          for (const [k, v] of q.takeChanges()) {
            if (v === null) expect(store.delete(k)).toBe(true);
            else store.set(k, JSON.parse(JSON.stringify(v)));
          }
          expect(store).toEqual(new Map(JSON.parse(JSON.stringify([...q.all()]))));
        }
      }
    }
  });
});
