// What the daemon's main thread and its HTTP worker say to each other: the worker's start-up data and
// the messages both ways. Plain data only (structured clone): a snapshot's u64 values cross as BigInt.
import type { Snapshot } from '../../snapshot/format.js';
import type { HttpAddress } from './address.js';

export interface WorkerConfig {
  readonly address: HttpAddress;
  /** The daemon's database directory, whose history the worker reads in the same process. */
  readonly db: string;
  /** The zone of the history's days. */
  readonly tz: string;
  /** The name the status page gives the mail host. */
  readonly host: string;
  /** The last commit's counters, until the next one arrives. */
  readonly snapshot: Snapshot;
  /** False while the daemon recreates its store: the worker opens it at the next `reopen`. */
  readonly storeOpen: boolean;
}

export type ToWorker =
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  /** Let go of the store (its files were deleted; the daemon recreates them), then say `released`. */
  | { readonly type: 'release' }
  | { readonly type: 'reopen' }
  /** Close the server and every connection, then end. */
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'listening'; readonly port: number | null }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'released' }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly obj: object; readonly msg: string };
