// Not a CI test (PFS_JOURNAL_BENCH=1 runs it): the journal source's throughput on a 200k-entry
// journal, half of it not Postfix's, against reading the same lines from a plain file, in one run.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'vitest';
import { ExportParser } from '../../../src/source/journal/export-parser.js';
import { ENTRY_FIELDS } from '../../../src/source/journal/entry-record.js';
import { JournalSource } from '../../../src/source/journal/journal-source.js';
import { boot, entriesFromLines, fixtureLines, HAVE_JOURNAL_TOOLS, isPostfix } from '../../helpers/journal.js';
import { exportFormat, JOURNAL_REMOTE } from '../../helpers/journal.js';
import { tmp } from '../../helpers/tmp.js';
import { readAll } from './helpers.js';

const COPIES = 54;

function best(runs: number, f: () => Promise<number>): Promise<number> {
  return (async () => {
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await f();
      min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9);
    }
    return min;
  })();
}

/** journalctl `args` through the export parser alone; returns entries. */
function parsePipe(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const p = new ExportParser({ keep: ENTRY_FIELDS, maxField: 65536 });
    let n = 0;
    c.stdout.on('data', (b: Buffer) => p.push(b, 0, () => (n++, true)));
    c.on('close', (code) => (code === 0 ? resolve(n) : reject(new Error(`exit ${code}`))));
  });
}

describe.skipIf(!process.env.PFS_JOURNAL_BENCH || !HAVE_JOURNAL_TOOLS)('journal throughput', () => {
  it('entries per second, journal vs plain file', async () => {
    const dir = tmp();
    const lines = fixtureLines('rfc3339.log');
    const entries = Array.from({ length: COPIES }, (_, i) => entriesFromLines(lines, { shiftUs: i * 86_400_000_000, noiseEvery: 1 })).flat();
    const postfix = entries.filter((e) => isPostfix(e.ident)).length;
    // one journal file, as journald would hold it (written in pieces: journal-remote reads stdin)
    const input = exportFormat(entries, boot(1, entries[0]!.realtime - 1e6));
    const w = spawnSync(JOURNAL_REMOTE!, ['-o', join(dir, 'j.journal'), '-'], { input, maxBuffer: 1 << 28 });
    if (w.status !== 0) throw new Error(w.stderr.toString());
    const text = join(tmp(), 'mail.log');
    writeFileSync(text, entries.map((e) => `2026-11-29T14:21:52.304714+00:00 ${e.host} ${e.ident}[${e.pid}]: ${e.message.toString('latin1')}\n`).join(''), 'latin1');
    const base = ['--no-pager', '--merge', `--directory=${dir}`, '--output=export'];
    const idents = [...new Set(entries.filter((e) => isPostfix(e.ident)).map((e) => e.ident))];
    const rows: Array<[string, number, number]> = [];
    const row = async (name: string, n: number, f: () => Promise<number>): Promise<void> => {
      const s = await best(3, f);
      rows.push([name, s, n / s]);
    };
    await row('JournalSource (export, --output-fields, prefix selection, records)', entries.length, async () => {
      let n = 0;
      const s = new JournalSource({ scope: { dirs: [dir] }, follow: false }, { line() {}, record: () => void n++, event() {} });
      await readAll(s, 100_000);
      s.close();
      if (n !== postfix) throw new Error(`${n} records, not ${postfix}`);
      return n;
    });
    await row('journalctl export --output-fields > parser', entries.length, () => parsePipe([...base, '--output-fields=_HOSTNAME,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,MESSAGE']));
    await row('journalctl export, all fields > parser', entries.length, () => parsePipe(base));
    await row(`journalctl export --output-fields + ${idents.length} exact SYSLOG_IDENTIFIER matches > parser`, entries.length, () =>
      parsePipe([...base, '--output-fields=_HOSTNAME,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,MESSAGE', ...idents.map((i) => `SYSLOG_IDENTIFIER=${i}`)]),
    );
    await row('journalctl export --output-fields > /dev/null', entries.length, async () => (spawnSync('sh', ['-c', `journalctl ${base.join(' ')} --output-fields=_HOSTNAME,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,MESSAGE > /dev/null`]), 0));
    await row('journalctl json --output-fields, JSON.parse per line', entries.length, () =>
      new Promise((resolve) => {
        const c = spawn('journalctl', ['--no-pager', '--merge', `--directory=${dir}`, '--output=json', '--output-fields=_HOSTNAME,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,MESSAGE'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let n = 0;
        createInterface({ input: c.stdout }).on('line', (l) => (JSON.parse(l), n++)).on('close', () => resolve(n));
      }),
    );
    await row('plain file: wc -l', entries.length, async () => (spawnSync('wc', ['-l', text]), 0));
    await row('plain file: node readline loop', entries.length, () =>
      new Promise((resolve) => {
        let n = 0;
        createInterface({ input: createReadStream(text) }).on('line', () => n++).on('close', () => resolve(n));
      }),
    );
    console.log(`${entries.length} entries (${postfix} Postfix), best of 3:\n` + rows.map(([n, s, r]) => `${n}: ${s.toFixed(3)} s, ${Math.round(r).toLocaleString('en')} entries/s`).join('\n'));
  }, 600_000);
});
