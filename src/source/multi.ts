// Several sources as one (one log file per host, say): each is read in turn, and the checkpoint holds
// every source's own, by name, so each resumes where it was. A name no longer given is dropped from
// the checkpoint; a new one starts as a first start. The checkpoint of a single source (a daemon that
// followed one log before) carries over to the first name.
import type { Source, SourceSink } from './source.js';

export type OpenNamed = (name: string, sink: SourceSink, checkpoint: unknown) => Source;

export class MultiSource implements Source {
  private readonly sources: [string, Source][];

  constructor(names: readonly string[], open: OpenNamed, sink: SourceSink, checkpoint: unknown) {
    const saved = isMulti(checkpoint) ? checkpoint.sources : checkpoint !== null && names.length > 0 ? { [names[0]!]: checkpoint } : {};
    this.sources = names.map((n) => [n, open(n, sink, saved[n] ?? null)]);
  }

  async poll(budget?: number): Promise<number> {
    let n = 0;
    for (const [, s] of this.sources) n += await s.poll(budget === undefined ? undefined : Math.ceil(budget / this.sources.length));
    return n;
  }

  checkpoint(): unknown {
    const sources: Record<string, unknown> = {};
    let any = false;
    for (const [name, s] of this.sources) {
      const c = s.checkpoint();
      if (c !== null) (sources[name] = c), (any = true);
    }
    return any ? { sources } : null;
  }

  atEnd(): boolean {
    return this.sources.every(([, s]) => s.atEnd());
  }

  wait(ms: number): Promise<void> {
    // The first source with news ends the wait for all: the others are interrupted.
    return Promise.race(this.sources.map(([, s]) => s.wait(ms))).then(() => this.interrupt());
  }

  interrupt(): void {
    for (const [, s] of this.sources) s.interrupt();
  }

  close(): void {
    for (const [, s] of this.sources) s.close();
  }
}

function isMulti(c: unknown): c is { sources: Record<string, unknown> } {
  return typeof c === 'object' && c !== null && typeof (c as { sources?: unknown }).sources === 'object' && (c as { sources: unknown }).sources !== null;
}
