// Where records come from: a log file followed across rotations, the systemd journal, ... A source
// hands records to its sink and says, with an opaque checkpoint, how far it has handed them over; the
// pipeline commits that checkpoint with what the records counted, and hands it back at the next
// start. A source knows nothing of Postfix or of storage.
import type { LogRecord } from '../syslog/record.js';

/** What a source reports besides records; each is counted in a `self:` counter. */
export type SourceEvent = 'rotation' | 'truncation' | 'gap' | 'missing' | 'unreadable' | 'long_line' | 'rotated_file';

export interface SourceSink {
  /** A raw syslog line: bytes [start, end) of buf, without its newline (file sources). */
  line(buf: Buffer, start: number, end: number): void;
  /** A record whose fields the source knows already (the journal): no text to tokenize. */
  record(r: LogRecord): void;
  event(kind: SourceEvent, detail: string): void;
}

/** A source that cannot be read to its end (--once: journalctl failed or was killed): an input error, not the daemon's. */
export class SourceFailed extends Error {}

export interface Source {
  /** Reads what is there now, up to about `budget` (bytes, or entries); 0 means caught up. */
  poll(budget?: number): Promise<number>;
  /** Where the last record handed over ends, JSON-serialisable; null before the first. */
  checkpoint(): unknown;
  /**
   * Whether all there is to read was read (for --once): a file whenever poll() returned 0; the
   * journal, whose entries arrive from a child process, once that process has ended.
   */
  atEnd(): boolean;
  /** Resolves when there may be more to read, at the latest after `ms`. */
  wait(ms: number): Promise<void>;
  /** Makes a pending wait() resolve now (SIGTERM). */
  interrupt(): void;
  close(): void;
}
