// journalctl's command line per scope, and which identifiers are Postfix's.
import { describe, expect, it } from 'vitest';
import { journalctlArgs } from '../../../src/source/journal/args.js';
import { IdentifierFilter } from '../../../src/source/journal/select.js';

const COMMON = ['--output=export', '--output-fields=_HOSTNAME,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,MESSAGE', '--merge', '--no-pager', '--no-tail'];

describe('journalctl arguments', () => {
  it('the system journal: merged (so --follow does not imply --boot), matched to this machine', () => {
    expect(journalctlArgs({ mode: 'system' }, { follow: true, cursor: 's=1;i=2', machineId: 'a'.repeat(32) })).toEqual([
      ...COMMON,
      '--follow',
      '--cursor=s=1;i=2',
      `_MACHINE_ID=${'a'.repeat(32)}`,
    ]);
  });

  it('one directory is -D, absolute; several are their files; files are absolute --file options', () => {
    expect(journalctlArgs({ dirs: ['/j'] }, { follow: false, cursor: null })).toEqual([...COMMON, '--directory=/j']);
    expect(journalctlArgs({ dirs: ['rel'] }, { follow: false, cursor: null }).at(-1)).toBe(`--directory=${process.cwd()}/rel`);
    expect(journalctlArgs({ dirs: ['/a', '/b'] }, { follow: true, cursor: null }, ['/a/x.journal', '/b/y.journal']).slice(COMMON.length)).toEqual([
      '--follow',
      '--file=/a/x.journal',
      '--file=/b/y.journal',
    ]);
    expect(journalctlArgs({ files: ['x.journal'] }, { follow: false, cursor: null }).at(-1)).toBe(`--file=${process.cwd()}/x.journal`);
  });
});

describe('Postfix identifier selection', () => {
  const f = new IdentifierFilter(['mx-out']);
  const is = (s: string): boolean => f.matches(Buffer.from(`..${s}..`), 2, 2 + Buffer.byteLength(s));
  it.each([
    ['postfix', true],
    ['postfix/smtpd', true],
    ['postfix/submission/smtpd', true],
    ['postfix-out/smtp', true],
    ['postfix-script', true],
    ['mx-out', true],
    ['mx-out/smtp', true],
    ['mx-outer/smtp', false],
    ['postfixadmin', false],
    ['postfix_exporter', false],
    ['Postfix/smtpd', false],
    ['sshd', false],
    ['', false],
  ])('%s: %s', (ident, want) => expect(is(ident)).toBe(want));
});
