// Wakes an idle follower as soon as the log's directory changes, and at the latest after `ms`:
// the watch gives low latency, the timer covers filesystems and limits where inotify says nothing.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export class Waker {
  private watcher: FSWatcher | null = null;
  private wake: (() => void) | null = null;

  constructor(logPath: string, private readonly ms: number) {
    try {
      this.watcher = watch(dirname(logPath), { persistent: false }, () => this.wake?.());
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      this.watcher = null;
    }
  }

  /** Resolves on the next change, or after `ms` (default: the poll interval). */
  wait(ms = this.ms): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Ends a pending wait at once (shutdown). */
  interrupt(): void {
    this.wake?.();
  }

  close(): void {
    this.stopWatching();
    this.interrupt();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
