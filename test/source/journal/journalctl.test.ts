// What journalctl (here: Debian's, systemd 252) does, on which the source's arguments rest
// (src/source/journal/args.ts). If an upgrade changes one of these, this file says which.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, cursors, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';

function messages(args: string[]): { out: string[]; code: number | null; stderr: string } {
  const r = spawnSync('journalctl', ['--output=cat', '--no-pager', ...args], { encoding: 'utf8' });
  return { out: r.stdout.split('\n').filter((l) => l.length > 0), code: r.status, stderr: r.stderr };
}

/** Two journal files of two boots, as after a reboot: 10 fixture entries each. */
function twoBoots(dir: string): { a: Entry[]; b: Entry[] } {
  const lines = fixtureLines('rfc3339.log');
  const a = entriesFromLines(lines.slice(0, 10));
  const b = entriesFromLines(lines.slice(10, 20), { shiftUs: 3_600_000_000 });
  writeJournal(join(dir, 'a.journal'), a, boot(1, a[0]!.realtime - 1e9));
  writeJournal(join(dir, 'b.journal'), b, boot(2, b[0]!.realtime - 1e6));
  return { a, b };
}

const msg = (e: Entry): string => e.message.toString('latin1');

/** Runs `journalctl args` (following) until `n` lines came or 10 s passed, then stops it. */
async function follow(args: string[], n: number, during?: () => void): Promise<string[]> {
  const c = spawn('journalctl', ['--output=cat', '--no-pager', '--follow', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  c.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const lines = (): string[] => out.split('\n').filter((l) => l.length > 0);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => (c.kill(), resolve()), 10_000);
    c.stdout.on('data', (b: Buffer) => {
      const before = lines().length;
      out += b.toString();
      if (during && before === 0 && lines().length > 0) during();
      if (lines().length >= n) clearTimeout(timer), c.kill(), resolve();
    });
    c.on('exit', () => (clearTimeout(timer), resolve()));
  });
  if (err.length > 0 && lines().length < n) return [...lines(), `stderr: ${err.trim()}`];
  return lines().slice(0, n);
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journalctl as the source uses it', () => {
  it('--cursor starts at the cursor entry itself, --after-cursor after it', () => {
    const dir = tmp();
    const { a, b } = twoBoots(dir);
    const c = cursors({ dir });
    expect(messages(['-D', dir, '--merge', `--cursor=${c[4]}`]).out).toEqual([...a.slice(4), ...b].map(msg));
    expect(messages(['-D', dir, '--merge', `--after-cursor=${c[4]}`]).out).toEqual([...a.slice(5), ...b].map(msg));
  });

  it('an unknown cursor is no error: it silently starts at the first entry after the cursor position, or at the oldest', () => {
    const dir = tmp();
    const { a, b } = twoBoots(dir);
    const c = cursors({ dir });
    const gone = c[14]!.replace(/s=[0-9a-f]+/, 's=' + 'e'.repeat(32)).replace(/i=[0-9a-f]+/, 'i=1');
    // same boot id and time as entry 14, another file's sequence number: positioned by boot and time
    const r = messages(['-D', dir, '--merge', `--cursor=${gone}`]);
    expect([r.code, r.out]).toEqual([0, b.slice(4).map(msg)]);
    const older = 's=' + 'e'.repeat(32) + ';i=1;b=' + '9'.repeat(32) + ';m=1;t=1;x=1';
    expect(messages(['-D', dir, '--merge', `--cursor=${older}`]).out).toEqual([...a, ...b].map(msg));
    const newer = 's=' + 'e'.repeat(32) + ';i=1;b=' + '9'.repeat(32) + ';m=1;t=7fffffffffffff;x=1';
    expect(messages(['-D', dir, '--merge', `--cursor=${newer}`])).toMatchObject({ code: 0, out: [] });
    // a malformed one is refused (exit 1): the source never passes one (checkpoint.ts)
    expect(messages(['-D', dir, `--cursor=garbage`])).toMatchObject({ code: 1, stderr: expect.stringContaining('Failed to seek to cursor') });
  });

  it('--follow without --merge shows only the newest boot, even from a cursor in an earlier one', async () => {
    const dir = tmp();
    const { a, b } = twoBoots(dir);
    const c = cursors({ dir });
    expect(await follow(['-D', dir, '--no-tail', `--cursor=${c[2]}`], 8)).toEqual(b.slice(0, 8).map(msg));
    expect(await follow(['-D', dir, '--no-tail', '--merge', `--cursor=${c[2]}`], 8)).toEqual(a.slice(2, 10).map(msg));
  });

  it('--follow -D picks up journal files created in the directory later; --follow on a relative --file fails with exit 0', async () => {
    const dir = tmp();
    const lines = fixtureLines('rfc3339.log');
    const a = entriesFromLines(lines.slice(0, 3));
    const b = entriesFromLines(lines.slice(3, 6), { shiftUs: 1e9 });
    writeJournal(join(dir, 'a.journal'), a, boot(1, a[0]!.realtime - 1e9));
    const got = await follow(['-D', dir, '--no-tail', '--merge'], 6, () => writeJournal(join(dir, 'b.journal'), b, boot(2, b[0]!.realtime - 1e6)));
    expect(got).toEqual([...a, ...b].map(msg));
    const r = spawnSync('journalctl', ['--file=a.journal', '--follow', '--no-tail', '-o', 'cat'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([0, '', 'Failed to get journal fd: Destination address required']);
  });

  it('an empty or missing directory: nothing, and exit 1 for a missing one', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'empty'));
    expect(messages(['-D', join(dir, 'empty')])).toMatchObject({ code: 0, out: [] });
    rmSync(join(dir, 'empty'), { recursive: true });
    expect(messages(['-D', join(dir, 'empty')]).code).toBe(1);
  });

  it('only the last of several -D options is read', () => {
    const dir = tmp();
    mkdirSync(join(dir, '1'));
    mkdirSync(join(dir, '2'));
    const lines = fixtureLines('rfc3339.log');
    const a = entriesFromLines(lines.slice(0, 2));
    const b = entriesFromLines(lines.slice(2, 4), { shiftUs: 1e9 });
    writeJournal(join(dir, '1', 'a.journal'), a, boot(1, 0));
    writeJournal(join(dir, '2', 'b.journal'), b, boot(2, 0));
    expect(messages(['-D', join(dir, '1'), '-D', join(dir, '2')]).out).toEqual(b.map(msg));
  });
});
