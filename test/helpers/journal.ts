// Real journal files for the journal source's tests: the fixture logs' lines turned into journal
// export entries and written by Debian's systemd-journal-remote (package systemd-journal-remote),
// exactly as journald's own files are read back by journalctl.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian 12 ships it in /lib/systemd, Debian 13 in /usr/lib/systemd; neither puts it on PATH. */
export const JOURNAL_REMOTE = ['/usr/lib/systemd/systemd-journal-remote', '/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));
export const HAVE_JOURNAL_TOOLS = JOURNAL_REMOTE !== undefined && spawnSync('journalctl', ['--version']).status === 0;
export const NO_JOURNAL_TOOLS = 'needs journalctl and systemd-journal-remote (apt-get install systemd-journal-remote)';

export interface Entry {
  /** __REALTIME_TIMESTAMP, µs since the epoch. */
  realtime: number;
  host: string;
  ident: string;
  pid: string;
  /** Bytes, so a test can give a message that is not UTF-8. */
  message: Buffer;
  /** The fixture line it came from; undefined for the interleaved non-Postfix entries. */
  line?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// `2026-11-29T14:21:52.304714+00:00 mx1 postfix/smtpd[10619]: msg` or `Nov 29 14:21:52 mx1 ...`
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d) (\S+) ([^\s[]+)\[(\d+)\]: (.*)$/s;
const CLASSIC = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\S+) ([^\s[]+)\[(\d+)\]: (.*)$/s;

/** A fixture line's parts; classic lines have no year: `year` (UTC) is assumed. */
export function parseLine(line: string, year = 2026): Omit<Entry, 'message'> & { message: string } {
  let m = RFC3339.exec(line);
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', zone, host, ident, pid, msg] = m as unknown as string[];
    let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
    if (zone !== 'Z') {
      const sign = zone![0] === '-' ? -1 : 1;
      ms -= sign * (+zone!.slice(1, 3) * 60 + +zone!.slice(4, 6)) * 60_000;
    }
    return { realtime: ms * 1000 + +frac!.padEnd(6, '0'), host: host!, ident: ident!, pid: pid!, message: msg!, line };
  }
  m = CLASSIC.exec(line);
  if (!m) throw new Error(`not a syslog line: ${line}`);
  const [, mon, d, h, mi, s, host, ident, pid, msg] = m as unknown as string[];
  const ms = Date.UTC(year, MONTHS.indexOf(mon!), +d!.trim(), +h!, +mi!, +s!);
  return { realtime: ms * 1000, host: host!, ident: ident!, pid: pid!, message: msg!, line };
}

export function fixtureLines(name: string): string[] {
  return readFileSync(join('fixtures/logs', name), 'latin1').split('\n').filter((l) => l.length > 0);
}

export interface BuildOptions {
  /** Added to every time (to make a later copy of the same lines). */
  shiftUs?: number;
  /** One non-Postfix entry (sshd, CRON, a `postfixadmin` look-alike) after every `noiseEvery` lines; 0: none. */
  noiseEvery?: number;
}

/** The lines as entries, times made strictly increasing (as journald's are per file, and so that no two entries tie). */
export function entriesFromLines(lines: readonly string[], o: BuildOptions = {}): Entry[] {
  const out: Entry[] = [];
  let last = -1;
  const at = (t: number): number => (last = Math.max(t + (o.shiftUs ?? 0), last + 1));
  lines.forEach((line, i) => {
    const p = parseLine(line);
    out.push({ ...p, realtime: at(p.realtime), message: Buffer.from(p.message, 'latin1') });
    if (o.noiseEvery && i % o.noiseEvery === 0) out.push(noise(i, at(p.realtime)));
  });
  return out;
}

const NOISE: ReadonlyArray<[string, (i: number) => string]> = [
  ['sshd', (i) => `Accepted publickey for admin from 192.0.2.${i % 250} port ${40000 + i} ssh2`],
  ['CRON', (i) => `(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1) #${i}`],
  // prefixes that must not be taken for Postfix's
  ['postfixadmin', (i) => `login ok ${i}`],
  ['postfix_exporter', (i) => `scrape ${i}`],
];

function noise(i: number, realtime: number): Entry {
  const [ident, msg] = NOISE[i % NOISE.length]!;
  return { realtime, host: 'mx1', ident, pid: String(900 + (i % 50)), message: Buffer.from(msg(i)) };
}

/** Postfix's identifiers: `postfix`, `postfix/...`, `postfix-...` (the source's default selection). */
export function isPostfix(ident: string, names: readonly string[] = []): boolean {
  return ['postfix', ...names].some((n) => ident === n || ident.startsWith(`${n}/`)) || ident.startsWith('postfix-');
}

export interface Boot {
  id: string;
  /** µs: __MONOTONIC_TIMESTAMP is realtime minus this, so it grows with realtime within the boot. */
  startUs: number;
}

export function boot(n: number, startUs: number): Boot {
  return { id: n.toString(16).padStart(32, '0'), startUs };
}

/** Entries in journal export format, as journald would have received them over /dev/log. */
export function exportFormat(entries: readonly Entry[], b: Boot): Buffer {
  const parts: Buffer[] = [];
  const text = (k: string, v: string): void => void parts.push(Buffer.from(`${k}=${v}\n`));
  for (const e of entries) {
    text('__REALTIME_TIMESTAMP', String(e.realtime));
    text('__MONOTONIC_TIMESTAMP', String(e.realtime - b.startUs));
    text('_BOOT_ID', b.id);
    text('_HOSTNAME', e.host);
    text('_TRANSPORT', 'syslog');
    text('PRIORITY', '6');
    text('SYSLOG_FACILITY', '2');
    text('SYSLOG_IDENTIFIER', e.ident);
    text('SYSLOG_PID', e.pid);
    text('_PID', e.pid);
    field(parts, 'MESSAGE', e.message);
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** A value with a newline or bytes that are not UTF-8 goes in the binary form. */
export function field(parts: Buffer[], name: string, v: Buffer): void {
  if (!v.includes(0x0a) && Buffer.from(v.toString('utf8')).equals(v)) {
    parts.push(Buffer.from(`${name}=`), v, Buffer.from('\n'));
    return;
  }
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(v.length));
  parts.push(Buffer.from(`${name}\n`), len, v, Buffer.from('\n'));
}

/** Writes the entries to a new journal file with systemd-journal-remote; throws unless all were written. */
export function writeJournal(file: string, entries: readonly Entry[], b: Boot): void {
  const r = spawnSync(JOURNAL_REMOTE!, ['-o', file, '-'], { input: exportFormat(entries, b), maxBuffer: 1 << 26 });
  const stderr = r.stderr.toString();
  if (r.status !== 0 || !stderr.includes(`writing ${entries.length} entries`)) {
    throw new Error(`systemd-journal-remote: exit ${r.status}: ${stderr}`);
  }
}

/** journalctl's own view of a file or directory: every entry's cursor, oldest first. */
export function cursors(target: { file: string } | { dir: string }): string[] {
  const where = 'file' in target ? `--file=${target.file}` : `--directory=${target.dir}`;
  const r = spawnSync('journalctl', [where, '--merge', '--output=json', '--output-fields=MESSAGE', '--no-pager'], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout
    .toString()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { __CURSOR: string }).__CURSOR);
}
