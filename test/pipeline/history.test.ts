// History is committed with the counters, so it is exactly once too: SIGKILLs while the log grows
// (some between a commit and the publication of its day) give the day files of one uninterrupted run,
// and a day's counters equal the counters the snapshot shows.
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDayFile, type PublishedDay } from '../../src/history/day-file.js';
import { Daemon, counters, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const fixture = (f: string) => readFileSync(join('fixtures/logs', f), 'utf8').split('\n').filter((l) => l !== '');

function days(db: string): Map<string, PublishedDay> {
  const out = new Map<string, PublishedDay>();
  for (const name of readdirSync(join(db, 'days'))) {
    if (name.startsWith('.')) continue;
    const d = decodeDayFile(readFileSync(join(db, 'days', name), 'utf8'));
    if (!d.ok) throw new Error(`${name}: ${d.message}`);
    out.set(name, d.day);
  }
  return out;
}

/** What must not differ between two runs over the same lines: everything but when it was published. */
const content = (m: Map<string, PublishedDay>) =>
  Object.fromEntries([...m].map(([k, d]) => [k, { counters: Object.fromEntries(d.data.counters), hours: [...d.data.hours].map(([t, b]) => [t, Object.fromEntries(b)]), tables: Object.fromEntries(d.data.tables), rows: Object.fromEntries(d.data.rowCounts) }]));

describe('history in the store', () => {
  it('gives a day the counters of the snapshot, with its hours adding up to them', () => {
    const dir = tmp();
    const db = join(dir, 'db');
    expect(runOnce('fixtures/logs/rfc3339.log', db, ['--tz', 'UTC']).code).toBe(0);
    const all = days(db);
    expect(all.size).toBeGreaterThan(0);
    const total: Record<string, number> = {};
    const hours: Record<string, number> = {};
    for (const d of all.values()) {
      for (const [k, n] of d.data.counters) total[k] = (total[k] ?? 0) + n;
      for (const b of d.data.hours.values()) for (const [k, n] of b) hours[k] = (hours[k] ?? 0) + n;
    }
    expect(total).toEqual(mailCounters(db));
    expect(hours).toEqual(total);
  });

  it('loses and doubles nothing of it across SIGKILLs, some before a day was published', async () => {
    const dir = tmp();
    const lines = [...fixture('rfc3339.log'), ...fixture('classic.log')];
    const whole = join(dir, 'whole.log');
    writeFileSync(whole, lines.join('\n') + '\n');
    expect(runOnce(whole, join(dir, 'ref'), ['--tz', 'UTC']).code).toBe(0);

    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, '');
    // day files every 60 s at most: every kill below comes before its commit's day is published
    const opts = ['--tz', 'UTC', '--commit-lines', '50', '--commit-interval', '1', '--poll-interval', '20'];
    const chunks = 7;
    let written = 0;
    for (let i = 1; i <= chunks; i++) {
      const d = new Daemon(log, db, opts);
      const upto = Math.round((lines.length * i) / chunks);
      appendFileSync(log, lines.slice(written, upto).join('\n') + '\n');
      written = upto;
      await waitFor(() => (counters(db)['self:lines'] ?? 0n) >= BigInt(written), `${written} lines committed`);
      await d.stop('SIGKILL');
    }
    expect(runOnce(log, db, ['--tz', 'UTC']).code).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
    expect(JSON.stringify(content(days(db)), null, 1)).toEqual(JSON.stringify(content(days(join(dir, 'ref'))), null, 1));
  });
});
