// The real-Postfix fixture logs written as real journal files (systemd-journal-remote), with sshd,
// CRON and Postfix look-alike entries between their lines, read back through journalctl: every
// Postfix entry is handed over once, in order, with the fixture line's fields, and counts exactly
// what the file source counts from the log (expected.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classify/classify.js';
import type { LogRecord } from '../../../src/syslog/record.js';
import { QueueState } from '../../../src/classify/queue.js';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix, NO_JOURNAL_TOOLS, writeJournal, type Entry } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { CollectSink, readAll, source, type Got } from './helpers.js';

const expected = JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>;

function wanted(entries: readonly Entry[], names: readonly string[] = []): Got[] {
  return entries
    .filter((e) => isPostfix(e.ident, names))
    .map((e) => ({ time: e.realtime / 1000, host: e.host, ident: e.ident, pid: e.pid, message: e.message }));
}

/** What the classifier counts from the records as they were handed over: fields, not a re-made line. */
function count(records: readonly Got[]): Record<string, number> {
  const state = new QueueState(100_000);
  const counts: Record<string, number> = {};
  const out = { add: (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n) };
  for (const r of records) classify(state, asRecord(r), out);
  return Object.fromEntries(Object.entries(counts).filter(([k]) => !k.startsWith('self:')));
}

function asRecord(g: Got): LogRecord {
  const [host, ident, pid] = [g.host, g.ident, g.pid].map((s) => Buffer.from(s, 'latin1'));
  const buf = Buffer.concat([host!, ident!, pid!, g.message]);
  const a = host!.length, b = a + ident!.length, c = b + pid!.length;
  return { buf, time: g.time, hostStart: 0, hostEnd: a, identStart: a, identEnd: b, pidStart: b, pidEnd: c, msgStart: c, msgEnd: buf.length };
}

describe.skipIf(!HAVE_JOURNAL_TOOLS)('journal source over the fixtures', () => {
  it.each(Object.keys(expected))('hands over every Postfix entry of %s once, with its fields, and counts what the file source counts', async (name) => {
    const dir = tmp();
    const entries = entriesFromLines(fixtureLines(name), { noiseEvery: 3 });
    writeJournal(join(dir, 'fixture.journal'), entries, boot(1, entries[0]!.realtime - 3_600_000_000));
    const sink = new CollectSink();
    await readAll(source({ scope: { dirs: [dir] }, follow: false }, sink));
    expect(sink.events).toEqual([]);
    expect(sink.records.length).toBe(fixtureLines(name).length);
    expect(sink.records).toEqual(wanted(entries));
    expect(count(sink.records)).toEqual(expected[name]);
  });

  it('also selects the syslog_name prefixes the admin configured, and a non-UTF-8 message byte for byte', async () => {
    const dir = tmp();
    const lines = fixtureLines('rfc3339.log').slice(0, 50);
    const entries = entriesFromLines(lines, { noiseEvery: 2 });
    const t = entries.at(-1)!.realtime;
    entries.push(
      { realtime: t + 1, host: 'mx1', ident: 'mx-out/smtp', pid: '7', message: Buffer.from('ABC: to=<a@b>, status=sent') },
      { realtime: t + 2, host: 'mx1', ident: 'mx-outer/smtp', pid: '7', message: Buffer.from('not ours') },
      { realtime: t + 3, host: 'mx1', ident: 'postfix-in/smtpd', pid: '8', message: Buffer.from([0x68, 0x65, 0x6c, 0x6f, 0x3d, 0xe9, 0xff, 0x0a, 0x78]) },
      { realtime: t + 4, host: 'mx2', ident: 'postfix', pid: '9', message: Buffer.from('bare identifier') },
    );
    writeJournal(join(dir, 'x.journal'), entries, boot(1, t - 1e9));
    const sink = new CollectSink();
    await readAll(source({ scope: { files: [join(dir, 'x.journal')] }, follow: false, syslogNames: ['mx-out'] }, sink));
    expect(sink.records).toEqual(wanted(entries, ['mx-out']));
    expect(sink.records.map((r) => r.ident).slice(-3)).toEqual(['mx-out/smtp', 'postfix-in/smtpd', 'postfix']);
  });

  it('skips an entry whose MESSAGE exceeds the limit, reports it as long_line, and reads on', async () => {
    const dir = tmp();
    const entries = entriesFromLines(fixtureLines('classic.log').slice(0, 20));
    entries[5]!.message = Buffer.alloc(100_000, 0x61);
    writeJournal(join(dir, 'x.journal'), entries, boot(1, entries[0]!.realtime - 1e9));
    const sink = new CollectSink();
    await readAll(source({ scope: { dirs: [dir] }, follow: false, maxField: 65536 }, sink));
    expect(sink.records).toEqual(wanted(entries.filter((_, i) => i !== 5)));
    expect(sink.events.map((e) => e.kind)).toEqual(['long_line']);
  });
});

describe.skipIf(HAVE_JOURNAL_TOOLS)('journal source over the fixtures', () => {
  it.skip(NO_JOURNAL_TOOLS, () => {});
});
