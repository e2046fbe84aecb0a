// POSTFIX-STATS-MIB: Debian's snmptranslate loads it without a single complaint, its OIDs are the
// ones the helper serves, and snmpwalk shows its names for a live table.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE } from '../../../src/serve/snmp/table.js';
import { runOnce } from '../../helpers/daemon.js';
import { exampleLines } from './helpers/examples.js';
import { Snmpd } from './helpers/snmpd.js';

// SNMPv2-SMI, -TC and -CONF: Debian ships them only in non-free snmp-mibs-downloader; the net-snmp
// npm package carries copies.
const DIRS = 'snmp-helper:node_modules/net-snmp/lib/mibs';
const strict = (args: string[]) =>
  spawnSync('snmptranslate', ['-M', DIRS, '-m', 'POSTFIX-STATS-MIB', ...args], { encoding: 'utf8', env: { ...process.env, MIBS: '', MIBDIRS: '' } });

let snmpd: Snmpd | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await snmpd?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('POSTFIX-STATS-MIB', () => {
  it('loads with no error or warning, alone with only the SMI modules it imports', () => {
    const r = strict(['-On', 'POSTFIX-STATS-MIB::pfsCounterTable']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(DEFAULT_BASE);
  });

  it('loads added to the default MIBs the way the README says (-m +MIB -M +DIR), with no complaint about it', () => {
    const r = spawnSync('snmptranslate', ['-m', '+POSTFIX-STATS-MIB', '-M', `+${DIRS}`, '-On', 'POSTFIX-STATS-MIB::pfsCounterValue'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`${DEFAULT_BASE}.1.3`);
    // Debian's stock MIB set is incomplete without snmp-mibs-downloader and says so; none of it may be ours.
    expect(r.stderr).not.toMatch(/POSTFIX-STATS-MIB|pfs[A-Z]/);
  });

  it('declares the columns with the types the helper serves', () => {
    const r = strict(['-Td', 'POSTFIX-STATS-MIB::pfsCounterValue', 'POSTFIX-STATS-MIB::pfsCounterValue32', 'POSTFIX-STATS-MIB::pfsCounterHost', 'POSTFIX-STATS-MIB::pfsCounterInstance']);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/SYNTAX\s+Counter64/);
    expect(out).toMatch(/SYNTAX\s+Counter32/);
    // A total's host is the empty string, so the size must allow 0; a host name is 63 bytes at most.
    expect(out).toMatch(/SYNTAX\s+OCTET STRING \(0\.\.63\)/);
    // an instance is `postfix` and up to 32 more bytes (key.ts), empty for a total
    expect(out).toMatch(/SYNTAX\s+OCTET STRING \(0\.\.39\)/);
    const names = ['pfsCounterIndex', 'pfsCounterName', 'pfsCounterValue', 'pfsCounterValue32', 'pfsCounterHost', 'pfsCounterInstance'];
    expect(names.map((n) => strict(['-On', `POSTFIX-STATS-MIB::${n}`]).stdout.trim())).toEqual([1, 2, 3, 4, 5, 6].map((c) => `${DEFAULT_BASE}.1.${c}`));
  });

  it('gives snmpwalk its names for the live table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfs-mib-'));
    dirs.push(dir);
    const db = join(dir, 'db');
    expect(runOnce('fixtures/logs/rfc3339.log', db).code).toBe(0);
    snmpd = await Snmpd.start(exampleLines('snmpd.pass_persist.conf', { db }));
    // not execFileSync: blocked, this process stops reading snmpd's log pipe, and snmpd, logging
    // a line per request, stops answering once the pipe is full (a walk of about 170 cells)
    const { stdout: out } = await promisify(execFile)('snmpwalk', ['-v2c', '-c', 'public', '-M', DIRS, '-m', 'POSTFIX-STATS-MIB', `127.0.0.1:${snmpd.port}`, 'POSTFIX-STATS-MIB::pfsCounterTable'], {
      encoding: 'utf8',
      env: { ...process.env, MIBS: '', MIBDIRS: '' },
    });
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterName\.\d+ = STRING: recv:smtp$/m);
    // recv:smtp and sent:smtp of the fixture (expected.json)
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterValue\.\d+ = Counter64: 200$/m);
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterValue32\.\d+ = Counter32: 278$/m);
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterHost\.\d+ = STRING: $/m);
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterName\.\d+ = STRING: postfix-out\/recv:smtp$/m);
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterInstance\.\d+ = STRING: postfix-out$/m);
    expect(out).toMatch(/^POSTFIX-STATS-MIB::pfsCounterInstance\.\d+ = STRING: $/m);
  });
});
