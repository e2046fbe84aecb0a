// Restarts from a checkpoint: a new JournalSource given the last checkpoint of the one before
// hands over exactly the entries after it, whatever the entry it stopped at (Postfix's or not, the
// last of a file, of a boot), and a journalctl killed under a following source is restarted
// without a repeat.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { CollectSink, pollUntil, readAll, source, type Got } from './helpers.js';

const got = (e: Entry): Got => ({ time: e.realtime / 1000, host: e.host, ident: e.ident, pid: e.pid, message: e.message });

/** 400 entries over two files of two boots, every third a non-Postfix one. */
function journalDir(): { dir: string; all: Entry[] } {
  const dir = tmp();
  const lines = fixtureLines('rfc3339.log');
  const a = entriesFromLines(lines.slice(0, 150), { noiseEvery: 2 });
  const b = entriesFromLines(lines.slice(150, 300), { noiseEvery: 2, shiftUs: 7_200_000_000 });
  writeJournal(join(dir, 'a.journal'), a, boot(1, a[0]!.realtime - 1e9));
  writeJournal(join(dir, 'b.journal'), b, boot(2, b[0]!.realtime - 1e6));
  return { dir, all: [...a, ...b] };
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journal source restarts', () => {
  it('stopped after N entries and restarted from its checkpoint, at many N: nothing repeated, nothing missed', async () => {
    const { dir, all } = journalDir();
    const want = all.filter((e) => isPostfix(e.ident)).map(got);
    const stops = [0, 1, 2, 3, ...Array.from({ length: 8 }, (_, i) => 7 + i * 53), 224, 225, 226, all.length - 1, all.length];
    for (const n of stops) {
      const sink = new CollectSink();
      const first = source({ scope: { dirs: [dir] }, follow: false }, sink);
      let done = 0;
      while (done < n) {
        const k = await first.poll(Math.min(n - done, 1 + (done % 17)));
        if (k === 0) await first.wait(50);
        done += k;
      }
      const cp = JSON.parse(JSON.stringify(first.checkpoint())) as unknown;
      first.close();
      expect(cp === null).toBe(n === 0);
      await readAll(source({ scope: { dirs: [dir] }, follow: false }, sink, cp));
      expect(sink.records, `stopped after ${n}`).toEqual(want);
      expect(sink.events, `stopped after ${n}`).toEqual([]);
    }
  });

  it('a checkpoint that is no journal cursor is refused at construction', () => {
    for (const bad of [{ journal: 'garbage' }, { journal: 's=1;i=2\n--file=/etc/passwd' }, { offset: 5 }, 'x'])
      expect(() => source({ scope: { dirs: ['/nonexistent'] } }, new CollectSink(), bad)).toThrow(TypeError);
  });

  it('following, each journalctl SIGKILLed as soon as it runs, its output cut anywhere: restarted from the last entry read, no repeat', async () => {
    // five copies of a fixture log in one file (9,285 entries): journalctl needs long enough to write
    // them that a kill lands in the middle of its output
    const dir = tmp();
    const lines = fixtureLines('rfc3339.log');
    const all = Array.from({ length: 5 }, (_, i) => entriesFromLines(lines, { shiftUs: i * 86_400_000_000 })).flat();
    writeJournal(join(dir, 'big.journal'), all, boot(1, all[0]!.realtime - 1e9));
    const want = all.map(got);
    const sink = new CollectSink();
    const notes: string[] = [];
    const s = source({ scope: { dirs: [dir] }, restartMs: 1, log: (m) => notes.push(m) }, sink);
    const killed = new Set<number>();
    let kills = 0;
    await pollUntil(
      s,
      () => {
        const pid = s.journalctlPid;
        if (pid !== undefined && !killed.has(pid) && kills < 10) {
          process.kill(pid, 'SIGKILL');
          killed.add(pid);
          kills++;
        }
        return sink.records.length >= want.length;
      },
      30_000,
      500,
    );
    s.close();
    expect(kills).toBe(10);
    expect(sink.records).toEqual(want);
    expect(sink.events).toEqual([]);
    expect(notes.filter((n) => n.includes('journalctl ended (SIGKILL)')).length).toBe(10);
  });
});
