// The daemon on real journal files (written by systemd-journal-remote from the real-Postfix fixtures,
// with other programs' entries between them): the same counters as the file source on the same
// messages, in all three fixture formats; and exactly once across SIGKILLs while journal files of
// new boots are appended to the directory it follows.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, writeJournal } from '../helpers/journal.js';
import { Daemon, counters, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const expected = JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>;
const KILLS = Number(process.env.PFS_TORTURE_KILLS ?? 50);
const DAY = 86_400_000_000;

/** A daemon run without --log: runOnce's first arguments are replaced. */
function onceOn(args: string[], db: string, o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  return runOnce('', db, args, { noLog: true, ...o });
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('the daemon on the journal', () => {
  it.each(Object.keys(expected))('--journal-file of %s counts what --log of the same lines counts', (name) => {
    const dir = tmp();
    const entries = entriesFromLines(fixtureLines(name), { noiseEvery: 3 });
    const file = join(dir, 'mail.journal');
    writeJournal(file, entries, boot(1, entries[0]!.realtime - 3_600_000_000));
    const r = onceOn(['--journal-file', file], join(dir, 'db'));
    expect(r.code, r.stderr).toBe(0);
    expect(mailCounters(join(dir, 'db'))).toEqual(expected[name]);
    expect(runOnce(join('fixtures/logs', name), join(dir, 'by-file')).code).toBe(0);
    expect(mailCounters(join(dir, 'db'))).toEqual(mailCounters(join(dir, 'by-file')));
    expect(counters(join(dir, 'db'))['self:lines']).toBe(BigInt(entries.filter((e) => isPostfix(e.ident)).length));
  });

  it('--once on directories without journal files yet ends at once, having read nothing', () => {
    const dir = tmp();
    for (const d of ['a', 'b']) mkdirSync(join(dir, d));
    const r = onceOn(['--journal-dir', join(dir, 'a'), '--journal-dir', join(dir, 'b'), '--journal-dir', join(dir, 'missing')], join(dir, 'db'), { timeoutMs: 20_000 });
    expect([r.code, r.signal], r.stdout + r.stderr).toEqual([0, null]);
    expect(r.stdout).toContain('no journal files in');
    expect(counters(join(dir, 'db'))['self:lines'] ?? 0n).toBe(0n);
  });

  it('--once whose journalctl fails: exit 66 naming it, after committing what it read; a missing --journal-file too', () => {
    const dir = tmp();
    const entries = entriesFromLines(fixtureLines('classic.log'), { noiseEvery: 3 });
    const file = join(dir, 'mail.journal');
    writeJournal(file, entries, boot(1, entries[0]!.realtime - 3_600_000_000));
    // the real journalctl, ending in failure once it has written every entry (as when it is killed)
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'journalctl'), '#!/bin/sh\n/usr/bin/journalctl "$@"\nexit 1\n', { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const r = onceOn(['--journal-file', file, '--commit-lines', '1000000'], join(dir, 'db'), { env, timeoutMs: 60_000 });
    expect([r.code, r.signal], r.stdout + r.stderr).toEqual([66, null]);
    expect(r.stderr).toContain('journalctl failed (exit 1)');
    expect(r.stdout).not.toContain('internal error');
    expect(mailCounters(join(dir, 'db'))).toEqual(expected['classic.log']);
    const missing = onceOn(['--journal-file', join(dir, 'no.journal')], join(dir, 'db2'), { timeoutMs: 60_000 });
    expect([missing.code, missing.stderr]).toEqual([66, expect.stringContaining('journalctl failed')]);
  });

  it(`loses and doubles nothing across ${KILLS} SIGKILLs while journal files are appended`, async () => {
    const work = tmp();
    const dir = join(work, 'journal');
    mkdirSync(dir);
    const db = join(work, 'db');
    const lines = fixtureLines('rfc3339.log');
    let files = 0;
    let postfix = 0;
    const append = () => {
      const i = files++;
      const from = (i * 211) % (lines.length - 1000);
      const entries = entriesFromLines(lines.slice(from, from + 1000), { shiftUs: (i + 1) * DAY, noiseEvery: 4 });
      writeJournal(join(dir, `f${String(i).padStart(4, '0')}.journal`), entries, boot(i + 1, entries[0]!.realtime - 1e6));
      postfix += entries.filter((e) => isPostfix(e.ident)).length;
    };
    append();
    let seed = 4242;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    let midway = 0;
    for (let k = 0; k < KILLS; k++) {
      const d = new Daemon('', db, ['--journal-dir', dir, '--commit-interval', '5'], { noLog: true });
      if (k % 3 === 0) append();
      await waitFor(() => d.output.includes('"msg":"started"') || d.proc.exitCode !== null, 'the daemon started');
      await new Promise((r) => setTimeout(r, rand(200))); // a random moment in its reading: the kill is the test
      await d.stop('SIGKILL');
      const seen = counters(db)['self:lines'] ?? 0n;
      if (seen > 0n && seen < BigInt(postfix)) midway++;
    }
    const last = new Daemon('', db, ['--journal-dir', dir], { noLog: true });
    await waitFor(() => last.output.includes('"msg":"started"'), 'the last daemon started'); // SIGTERM before that is fatal, harmlessly
    await waitFor(() => counters(db)['self:lines'] === BigInt(postfix), `all ${postfix} Postfix entries counted`, 60_000);
    expect((await last.stop()).code).toBe(0);
    console.log(`journal torture: ${KILLS} SIGKILLs, ${files} journal files, ${postfix} Postfix entries, ${midway} kills with counting part-way`);
    expect(midway).toBeGreaterThan(0);
    expect(counters(db)['self:gaps'] ?? 0n).toBe(0n);
    const ref = onceOn(['--journal-dir', dir], join(work, 'ref'));
    expect(ref.code, ref.stderr).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(work, 'ref')));
  }, 60_000 + KILLS * 1500); // PFS_TORTURE_KILLS makes a long run
});
