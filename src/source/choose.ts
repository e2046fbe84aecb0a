// The source the daemon's options name: one log file, several (one per host), or the journal, each
// resumed from the checkpoint the pipeline kept. A checkpoint of another kind of source (the daemon
// switched from a file to the journal, say) is a first start for the new one.
import type { SourceSink, Source } from './source.js';
import { FileSource } from './file/file-source.js';
import { isJournalCheckpoint } from './journal/checkpoint.js';
import { JournalSource, type JournalSourceOptions } from './journal/journal-source.js';
import { MultiSource } from './multi.js';

export type SourceChoice =
  | { readonly kind: 'file'; readonly logs: readonly string[] }
  | { readonly kind: 'journal'; readonly scope: JournalSourceOptions['scope'] };

export interface ChooseOptions {
  readonly once: boolean;
  readonly maxLine: number;
  readonly rotateWaitMs: number;
  readonly pollMs: number;
  readonly warn: (obj: object, msg: string) => void;
}

export function openChosen(choice: SourceChoice, o: ChooseOptions): (sink: SourceSink, checkpoint: unknown) => Source {
  if (choice.kind === 'file') {
    const file = (path: string) => ({ path, maxLine: o.maxLine, rotateWaitMs: o.rotateWaitMs, pollMs: o.pollMs });
    return (sink, checkpoint) =>
      choice.logs.length === 1
        ? new FileSource(file(choice.logs[0]!), sink, checkpoint)
        : new MultiSource(choice.logs, (path, s, c) => new FileSource(file(path), s, c), sink, checkpoint);
  }
  return (sink, checkpoint) => {
    const mine = isJournalCheckpoint(checkpoint);
    if (checkpoint !== null && !mine) o.warn({ checkpoint }, 'the saved position is not a journal cursor; reading the journal from its oldest entry');
    const journal = { scope: choice.scope, follow: !o.once, maxField: o.maxLine, log: (msg: string) => o.warn({ source: 'journal' }, msg) };
    return new JournalSource(journal, sink, mine ? checkpoint : null);
  };
}
