// postfix-stats-report as a user runs it: the built main on real inputs (a store the daemon wrote,
// log files plain, gzipped and on stdin), its exit codes, and nothing on stdout when it fails.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const REPORT = resolve('dist/daemon/report.js');
const LOG = resolve('fixtures/logs/rfc3339.log');

function report(args: string[], input?: Buffer | string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [REPORT, ...args], { encoding: 'utf8', input, env: { PATH: process.env.PATH, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The report run by /bin/sh, for a redirection. */
function sh(command: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' } });
}

const totals = (s: string) => s.slice(s.indexOf('Grand Totals'), s.indexOf('Per-Hour'));
/** Recipients delivered in the fixture, as fixtures/generate.sh computed them from its scenario. */
const expected = JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8'))['rfc3339.log'] as Record<string, number>;
const delivered = Object.entries(expected).filter(([k]) => /^sent:/.test(k)).reduce((n, [, v]) => n + v, 0);
const deliveredLine = (n: number) => new RegExp(`^ +${n} {3}delivered$`, 'm');

describe('postfix-stats-report main', () => {
  it('--db DIR --day D: the day the daemon counted, exit 0', () => {
    const db = join(tmp(), 'db');
    expect(runOnce(LOG, db, ['--tz', 'UTC']).code).toBe(0);
    const r = report(['--db', db, '--day', '2026-11-29']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith('Postfix log summaries for 2026-11-29\n')).toBe(true);
    expect(r.stdout).toMatch(deliveredLine(delivered));
  });

  it('reads a log plain, gzipped (by its magic bytes, whatever its name) and on stdin to the same numbers', () => {
    const dir = tmp();
    const gz = join(dir, 'mail.log.1');
    writeFileSync(gz, gzipSync(readFileSync(LOG)));
    const plain = report([LOG]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(totals(report([gz]).stdout)).toBe(totals(plain.stdout));
    expect(totals(report(['-'], readFileSync(LOG)).stdout)).toBe(totals(plain.stdout));
    // two copies of the same lines: every count doubles
    expect(report([LOG, gz]).stdout).toMatch(deliveredLine(2 * delivered));
  });

  it("pflogsumm's cron lines with postfix-stats-report in its place: a log piped or redirected in without FILE, and -d", () => {
    const plain = report([LOG]);
    expect(plain.status, plain.stderr).toBe(0);
    // `cat /var/log/mail.log | pflogsumm | mail ...`: no FILE, no --db, a log on a pipe
    const piped = report([], readFileSync(LOG));
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout).toContain('input: log files (stdin)');
    expect(piped.stderr).toBe('');
    expect(totals(piped.stdout)).toBe(totals(plain.stdout));
    // `pflogsumm -d yesterday < mail.log`: redirected from a file, and pflogsumm's -d
    const redirected = sh(`"${process.execPath}" "${REPORT}" -d 2026-11-29 < "${LOG}"`);
    expect(redirected.status, redirected.stderr).toBe(0);
    expect(totals(redirected.stdout)).toBe(totals(report(['--day', '2026-11-29', LOG]).stdout));
    expect(redirected.stdout).toMatch(deliveredLine(delivered));
    // a cron job's stdin is an empty pipe: without FILE or --db that is no input, not an empty log
    const empty = report([], '');
    expect([empty.status, empty.stdout]).toEqual([66, '']);
    expect(empty.stderr).toMatch(/nothing came on standard input; for the daemon's history give --db DIR/);
    // an empty log named, or redirected from a file (just after logrotate), is an empty log
    expect(report(['-'], '').status).toBe(0);
    const emptyFile = join(tmp(), 'mail.log');
    writeFileSync(emptyFile, '');
    const redirectedEmpty = sh(`"${process.execPath}" "${REPORT}" -d 2026-11-29 < "${emptyFile}"`);
    expect(redirectedEmpty.status, redirectedEmpty.stderr).toBe(0);
    expect(redirectedEmpty.stdout).toMatch(/^ +0 {3}received$/m);
    // /dev/null, as the timer's unit gives: the daemon's history (here none at the default directory)
    const devNull = sh(`"${process.execPath}" "${REPORT}" -d 2026-11-29 < /dev/null`);
    expect(devNull.status).toBe(66);
    expect(devNull.stderr).toMatch(/no history at \/var\/lib\/postfix-stats\/days/);
    // a flag asking for what is not kept: refused by name before anything is read
    const e = report(['-e', LOG]);
    expect([e.status, e.stdout]).toEqual([64, '']);
    expect(e.stderr).toMatch(/not supported: -e/);
  });

  it('a pipe that brings nothing for a while, at a terminal: one line says what the report waits for, then the log is read', async () => {
    // script(1) gives the report a terminal for stderr (the notice is for people, not cron's mail);
    // its stdin is a FIFO this test writes once the notice is there
    const fifo = join(tmp(), 'log.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn('script', ['-qfec', `"${process.execPath}" "${REPORT}" < "${fifo}"`, '/dev/null'], { env: { PATH: process.env.PATH, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tty = '';
    const notice = "postfix-stats-report: reading a log from standard input (no FILE or --db given); for the daemon's history give --db DIR";
    const noticed = new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (d: string) => ((tty += d), tty.includes(notice) && resolve())));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const writer = await open(fifo, 'w'); // once the shell opened it for the report
    await noticed; // waits on the report's own line, not on a clock
    await writer.writeFile(readFileSync(LOG));
    await writer.close();
    expect(await exited).toBe(0);
    expect(tty.indexOf(notice)).toBeLessThan(tty.indexOf('Grand Totals'));
    expect(tty).toMatch(new RegExp(`^ +${delivered} {3}delivered\\r?$`, 'm'));
  });

  it('a log with no Postfix line is a report of zeros if its lines are in a form this reads, else exit 65', () => {
    const dir = tmp();
    // a quiet day: only other programs' lines, and journalctl's own notes
    const quiet = join(dir, 'quiet.log');
    writeFileSync(quiet, '-- Journal begins at Sun 2026-11-29 00:00:01 UTC. --\n2026-11-29T10:00:00.000000+00:00 mx1 dovecot[99]: imap-login: Login: user=<u>\n');
    const q = report([quiet]);
    expect(q.status, q.stderr).toBe(0);
    expect(q.stdout).toMatch(/^period: none: no Postfix line in the input \(UTC\)$/m);
    expect(q.stdout).toMatch(/^ +0 {3}received$/m);
    // Postfix lines that count nothing (a backup MX's connects): the period is their day, not none
    const connects = report([], '2026-11-29T10:00:00.000000+00:00 mx1 postfix/smtpd[7]: connect from c[192.0.2.1]\n');
    expect(connects.status, connects.stderr).toBe(0);
    expect(connects.stdout).toMatch(/^period: 2026-11-29 00:00 to 2026-11-30 00:00 \(UTC\)$/m);
    // journalctl -o short on a day without entries prints only a note, to the pipe
    const noEntries = report(['-d', '2026-11-29'], '-- No entries --\n');
    expect(noEntries.status, noEntries.stderr).toBe(0);
    expect(noEntries.stdout).toMatch(/^ +0 {3}delivered$/m);
    // a form this does not read: the first such line is quoted, its UTF-8 read as UTF-8
    const foreign = report([], Buffer.from('-- Boot 1 --\nSo 2026-11-29 16:27:03 CET mx1 postfix/smtpd[1]: Grüße\n'));
    expect([foreign.status, foreign.stdout]).toEqual([65, '']);
    expect(foreign.stderr).toContain('the first line is "So 2026-11-29 16:27:03 CET mx1 postfix/smtpd[1]: Grüße"');
  });

  it('--html gives one HTML document; --mail-to a message for sendmail -t', () => {
    expect(report(['--html', LOG]).stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    const m = report(['--mail-to', 'root', '--day', '2026-11-29', LOG]);
    expect(m.stdout).toMatch(/^To: root\nSubject: Postfix stats for \S+ 2026-11-29\nDate: /);
  });

  it('a zone given by another of its names (Etc/UTC, US/Eastern) to the daemon and to the report gives the report, not a refusal naming the same zone', () => {
    for (const [given, canonical] of [['Etc/UTC', 'UTC'], ['US/Eastern', 'America/New_York']] as const) {
      const db = join(tmp(), 'db');
      expect(runOnce(LOG, db, ['--tz', given]).code).toBe(0);
      const r = report(['--db', db, '--day', 'today', '--tz', given]);
      expect(r.status, `${given}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`\\(${canonical.replace('/', '\\/')}\\)$`, 'm'));
      // the same zone by its canonical name, and a different zone is still refused by its canonical name
      expect(report(['--db', db, '--day', 'today', '--tz', canonical]).status).toBe(0);
      const other = report(['--db', db, '--day', 'today', '--tz', 'Europe/Berlin']);
      expect(other.status).toBe(64);
      expect(other.stderr).toContain(`zone ${canonical}; ask for the report in it (--tz ${canonical})`);
    }
  });

  it('exit codes: 64 usage, 65 no line in a form this reads, 66 no input, 74 damaged input; stdout empty each time', () => {
    const dir = tmp();
    const db = join(dir, 'db');
    expect(runOnce(LOG, db, ['--tz', 'UTC']).code).toBe(0);
    const dayFile = join(db, 'days', '2026-11-29');
    const broken = join(dir, 'broken');
    mkdirSync(join(broken, 'days'), { recursive: true });
    writeFileSync(join(broken, 'days', '2026-11-29'), readFileSync(dayFile, 'utf8').replace(/"recv:smtp":(\d+)/, (_, n: string) => `"recv:smtp":${Number(n) + 1}`));
    // a log in a form this does not read: journalctl -o short-full's `Sun 2026-11-29 16:27:03 UTC`
    const shortFull = join(dir, 'short-full.log');
    writeFileSync(shortFull, readFileSync(LOG, 'latin1').replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.\d+\+00:00 /gm, 'Sun $1 $2 UTC '), 'latin1');
    // a time stamp but no syslog host and tag after it: docker logs -t's prefix, busybox syslogd's facility
    const docker = join(dir, 'docker.log');
    writeFileSync(docker, readFileSync(LOG, 'latin1').replace(/^(\S+) /gm, '2026-11-29T16:27:03.123456789Z Nov 29 16:27:03 '), 'latin1');
    const busybox = join(dir, 'busybox.log');
    writeFileSync(busybox, readFileSync(LOG, 'latin1').replace(/^(\S+ \S+) /gm, '$1 mail.info '), 'latin1');
    const longLine = join(dir, 'long.log');
    writeFileSync(longLine, `${'x'.repeat(70_000)}\n`);
    const binary = join(dir, 'binary.log');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const badGz = join(dir, 'cut.gz');
    writeFileSync(badGz, gzipSync(readFileSync(LOG)).subarray(0, 200));
    const cases: [string[], number, RegExp][] = [
      [['--db', db, LOG], 64, /--db and log files/],
      [['--mail-to', 'root\nBcc: x', LOG], 64, /CR, LF/],
      [['--db', db, '--day', '2026-11-29', '--tz', 'Europe/Berlin'], 64, /zone UTC/],
      // a day the store has no file of, in another zone: not a day of zeros but a refusal (so also
      // "today" in Europe/Berlin between 23:00 and 24:00 UTC, before the daemon's UTC day file exists)
      [['--db', db, '--day', '2020-01-01', '--tz', 'Europe/Berlin'], 64, /zone UTC/],
      [['--db', join(dir, 'none'), '--day', '2026-11-29'], 66, /no history/],
      [[join(dir, 'missing.log')], 66, /no such file/],
      [['--db', broken, '--day', '2026-11-29'], 74, /checksum/],
      [[badGz], 74, /gzip/],
      [[shortFull], 65, /no line of the input is in a form this reads: .*; the first line is "Sun 2026-11-29 16:27:03 UTC mx1 postfix\/postfix-script/],
      [[binary], 65, /no line of the input is in a form this reads/],
      [[docker], 65, /the first line is "2026-11-29T16:27:03.123456789Z Nov 29 16:27:03 mx1 postfix/],
      [[busybox], 65, /the first line is "2026-11-29T16:27:03.577551\+00:00 mx1 mail.info postfix/],
      [[longLine], 65, /the first line is "\(a line of more than 65536 bytes\)"/],
    ];
    for (const [args, code, message] of cases) {
      const r = report(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('--help lists the exit codes; --version the version', () => {
    const h = report(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: postfix-stats-report/);
    expect(h.stdout).toMatch(/74/);
    expect(report(['--version']).stdout).toMatch(/^postfix-stats-report \d+\.\d+\.\d+\n$/);
  });
});
