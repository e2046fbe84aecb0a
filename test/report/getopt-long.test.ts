import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getoptArgv } from '../../src/report/getopt-long.js';
import { parseReportArgs, type ReportOptions } from '../../src/report/report-options.js';

const PFLOGSUMM = '/usr/sbin/pflogsumm';
const hasPflogsumm = spawnSync('perl', ['-e', '1']).status === 0 && spawnSync(PFLOGSUMM, ['--version']).status === 0;
const env = { now: Date.UTC(2026, 10, 30, 12), tz: 'UTC' };

const table = {
  day: { type: 'string', short: 'd' },
  detail: { type: 'string' },
  'deferral-detail': { type: 'string' },
  'problems-first': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'verp-mung': { type: 'boolean' },
  subject: { type: 'string' },
} as const;

describe('a command line read as Getopt::Long reads it', () => {
  it('one dash or two, any case, _ for -, =VALUE: all become parseArgs long options', () => {
    expect(getoptArgv(['-detail', '5', '--Problems_First', '-D=today', '--q', 'f.log'], table)).toEqual({
      ok: true, args: ['--detail=5', '--problems-first', '--day=today', '--quiet', 'f.log'],
    });
  });

  it('a unique prefix is its option; an exact letter or name wins over longer names it starts', () => {
    expect(getoptArgv(['--prob', '--det', '1', '-d', 'today'], table)).toEqual({ ok: true, args: ['--problems-first', '--detail=1', '--day=today'] });
    expect(getoptArgv(['--de', '1'], table)).toEqual({ ok: false, error: 'option --de is ambiguous: --detail, --deferral-detail' });
  });

  it('a string option takes the next argument as its value even when it looks like an option', () => {
    expect(getoptArgv(['--subject', '-Detail', '-d', '-q'], table)).toEqual({ ok: true, args: ['--subject=-Detail', '--day=-q'] });
  });

  it('what names no option, what follows --, a value attached to a letter and - pass unchanged', () => {
    const argv = ['-d2026-11-29', '-dtoday', '-', '--nope', '--', '--detail', '-q'];
    expect(getoptArgv(argv, table)).toEqual({ ok: true, args: argv });
  });

  it('an optional value (pflogsumm\'s --verp-mung[=N]) is dropped', () => {
    expect(getoptArgv(['--verp=2'], table, new Set(['verp-mung']))).toEqual({ ok: true, args: ['--verp-mung'] });
  });
});

/**
 * pflogsumm's own option table, read by Debian's perl Getopt::Long: per command line, the options
 * it sets (pflogsumm's keys) or `error`.
 */
function perlReads(argv: string[]): Record<string, string> | 'error' {
  const src = readFileSync(PFLOGSUMM, 'utf8');
  // its own first step too: `_` made `-` in every argument starting with `--`
  const underscores = /foreach \(@ARGV\) \{[\s\S]*?\n\}/.exec(src)![0];
  const spec = /GetOptions\(([\s\S]*?)\)\s*\|\|\s*die/.exec(src)![1]!;
  const script = `use Getopt::Long; my %opts; my $isoDateTime; $SIG{__WARN__} = sub {};
    ${underscores}
    GetOptions(${spec}) or do { print "error\\n"; exit 0 };
    $opts{iso} = $isoDateTime if $isoDateTime;
    for my $k (sort keys %opts) { print "$k=$opts{$k}\\n" if defined $opts{$k} }`;
  const r = spawnSync('perl', ['-e', script, '--', ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  if (r.stdout === 'error\n') return 'error';
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
}

/** The same settings as pflogsumm's keys, from this report's parse (refused flags are errors here, by design). */
function oursRead(argv: string[]): Record<string, string> | 'error' {
  const r = parseReportArgs([...argv, 'mail.log'], env);
  if (!r.ok) return 'error';
  const o: ReportOptions = r.options;
  const out: Record<string, string> = {};
  const limit = (k: string, n: number) => void (n !== -1 && (out[k] = String(n)));
  if (o.period !== null) out.d = o.period.label === '2026-11-30' ? 'today' : o.period.label === '2026-11-29' ? 'yesterday' : o.period.label;
  limit('h', o.hostLimit);
  limit('u', o.userLimit);
  limit('deferralDetail', o.layout.detail.deferral);
  limit('bounceDetail', o.layout.detail.bounce);
  limit('rejectDetail', o.layout.detail.reject);
  limit('smtpDetail', o.layout.detail.smtp);
  limit('smtpdWarnDetail', o.layout.detail.warning);
  if (o.layout.quiet) out.q = '1';
  if (o.layout.problemsFirst) out.pf = '1';
  if (o.layout.isoDates) out.iso = '1';
  return out;
}

/**
 * pflogsumm's keys as the report's settings: --detail fills every limit not given, --no-*-detail is
 * that limit's 0; flags the report takes as they are (-i, --zero-fill...) leave no trace.
 */
function asSettings(p: Record<string, string> | 'error'): Record<string, string> | 'error' {
  if (p === 'error') return p;
  const out: Record<string, string> = {};
  for (const k of ['d', 'q', 'pf', 'iso', 'h', 'u', 'deferralDetail', 'bounceDetail', 'rejectDetail', 'smtpDetail', 'smtpdWarnDetail']) {
    if (p[k] !== undefined) out[k] = p[k]!;
    else if (p.detail !== undefined && !['d', 'q', 'pf', 'iso'].includes(k)) out[k] = p.detail;
  }
  for (const [no, k] of [['noBounceDetail', 'bounceDetail'], ['noDeferralDetail', 'deferralDetail'], ['noRejectDetail', 'rejectDetail'], ['noSMTPDWarnings', 'smtpdWarnDetail']] as const) {
    if (p[no] !== undefined) out[k] = '0';
  }
  return out;
}

describe.skipIf(!hasPflogsumm)('pflogsumm\'s cron lines read as Debian\'s perl reads them with pflogsumm\'s own table', () => {
  const lines = [
    ['-d', 'yesterday'], ['-D', 'today'], ['-d=today'], ['--d=yesterday'], ['--h', '5', '-U', '3'], ['-h=4'],
    ['--iso'], ['-iso'], ['--prob', '-q'], ['-p'], ['-Q'], ['--det', '3'], ['-detail=2', '--bounce', '0'],
    ['--Detail', '1', '--smtp-detail', '0'], ['--smtpd-w', '2'], ['--no-b', '--no-rej'], ['--no_deferral_detail'],
    ['--zero', '-i', '--ignore'], ['--no-no'], ['--problems_first', '--iso_date_time'],
    ['--de', '1'], ['--ver'], ['-s', '1'], ['--detail', 'x'], ['-d'],
  ];
  for (const argv of lines) {
    it(argv.join(' '), () => {
      expect(oursRead(argv)).toEqual(asSettings(perlReads(argv)));
    });
  }

  it('flags pflogsumm reads but the report refuses are refused under their abbreviations too', () => {
    for (const argv of [['--verb'], ['--mailq'], ['--smtpd-s'], ['-e'], ['--uucp'], ['--verp=2'], ['--rej-add']]) {
      expect(perlReads(argv)).not.toBe('error');
      expect(parseReportArgs([...argv, 'mail.log'], env)).toMatchObject({ ok: false, info: 'error', error: expect.stringMatching(/^not supported: /) });
    }
  });
});
