// Process-level torture: a child process follows a journal directory and commits (checkpoint,
// count, checksum) to a file after every poll; it is SIGKILLed at random moments (also in the middle
// of a commit, of journalctl's output, of its start) while journal files of new boots are appended.
// At the end every Postfix entry was counted exactly once and no gap was seen.
// PFS_TORTURE_KILLS=N sets the number of kills (default 50).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { recordHash, type State } from './torture-state.js';

const KILLS = Number(process.env.PFS_TORTURE_KILLS ?? 50);
const LINES = fixtureLines('rfc3339.log');
const DAY = 86_400_000_000;

function readState(file: string): State | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return null;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journal source torture', () => {
  it(`counts every entry once across ${KILLS} SIGKILLs while journal files are appended`, async () => {
    const work = tmp();
    const dir = join(work, 'journal');
    const stateFile = join(work, 'state.json');
    const child = join(work, 'child.mjs');
    buildSync({ entryPoints: ['test/source/journal/torture-child.ts'], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error' });
    spawnSync('mkdir', [dir]);

    const files = Math.max(8, Math.ceil(KILLS / 5));
    const written: Entry[] = [];
    let nextFile = 0;
    const append = (): void => {
      const i = nextFile++;
      const from = (i * 211) % (LINES.length - 400);
      const entries = entriesFromLines(LINES.slice(from, from + 400), { shiftUs: (i + 1) * DAY, noiseEvery: 3 });
      writeJournal(join(dir, `f${String(i).padStart(4, '0')}.journal`), entries, boot(i + 1, entries[0]!.realtime - 1e6));
      written.push(...entries);
    };
    append();

    let proc: ChildProcess | null = null;
    let stderr = '';
    let ready: Promise<unknown> = Promise.resolve();
    const start = (): void => {
      proc = spawn(process.execPath, [child, stateFile, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
      const out = proc.stdout!;
      ready = new Promise((r) => out.once('data', r));
    };
    let kills = 0;
    /** Counted when killed, and how many Postfix entries the journal held then: kills must land mid-way. */
    const atKill: Array<[number, number]> = [];
    while (kills < KILLS) {
      start();
      // random moments: at start-up; or, once the child is up (however long a loaded machine takes
      // to start Node), right after its first commit of entries still to catch up (a fast machine
      // catches up within milliseconds: only its own counter shows when that is), or while idle
      const r = Math.random();
      if (r < 0.3) await sleep(Math.random() * 40);
      else {
        const before = readState(stateFile)?.count ?? 0;
        await Promise.race([ready, sleep(20_000)]);
        const held = written.filter((e) => isPostfix(e.ident)).length;
        if (r < 0.65 && before < held) {
          const end = Date.now() + 5000;
          while ((readState(stateFile)?.count ?? 0) === before && Date.now() < end) await sleep(1);
        } else await sleep(Math.random() * 250);
      }
      const p = proc! as ChildProcess;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
      atKill.push([readState(stateFile)?.count ?? 0, written.filter((e) => isPostfix(e.ident)).length]);
      kills++;
      if (kills % 5 === 0 && nextFile < files) append();
    }
    while (nextFile < files) append();

    const want = written.filter((e) => isPostfix(e.ident));
    const wantSum = want.reduce((s, e) => (s + recordHash(e.realtime / 1000, e.message)) % 2 ** 48, 0);
    start();
    try {
      const deadline = Date.now() + 30_000;
      while ((readState(stateFile)?.count ?? 0) < want.length && Date.now() < deadline) await sleep(50);
      // and nothing more comes
      const s = readState(stateFile)!;
      expect({ count: s.count, sum: s.sum, gaps: s.gaps }, stderr).toEqual({ count: want.length, sum: wantSum, gaps: 0 });
      expect(s.commits).toBeGreaterThan(KILLS);
      expect(new Set(atKill.map(([c]) => c)).size, JSON.stringify(atKill)).toBeGreaterThan(KILLS / 5);
      expect(atKill.filter(([c, held]) => c > 0 && c < held).length, JSON.stringify(atKill)).toBeGreaterThan(KILLS / 10);
    } finally {
      (proc as ChildProcess | null)?.kill('SIGKILL');
    }
    // each killed child's journalctl saw its pipe close and exited
    const deadline = Date.now() + 10_000;
    const mine = (): string[] =>
      spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes('journalctl') && l.includes(dir));
    while (mine().length > 0 && Date.now() < deadline) await sleep(50);
    expect(mine()).toEqual([]);
  });
});
