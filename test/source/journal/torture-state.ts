// What the torture child commits, shared with the test that checks it.

export interface State {
  checkpoint: unknown;
  count: number;
  /** Sum of a hash of each record's time and message, mod 2^48: a repeat and a loss would not cancel. */
  sum: number;
  gaps: number;
  commits: number;
}

export function recordHash(time: number, msg: Buffer): number {
  let h = 0x811c9dc5 ^ Math.round(time * 1000);
  for (const b of msg) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0) * 37 + (Math.round(time * 1000) % 65536);
}

