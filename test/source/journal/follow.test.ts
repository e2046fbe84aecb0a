// Following: journal files appear in the directory while the source reads (as journald's rotation
// and systemd-journal-remote make them), each a new boot: every entry is handed over once, in
// order. One directory is journalctl's own `-D` (it watches the directory itself); several are
// watched by the source, which restarts journalctl with the longer --file list.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { CollectSink, pollUntil, source, type Got } from './helpers.js';

const got = (e: Entry): Got => ({ time: e.realtime / 1000, host: e.host, ident: e.ident, pid: e.pid, message: e.message });
const LINES = fixtureLines('maillog_file.log');
const DAY = 86_400_000_000;

/** Batch `i`: 100 fixture lines a day later than batch i-1, a non-Postfix entry after every 4th. */
function batch(i: number): Entry[] {
  return entriesFromLines(LINES.slice((i * 100) % 1700, ((i * 100) % 1700) + 100), { shiftUs: i * DAY, noiseEvery: 4 });
}

async function followAppends(dirs: string[], where: (i: number) => string): Promise<{ latencies: number[] }> {
  const sink = new CollectSink();
  const s = source({ scope: { dirs } }, sink);
  const want: Got[] = [];
  const latencies: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const entries = batch(i);
      writeJournal(join(where(i), `b${i}.journal`), entries, boot(i + 1, entries[0]!.realtime - 1e6));
      const written = Date.now();
      want.push(...entries.filter((e) => isPostfix(e.ident)).map(got));
      await pollUntil(s, () => sink.records.length >= want.length);
      latencies.push(Date.now() - written);
      expect(sink.records).toEqual(want);
    }
    expect(sink.events).toEqual([]);
  } finally {
    s.close();
  }
  return { latencies };
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journal source following appended journal files', () => {
  it('one directory: journalctl --follow -D finds each new file, of a new boot, by itself', async () => {
    const dir = tmp();
    const { latencies } = await followAppends([dir], () => dir);
    console.log(`-D, new file to records handed over: ${latencies.join(', ')} ms`);
  });

  it('several directories: each new file, in either, restarts journalctl with it, from the last entry read', async () => {
    const root = tmp();
    const dirs = [join(root, 'one'), join(root, 'two')];
    dirs.forEach((d) => mkdirSync(d));
    const { latencies } = await followAppends(dirs, (i) => dirs[i % 2]!);
    console.log(`two dirs (--file list, restarted), new file to records handed over: ${latencies.join(', ')} ms`);
  });

  it('a directory that does not exist yet: journalctl is retried until it does', async () => {
    const dir = join(tmp(), 'later');
    const sink = new CollectSink();
    const notes: string[] = [];
    const s = source({ scope: { dirs: [dir] }, restartMs: 20, log: (m) => notes.push(m) }, sink);
    try {
      await pollUntil(s, () => notes.some((n) => n.includes('restarting')));
      mkdirSync(dir);
      const entries = batch(0);
      writeJournal(join(dir, 'x.journal'), entries, boot(1, entries[0]!.realtime - 1e6));
      await pollUntil(s, () => sink.records.length >= entries.filter((e) => isPostfix(e.ident)).length);
      expect(sink.records).toEqual(entries.filter((e) => isPostfix(e.ident)).map(got));
      expect(notes.some((n) => n.includes('journalctl: Failed to open'))).toBe(true);
    } finally {
      s.close();
    }
  });
});
