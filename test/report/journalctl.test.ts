// A host with no syslog file, only the journal: an admin pipes journalctl's text into the report as
// into pflogsumm. Real journal files (systemd-journal-remote) of a real-Postfix fixture, with other
// programs' entries between its lines, printed by journalctl in each of its syslog-like formats.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, NO_JOURNAL_TOOLS, writeJournal } from '../helpers/journal.js';
import { tmp } from '../helpers/tmp.js';

const REPORT = resolve('dist/daemon/report.js');
const FIXTURE = 'rfc3339.log';
const env = { PATH: process.env.PATH, TZ: 'UTC' };

const totals = (s: string) => s.slice(s.indexOf('Grand Totals'), s.indexOf('Host/Domain Summary'));

describe.skipIf(!HAVE_JOURNAL_TOOLS)('the report of journalctl piped in', () => {
  const entries = entriesFromLines(fixtureLines(FIXTURE), { noiseEvery: 3 });
  const fromFile = spawnSync(process.execPath, [REPORT, resolve('fixtures/logs', FIXTURE)], { encoding: 'utf8', env });

  // short: `Nov 29 16:27:03`; short-precise: postlogd's `.577551`; short-iso: `+0000`, an offset without colon
  it.each(['short', 'short-precise', 'short-iso', 'short-iso-precise'])('journalctl -o %s | postfix-stats-report: the Grand Totals and traffic of the log file', (format) => {
    expect(fromFile.status, fromFile.stderr).toBe(0);
    const journal = join(tmp(), 'postfix.journal');
    writeJournal(journal, entries, boot(1, entries[0]!.realtime - 3_600_000_000));
    const r = spawnSync('/bin/sh', ['-c', `journalctl --file "${journal}" -o ${format} | "${process.execPath}" "${REPORT}"`], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('input: log files (stdin)');
    expect(totals(r.stdout)).toBe(totals(fromFile.stdout));
    expect(totals(r.stdout)).toMatch(/^ +400 {3}delivered$/m);
  });
});

it.runIf(!HAVE_JOURNAL_TOOLS)(`the journalctl report test ${NO_JOURNAL_TOOLS}`, () => {});
