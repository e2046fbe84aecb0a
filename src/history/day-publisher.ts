// Which days' files are stale, and writing them: a day file (day-file.ts) is written again when a
// commit changed its day, at most every `everyMs` (a busy day's file is large, commits come every
// 100 ms), and at start for a day whose publication a kill cut off.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../snapshot/publish.js';
import type { DayData } from './day.js';
import { DAYS_DIR, encodeDayFile, unpublishedDays } from './day-file.js';
import type { Kv } from './kv.js';

export class DayPublisher {
  private readonly stale = new Set<string>();
  private last = 0;
  private readonly dir: string;

  constructor(db: string, private readonly everyMs: number) {
    this.dir = join(db, DAYS_DIR);
  }

  /** At start: the days the store changed after their file was written. */
  recover(kv: Kv): void {
    this.changed(unpublishedDays(kv, this.dir));
  }

  /** Days a commit changed. */
  changed(days: Iterable<string>): void {
    for (const d of days) this.stale.add(d);
  }

  /** Milliseconds until stale days are due (0: now), or null with none stale. */
  dueIn(now = Date.now()): number | null {
    return this.stale.size === 0 ? null : Math.max(0, this.everyMs - (now - this.last));
  }

  /** Writes every stale day as of commit `seq`; throws at the first failure, that day and the rest staying stale. */
  publish(read: (day: string) => DayData, seq: number, asOf: number): void {
    this.last = Date.now();
    if (this.stale.size === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    for (const day of [...this.stale]) {
      replaceFile(this.dir, day, encodeDayFile({ data: read(day), seq, asOf }));
      this.stale.delete(day);
    }
  }
}
