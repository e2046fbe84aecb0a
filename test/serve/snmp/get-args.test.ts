// postfix-stats-get's command line: the seed-compatible forms keep their meaning and errors, and the
// snmpd modes parse the way snmpd invokes them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB, parseGetArgs } from '../../../src/serve/snmp/get-args.js';
import { formatOid } from '../../../src/serve/snmp/oid.js';
import { DEFAULT_BASE } from '../../../src/serve/snmp/table.js';

const ok = (argv: string[]) => {
  const p = parseGetArgs(argv);
  if (!p.ok) throw new Error(p.error);
  return p.command;
};
const err = (argv: string[]) => {
  const p = parseGetArgs(argv);
  return p.ok ? undefined : p.error;
};

describe('seed-compatible forms', () => {
  it('KEY and --list with the default or a given --db', () => {
    expect(ok(['sent:smtp'])).toEqual({ kind: 'get', db: DEFAULT_DB, view: {}, key: 'sent:smtp' });
    expect(ok(['--db', '/x', '--list'])).toEqual({ kind: 'list', db: '/x', view: {} });
    expect(ok(['--db=/y', 'held'])).toEqual({ kind: 'get', db: '/y', view: {}, key: 'held' });
  });

  it('--instance NAME, alone or with --host, in every mode; an instance key with it is refused', () => {
    expect(ok(['--instance', 'postfix-OUT', 'sent:smtp'])).toEqual({ kind: 'get', db: DEFAULT_DB, view: { instance: 'postfix-out' }, key: 'sent:smtp' });
    expect(ok(['--host', 'MX1', '--instance', 'postfix-out', '--list'])).toEqual({ kind: 'list', db: DEFAULT_DB, view: { host: 'mx1', instance: 'postfix-out' } });
    expect(ok(['--instance', 'postfix-out', '--pass-persist'])).toMatchObject({ kind: 'pass-persist', view: { instance: 'postfix-out' } });
    expect(ok(['--instance', 'postfix-out', '--mrtg', 'recv:smtp', 'sent:smtp'])).toMatchObject({ kind: 'mrtg', view: { instance: 'postfix-out' } });
    expect(ok(['postfix-out/sent:smtp@mx1'])).toMatchObject({ kind: 'get', key: 'postfix-out/sent:smtp@mx1' });
    expect(err(['--instance', 'postfix-out', 'postfix-out/sent:smtp'])).toBe('a key with INSTANCE/ and --instance at once');
    // the default instance has no counters of its own: the plain keys are the totals
    expect(err(['--instance', 'postfix', '--list'])).toMatch(/--instance needs/);
    expect(err(['--instance', 'out', '--list'])).toMatch(/--instance needs/);
    expect(err(['--instance'])).toMatch(/--instance needs/);
  });

  it('keeps its errors', () => {
    expect(err([])).toBe('a key or --list is needed');
    expect(err(['a', 'b'])).toBe('one key at a time');
    expect(err(['--list', 'a'])).toBe('--list takes no key');
    expect(err(['Sent:SMTP'])).toBe('malformed key "Sent:SMTP"');
    expect(err(['--db'])).toBe('--db needs a directory');
    expect(err(['-x'])).toBe('unknown option -x');
  });
});

describe('snmpd modes', () => {
  it('pass: -g, -n, and -s with its TYPE VALUE, after options from snmpd.conf', () => {
    expect(ok(['--db', '/d', '-g', '.1.3.6.1.4.1.99999.1.1.1.3.1'])).toMatchObject({ kind: 'pass', op: 'get', db: '/d', oid: [1, 3, 6, 1, 4, 1, 99999, 1, 1, 1, 3, 1] });
    expect(ok(['-n', '.1.3'])).toMatchObject({ kind: 'pass', op: 'getnext', oid: [1, 3] });
    expect(ok(['-s', '.1.3', 'integer', '5'])).toMatchObject({ kind: 'pass', op: 'set', oid: [1, 3] });
  });

  it('the default base is pfsCounterTable and --base-oid moves it', () => {
    expect(formatOid((ok(['--pass-persist']) as { base: number[] }).base)).toBe(DEFAULT_BASE);
    expect(ok(['--base-oid', '.1.3.6.1.4.1.8072.9999.9999', '--pass-persist'])).toMatchObject({ base: [1, 3, 6, 1, 4, 1, 8072, 9999, 9999] });
    expect(err(['--base-oid', '1..2', '--pass-persist'])).toMatch(/malformed --base-oid/);
  });

  it('--mrtg takes two well-formed keys', () => {
    expect(ok(['--mrtg', 'recv:smtp', 'sent:smtp'])).toMatchObject({ kind: 'mrtg', inKey: 'recv:smtp', outKey: 'sent:smtp' });
    expect(err(['--mrtg', 'recv:smtp'])).toMatch(/needs IN_KEY and OUT_KEY/);
    expect(err(['--mrtg', 'recv:smtp', 'BAD'])).toBe('malformed key "BAD"');
  });

  it('refuses two modes at once, a stray key, and a malformed pass OID', () => {
    expect(err(['--list', '--pass-persist'])).toMatch(/choose one/);
    expect(err(['-g', '.1.3', 'sent:smtp'])).toMatch(/unexpected argument/);
    expect(err(['-g', '.1.x'])).toMatch(/malformed OID/);
    expect(err(['-g'])).toMatch(/needs an OID/);
  });
});
