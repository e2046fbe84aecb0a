// A checkpoint whose entry the journal no longer holds (vacuumed: journald deletes the oldest files):
// the source reports a gap and goes on at the oldest entry left; with the entry still there, never.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { CollectSink, pollUntil, readAll, source, type Got } from './helpers.js';

const got = (e: Entry): Got => ({ time: e.realtime / 1000, host: e.host, ident: e.ident, pid: e.pid, message: e.message });
const LINES = fixtureLines('rfc3339.log');

function write(dir: string, name: string, from: number, n: number, b: number): Entry[] {
  const entries = entriesFromLines(LINES.slice(from, from + n), { shiftUs: b * 86_400_000_000, noiseEvery: 5 });
  writeJournal(join(dir, name), entries, boot(b, entries[0]!.realtime - 1e6));
  return entries;
}

/** Reads `n` entries of the directory and returns the checkpoint then. */
async function checkpointAfter(dir: string, n: number): Promise<unknown> {
  const s = source({ scope: { dirs: [dir] }, follow: false }, new CollectSink());
  let done = 0;
  for (let i = 0; done < n && i < 10_000; i++) {
    const k = await s.poll(n - done);
    if (k === 0) await s.wait(50);
    done += k;
  }
  const cp = s.checkpoint();
  s.close();
  return cp;
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journal source after the journal was vacuumed past its checkpoint', () => {
  it('the checkpoint file deleted: one gap event, then every entry of the oldest file left, once', async () => {
    const dir = tmp();
    write(dir, 'a.journal', 0, 40, 1);
    const b = write(dir, 'b.journal', 40, 40, 2);
    const c = write(dir, 'c.journal', 80, 40, 3);
    const cp = await checkpointAfter(dir, 20);
    rmSync(join(dir, 'a.journal'));
    const sink = new CollectSink();
    const notes: string[] = [];
    await readAll(source({ scope: { dirs: [dir] }, follow: false, log: (m) => notes.push(m) }, sink, cp));
    expect(sink.events.map((e) => e.kind)).toEqual(['gap']);
    expect(sink.events[0]!.detail).toContain((cp as { journal: string }).journal);
    expect(sink.records).toEqual([...b, ...c].filter((e) => isPostfix(e.ident)).map(got));
  });

  it('the checkpoint was the last entry of the deleted file, the journal now empty: the gap is told when the next entry comes', async () => {
    const dir = tmp();
    const a = write(dir, 'a.journal', 0, 30, 1);
    const cp = await checkpointAfter(dir, a.length);
    rmSync(join(dir, 'a.journal'));
    const sink = new CollectSink();
    const s = source({ scope: { dirs: [dir] } }, sink, cp);
    try {
      await s.poll();
      expect(sink.events).toEqual([]);
      const b = write(dir, 'b.journal', 30, 30, 2);
      await pollUntil(s, () => sink.records.length >= b.filter((e) => isPostfix(e.ident)).length);
      expect(sink.events.map((e) => e.kind)).toEqual(['gap']);
      expect(sink.records).toEqual(b.filter((e) => isPostfix(e.ident)).map(got));
    } finally {
      s.close();
    }
  });

  it('two hosts\' files with entries of the same microsecond: resumed at any of them, nothing is repeated and no gap is told', async () => {
    const dir = tmp();
    const lines = LINES.slice(0, 30);
    const a = entriesFromLines(lines);
    const b = entriesFromLines(lines).map((e) => ({ ...e, host: 'mx2' }));
    expect(a.every((e) => isPostfix(e.ident))).toBe(true);
    writeJournal(join(dir, 'a.journal'), a, boot(1, a[0]!.realtime - 1e6));
    writeJournal(join(dir, 'b.journal'), b, boot(2, b[0]!.realtime - 1e6));
    const total = a.length + b.length;
    for (const n of [total, total - 1, 31, 30, 7, 1]) {
      const cp = await checkpointAfter(dir, n);
      const sink = new CollectSink();
      await readAll(source({ scope: { dirs: [dir] }, follow: false }, sink, cp));
      expect([n, sink.events]).toEqual([n, []]);
      expect([n, sink.records.length]).toEqual([n, total - n]);
    }
  });

  it('an older file deleted, the checkpoint entry still there: no gap, nothing repeated', async () => {
    const dir = tmp();
    write(dir, 'a.journal', 0, 30, 1);
    const b = write(dir, 'b.journal', 30, 30, 2);
    const cp = await checkpointAfter(dir, 50);
    rmSync(join(dir, 'a.journal'));
    const sink = new CollectSink();
    await readAll(source({ scope: { dirs: [dir] }, follow: false }, sink, cp));
    expect(sink.events).toEqual([]);
    const aLen = entriesFromLines(LINES.slice(0, 30), { noiseEvery: 5 }).length;
    expect(sink.records).toEqual(b.slice(50 - aLen).filter((e) => isPostfix(e.ident)).map(got));
  });
});
