// A restart must neither lose nor double-count a line: SIGTERM at arbitrary moments while the log
// grows, then compare with one uninterrupted run over the same bytes.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon, counters, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

function fixtureLines(): string[] {
  return ['classic.log', 'rfc3339.log', 'maillog_file.log'].flatMap((f) =>
    readFileSync(join('fixtures/logs', f), 'utf8').split('\n').filter((l) => l !== ''),
  );
}

// A small deterministic generator, so a failure can be replayed with the printed seed.
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
}

describe('restart', () => {
  it('SIGTERM at arbitrary moments, then restart, gives the counts of one uninterrupted run', async () => {
    const seed = Number(process.env.PFS_SEED ?? Date.now() % 100_000);
    const rand = rng(seed);
    console.log(`restart: seed ${seed} (replay with PFS_SEED=${seed})`);
    const dir = tmp();
    const lines = fixtureLines();
    const whole = join(dir, 'whole.log');
    writeFileSync(whole, lines.join('\n') + '\n');
    expect(runOnce(whole, join(dir, 'ref')).code).toBe(0);
    const reference = mailCounters(join(dir, 'ref'));

    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, '');
    const opts = ['--commit-lines', '37', '--commit-interval', '1', '--poll-interval', '20'];
    let written = 0;
    let stops = 0;
    let clean = 0;
    let d = new Daemon(log, db, opts);
    while (written < lines.length) {
      const n = 1 + rand(600);
      appendFileSync(log, lines.slice(written, written + n).join('\n') + '\n');
      written = Math.min(lines.length, written + n);
      // Sometimes stop at once (mid-read), sometimes once part of the new lines was counted.
      if (rand(4) !== 0) await waitFor(() => d.output.includes('"msg":"started"'), 'daemon started');
      if (rand(2) === 0) {
        const target = BigInt(written - rand(n));
        await waitFor(() => (counters(db)['self:lines'] ?? 0n) >= target, `self:lines >= ${target}`).catch((e) => {
          throw new Error(`${e.message}; counters ${JSON.stringify(counters(db), (_, v) => (typeof v === 'bigint' ? Number(v) : v))}; daemon said ${d.output}`);
        });
      }
      const exit = await d.stop('SIGTERM');
      // Before its handler is installed (module loading) SIGTERM ends node at once, having written nothing.
      expect(exit.code === 0 || exit.signal === 'SIGTERM', exit.stderr).toBe(true);
      stops++;
      if (exit.code === 0) clean++;
      d = new Daemon(log, db, opts);
    }
    await waitFor(() => counters(db)['self:lines'] === BigInt(lines.length), 'all lines counted');
    await d.stop('SIGTERM');
    console.log(`restart: seed ${seed}, ${lines.length} lines, ${stops} SIGTERM restarts, ${clean} after start-up`);
    expect(clean).toBeGreaterThan(5);
    expect(mailCounters(db)).toEqual(reference);
    expect(counters(db)['self:lines']).toBe(BigInt(lines.length));
  });
});
