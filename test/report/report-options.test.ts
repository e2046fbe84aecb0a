import { describe, it, expect } from 'vitest';
import { DEFAULT_DB, USAGE, parseReportArgs, type ReportOptions } from '../../src/report/report-options.js';

const now = Date.UTC(2026, 10, 30, 0, 10); // 01:10 on 2026-11-30 in Berlin
const env = { now, tz: 'Europe/Berlin' };

function ok(argv: string[]): ReportOptions {
  const r = parseReportArgs(argv, env);
  if (!r.ok) throw new Error(r.info === 'error' ? r.error : r.info);
  return r.options;
}
function error(argv: string[]): string {
  const r = parseReportArgs(argv, env);
  if (r.ok || r.info !== 'error') throw new Error(`accepted: ${argv.join(' ')}`);
  return r.error;
}

describe('postfix-stats-report options', () => {
  it('no arguments: the store in the default directory, today in the local zone, every row, text', () => {
    const o = ok([]);
    expect(o.input).toEqual({ kind: 'store', db: DEFAULT_DB });
    expect(o.period?.label).toBe('2026-11-30');
    expect(o.tz).toBe('Europe/Berlin');
    expect([o.hostLimit, o.userLimit, o.html, o.mail]).toEqual([-1, -1, false, undefined]);
  });

  it('a log piped or redirected in, with neither FILE nor --db: standard input; --db or FILE still win', () => {
    for (const stdin of ['pipe', 'file'] as const) {
      const r = parseReportArgs(['-d', 'yesterday'], { ...env, stdin });
      expect(r.ok && r.options.input).toEqual({ kind: 'log', files: ['-'], implicit: stdin });
      expect(r.ok && r.options.period?.label).toBe('2026-11-29');
      const db = parseReportArgs(['--db', '/x'], { ...env, stdin });
      expect(db.ok && db.options.input).toEqual({ kind: 'store', db: '/x' });
      const file = parseReportArgs(['mail.log'], { ...env, stdin });
      expect(file.ok && file.options.input).toEqual({ kind: 'log', files: ['mail.log'] });
    }
    // a terminal or /dev/null (the timer unit's stdin): the history
    expect(ok([]).input).toEqual({ kind: 'store', db: DEFAULT_DB });
  });

  it('pflogsumm\'s cron line: -d yesterday is --day yesterday', () => {
    expect(ok(['-d', 'yesterday', 'mail.log']).period).toEqual(ok(['--day', 'yesterday', 'mail.log']).period);
    expect(ok(['-d', 'today', 'mail.log']).period?.label).toBe('2026-11-30');
  });

  it('pflogsumm\'s layout flags: --detail sets every limit not given on its own, -h and -u too', () => {
    const o = ok(['--detail', '3', '--bounce-detail', '0', '-u', '7', '-q', '--problems-first', '--iso-date-time', 'mail.log']);
    expect(o.layout).toEqual({ detail: { deferral: 3, bounce: 0, reject: 3, smtp: 3, warning: 3 }, quiet: true, problemsFirst: true, isoDates: true });
    expect([o.hostLimit, o.userLimit]).toEqual([3, 7]);
    const plain = ok(['mail.log']);
    expect(plain.layout).toEqual({ detail: { deferral: -1, bounce: -1, reject: -1, smtp: -1, warning: -1 }, quiet: false, problemsFirst: false, isoDates: false });
    // pflogsumm's underscores and its deprecated --no-*-detail spellings
    expect(ok(['--problems_first', '--no_reject_detail', '--no-smtpd-warnings', '--reject_detail=5', 'mail.log']).layout).toMatchObject({ problemsFirst: true, detail: { reject: 0, warning: 0 } });
    // taken as they are: what they ask for is what the report always does
    expect(ok(['-i', '--ignore-case', '--zero-fill', '--no-no-msg-size', '--syslog-name=postfix', 'mail.log']).layout).toEqual(plain.layout);
    // after --, an operand is a file even when it looks like an option
    expect(ok(['--', '--no_such_file']).input).toEqual({ kind: 'log', files: ['--no_such_file'] });
    // pflogsumm's Getopt::Long also takes its long options after one dash
    const oneDash = ok(['-detail', '2', '-problems_first', '-iso-date-time', '-smtp-detail', '0', 'mail.log']);
    expect(oneDash.layout).toMatchObject({ problemsFirst: true, isoDates: true, detail: { deferral: 2, smtp: 0 } });
    expect(oneDash.hostLimit).toBe(2);
    expect(parseReportArgs(['-help'], env)).toEqual({ ok: false, info: 'help' });
  });

  it('pflogsumm\'s flags for data the daemon does not keep are refused by name, not ignored', () => {
    for (const [args, message] of [
      [['-e'], /-e \(per-message detail\)/],
      [['--verbose-msg-detail'], /--verbose-msg-detail/],
      [['--mailq'], /--mailq/],
      [['--smtpd-stats'], /--smtpd-stats/],
      [['-m'], /uucp-mung/],
      [['--verp-mung'], /--verp-mung/],
      [['--verp_mung=2'], /--verp-mung/],
      [['--rej-add-from'], /--rej-add-from/],
      [['--syslog-name=postfix-out'], /--syslog-name "postfix-out": not supported/],
      [['--detail', 'all'], /--detail needs a count/],
      [['--smtp-detail', '-1'], /--smtp-detail|argument/],
    ] as const) expect(error([...args, 'mail.log'])).toMatch(message);
  });

  it('the systemd unit\'s line: --db, --day yesterday, --mail-to root', () => {
    const o = ok(['--db', '/var/lib/postfix-stats', '--day', 'yesterday', '--mail-to', 'root']);
    expect(o.period?.label).toBe('2026-11-29');
    expect(o.mail).toEqual({ to: 'root', from: undefined, subject: undefined });
  });

  it('files and - for stdin, with filters; no period means every line', () => {
    const o = ok(['--filter-relay', '127.0.0.1:10024', '--filter-relay', 'amavis', '--filter-service', 'reinject', 'mail.log', 'mail.log.1.gz', '-']);
    expect(o.input).toEqual({ kind: 'log', files: ['mail.log', 'mail.log.1.gz', '-'] });
    expect(o.period).toBeNull();
    expect(o.filterRelays).toEqual(['127.0.0.1:10024', 'amavis']);
    expect(o.filterServices).toEqual(['reinject']);
  });

  it('-h N and -u N as pflogsumm, 0 allowed; --html; --tz; --from/--to', () => {
    const o = ok(['-h', '5', '-u', '0', '--html', '--tz', 'UTC', '--from', '2026-11-01', '--to', '2026-11-30', 'x.log']);
    expect([o.hostLimit, o.userLimit, o.html, o.tz]).toEqual([5, 0, true, 'UTC']);
    expect(o.period?.label).toBe('2026-11-01 00:00 to 2026-12-01 00:00');
  });

  it('--help and --version; -h is pflogsumm\'s host count, not help', () => {
    expect(parseReportArgs(['--help'], env)).toEqual({ ok: false, info: 'help' });
    expect(parseReportArgs(['--version'], env)).toEqual({ ok: false, info: 'version' });
    expect(error(['-h'])).toMatch(/argument missing|-h/);
    expect(USAGE).toMatch(/Exit codes: 0 ok, 64 bad usage, 65 no line of the input in a form this reads .*66 no input .*74 damaged/s);
  });

  it('refuses: --db with files, unknown options, bad counts, a bad zone, bad or clashing periods', () => {
    expect(error(['--db', '/x', 'mail.log'])).toMatch(/--db and log files/);
    expect(error(['--frobnicate'])).toMatch(/Unknown option/);
    expect(error(['-h', 'ten'])).toMatch(/-h needs a count/);
    expect(error(['-u', '-1'])).toMatch(/-u|argument/);
    expect(error(['--tz', 'Mars/Olympus'])).toMatch(/--tz needs an IANA/);
    expect(error(['--day', '2026-13-01'])).toMatch(/--day/);
    expect(error(['--day', 'today', '--from', '2026-11-01'])).toMatch(/not both/);
    expect(error(['--to', '2026-11-01'])).toMatch(/--to needs --from/);
    expect(error(['-', '-'])).toMatch(/stdin/);
    expect(error(['--db', ''])).toMatch(/--db needs/);
  });

  it('refuses filters with --db: the daemon counted with its own', () => {
    expect(error(['--filter-relay', '127.0.0.1:10024'])).toMatch(/apply to log files/);
  });

  it('mail options: --mail-from and --subject need --mail-to; CR/LF refused before anything is read', () => {
    expect(error(['--subject', 'x'])).toMatch(/--subject needs --mail-to/);
    expect(error(['--mail-from', 'a@b'])).toMatch(/--mail-from needs --mail-to/);
    expect(error(['--mail-to', 'root\nBcc: x@y'])).toMatch(/--mail-to must not contain CR, LF/);
    expect(error(['--mail-to', 'root', '--subject', 'a\r\nBcc: x@y'])).toMatch(/--subject must not contain/);
    expect(error(['--mail-to', ' '])).toMatch(/--mail-to needs an address/);
  });
});
