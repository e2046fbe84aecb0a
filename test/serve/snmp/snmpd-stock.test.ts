// Debian's stock snmpd.conf, exactly as the snmpd package ships it, with the shipped
// snmp-helper/examples/postfix-stats.snmpd.conf dropped into its includeDir: the stock file gives
// community public the view "systemonly" (system and hrSystem) only, so the counters are reachable
// only through the snippet's view lines. Each case runs a real snmpd on a copy of the stock file
// whose includeDir points at a temp directory and whose agentaddress (port 161) is commented out,
// with Debian's snmpd.service options, the AgentX master socket moved to a temp path (-x), and a
// loopback port on the command line. The same mechanisms without the snippet's view lines must get
// noSuchObject and "No more variables left in this MIB View": the view lines make the difference.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE } from '../../../src/serve/snmp/table.js';
import { Daemon, runOnce } from '../../helpers/daemon.js';
import { example } from './helpers/examples.js';
import { extOutput, extendOutput } from './helpers/oids.js';
import { expectedWalk } from './helpers/walk.js';
import { Snmpd, freePort, type Varbind } from './helpers/snmpd.js';

const SNIPPET = 'postfix-stats.snmpd.conf';
/** The stock file; PFS_SNMPD_CONF may name a pristine copy extracted from the .deb instead. */
const STOCK = process.env.PFS_SNMPD_CONF ?? '/etc/snmp/snmpd.conf';
const INCLUDE = 'includeDir /etc/snmp/snmpd.conf.d';
/** From Debian's snmpd.service: ExecStart=/usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f */
const DEBIAN_OPTS = ['-I', '-smux,mteTrigger,mteTriggerConf'];
const T = `${DEFAULT_BASE}.1`;
const NO_VIEW_GET = 'No Such Object available on this agent at this OID';
const NO_VIEW_WALK = 'No more variables left in this MIB View (It is past the end of the MIB tree)';

const want = (JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>)[
  'rfc3339.log'
]!;

/** Why the stock file cannot be used, or null: it must be the snmpd package's conffile, unmodified. */
function whyNoStock(): string | null {
  const q = spawnSync('dpkg-query', ['-W', '-f=${Conffiles}', 'snmpd'], { encoding: 'utf8' });
  if (q.error || q.status !== 0) return 'package snmpd is not installed (dpkg-query -W snmpd failed)';
  const md5 = /^ \/etc\/snmp\/snmpd\.conf ([0-9a-f]{32})/m.exec(q.stdout)?.[1];
  if (!md5) return 'dpkg lists no conffile /etc/snmp/snmpd.conf for snmpd';
  if (!existsSync(STOCK)) return `${STOCK} is missing`;
  const got = createHash('md5').update(readFileSync(STOCK)).digest('hex');
  if (got !== md5) {
    return `${STOCK} is not the stock file (md5 ${got}, the package's ${md5}); extract it with "apt-get download snmpd && dpkg-deb -x snmpd_*.deb DIR" and set PFS_SNMPD_CONF=DIR/etc/snmp/snmpd.conf`;
  }
  return null;
}

const noStock = whyNoStock();
if (noStock) console.warn(`snmpd-stock: SKIPPING: ${noStock}`);

/**
 * The shipped snippet, paths swapped for the test's, with its commented-out `#KEYWORD ...` lines
 * for each of `uncomment` enabled, and without its view lines if `views` is false.
 */
function snippet(o: { db: string; uncomment: readonly string[]; views?: boolean; agentxPort?: number }): string {
  const seen = new Set<string>();
  const lines = example('postfix-stats.snmpd.conf', { db: o.db, ...(o.agentxPort === undefined ? {} : { agentxPort: o.agentxPort }) })
    .split('\n')
    .flatMap((l) => {
      const m = /^#(\w+)\s/.exec(l);
      if (m && o.uncomment.includes(m[1]!)) {
        seen.add(m[1]!);
        return [l.slice(1)];
      }
      return o.views === false && l.startsWith('view ') ? [] : [l];
    });
  for (const k of o.uncomment) if (!seen.has(k)) throw new Error(`${SNIPPET} has no commented-out "${k}" line`);
  return lines.join('\n');
}

/** The `exec`/`extend` lines of a snippet: the name and the key (the helper's last argument). */
function commands(text: string, keyword: 'exec' | 'extend'): { name: string; key: string }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${keyword} `))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { name: f[1]!, key: f[f.length - 1]! };
    });
}

let dir: string;
let db: string;
/** The walk of the table that pass_persist and AgentX must return, from the store. */
let table: Varbind[];
const snmpds: Snmpd[] = [];
let daemon: Daemon | undefined;


/**
 * What snmpwalk prints for the table in the widened view: every row, then endOfMibView at the last
 * cell, since nothing after .1.3.6.1.4.1.99999.1 is in the view (with a wider view the walk just
 * leaves the subtree, as in snmpd-table.test.ts). Pollers treat both as the end of the table.
 */
function walkInView(): Varbind[] {
  expect(table.length).toBeGreaterThan(0);
  return [...table, { oid: table[table.length - 1]!.oid, type: NO_VIEW_WALK, value: '' }];
}

/** snmpd on a copy of the stock file whose includeDir holds `snip` (none if null). */
async function stockSnmpd(snip: string | null, args: readonly string[] = []): Promise<Snmpd> {
  const d = mkdtempSync(join(tmpdir(), 'pfs-snmpd-stock-'));
  chmodSync(d, 0o755); // snmpd may run as Debian-snmp (-u): it must reach its persistent dir
  const confD = join(d, 'snmpd.conf.d');
  mkdirSync(confD);
  // Two lines changed. snmpd 5.9 listens on the command line's address AND on agentaddress, so the
  // stock "agentaddress 127.0.0.1,[::1]" (port 161) goes, leaving the test's port only.
  const stock = readFileSync(STOCK, 'utf8').split('\n');
  expect(stock.filter((l) => l === INCLUDE)).toHaveLength(1);
  expect(stock.filter((l) => /^agentaddress\s/.test(l))).toHaveLength(1);
  const copy = stock.map((l) => (l === INCLUDE ? `includeDir ${confD}` : /^agentaddress\s/.test(l) ? `#${l}` : l));
  writeFileSync(join(d, 'snmpd.conf'), copy.join('\n'));
  if (snip !== null) writeFileSync(join(confD, 'postfix-stats.conf'), snip);
  const s = await Snmpd.startConf(join(d, 'snmpd.conf'), {
    dir: d,
    args: [...DEBIAN_OPTS, '-x', `unix:${join(d, 'agentx-master')}`, ...args],
  });
  snmpds.push(s);
  return s;
}

beforeAll(() => {
  if (noStock) return;
  dir = mkdtempSync(join(tmpdir(), 'pfs-snmp-stock-'));
  db = join(dir, 'db');
  const r = runOnce('fixtures/logs/rfc3339.log', db);
  expect(r.code, r.stderr).toBe(0);
  table = expectedWalk(db);
});

afterAll(async () => {
  await daemon?.stop();
  for (const s of snmpds) await s.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(noStock !== null)(`Debian's stock snmpd.conf and snmp-helper/examples/${SNIPPET}`, () => {
  it('the stock file gives community public the view systemonly only, and reads /etc/snmp/snmpd.conf.d', () => {
    const lines = readFileSync(STOCK, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/).join(' '));
    expect(lines).toContain('rocommunity public default -V systemonly');
    expect(lines).toContain(INCLUDE);
    expect(lines.filter((l) => l.startsWith('view '))).toEqual([
      'view systemonly included .1.3.6.1.2.1.1',
      'view systemonly included .1.3.6.1.2.1.25.1',
    ]);
  });

  describe('with the snippet, its exec, extend and pass_persist lines uncommented', () => {
    const mechanisms = ['exec', 'extend', 'pass_persist'];
    let snmpd: Snmpd;
    let text: string;
    beforeAll(async () => {
      text = snippet({ db, uncomment: mechanisms });
      snmpd = await stockSnmpd(text);
    });

    it('exec: extOutput.N of each exec line is its key\'s count in the fixture', async () => {
      const execs = commands(text, 'exec');
      expect(execs.length).toBeGreaterThan(0);
      const got = await snmpd.get(execs.map((_, i) => extOutput(i + 1)));
      expect(got.map((v) => [v.type, v.value])).toEqual(execs.map((e) => ['STRING', String(want[e.key] ?? 0)]));
    });

    it('extend: nsExtendOutput1Line."NAME" of each extend line is its key\'s count in the fixture', async () => {
      const extends_ = commands(text, 'extend');
      expect(extends_.length).toBeGreaterThan(0);
      const got = await snmpd.get(extends_.map((e) => extendOutput(e.name)));
      expect(got.map((v) => [v.type, v.value])).toEqual(extends_.map((e) => ['STRING', String(want[e.key] ?? 0)]));
    });

    it('pass_persist: snmpwalk of the table returns every row typed, equal to the store, then the view\'s end', async () => {
      expect(await snmpd.walk(DEFAULT_BASE)).toEqual(walkInView());
    });
  });

  describe('the same lines without the snippet\'s view lines', () => {
    let snmpd: Snmpd;
    let text: string;
    beforeAll(async () => {
      text = snippet({ db, uncomment: ['exec', 'extend', 'pass_persist'], views: false });
      expect(text).not.toMatch(/^view /m);
      snmpd = await stockSnmpd(text);
    });

    it('snmpget of extOutput, nsExtendOutput1Line and a table cell answers noSuchObject', async () => {
      const oids = [extOutput(1), extendOutput(commands(text, 'extend')[0]!.name), `${T}.3.1`];
      expect((await snmpd.get(oids)).map((v) => v.type)).toEqual(oids.map(() => NO_VIEW_GET));
    });

    it('snmpwalk of each subtree answers "No more variables left in this MIB View"', async () => {
      for (const oid of ['.1.3.6.1.4.1.2021.8', '.1.3.6.1.4.1.8072.1.3', DEFAULT_BASE]) {
        expect(await snmpd.walk(oid)).toEqual([{ oid, type: NO_VIEW_WALK, value: '' }]);
      }
    });
  });

  it('with the snippet\'s agentXSocket line uncommented, postfix-statsd --agentx serves the table through the stock "master agentx"', async () => {
    const agentxPort = await freePort('tcp');
    const text = snippet({ db, uncomment: ['agentXSocket'], agentxPort });
    expect(text).toMatch(new RegExp(`^agentXSocket tcp:127\\.0\\.0\\.1:${agentxPort}$`, 'm'));
    const snmpd = await stockSnmpd(text);
    daemon = new Daemon('fixtures/logs/rfc3339.log', db, ['--agentx', `tcp:127.0.0.1:${agentxPort}`, '--log-level', 'warn']);
    const end = Date.now() + 20_000;
    for (;;) {
      const [v] = await snmpd.get([`${T}.2.1`], { timeout: 1 }).catch(() => [undefined]);
      if (v?.type === 'STRING') break;
      if (Date.now() > end) throw new Error(`the table never answered through AgentX (subagent not registered, or outside the view):\n${daemon.output}\n${snmpd.log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await snmpd.walk(DEFAULT_BASE)).toEqual(walkInView());
    await daemon.stop();
    daemon = undefined;
  });

  // The permission model of systemd/INSTALL.md: only the daemon opens LMDB (data.mdb, lock.mdb 0600);
  // snmpd's user reads the snapshot the daemon publishes (0644) and belongs to no extra group.
  it('as Debian-snmp (snmpd.service\'s -u/-g, no extra group), extend and pass_persist read the 0644 snapshot beside 0600 LMDB files', async (ctx) => {
    const pw = spawnSync('id', ['-u', 'Debian-snmp'], { encoding: 'utf8' });
    if (pw.status !== 0 || process.getuid?.() !== 0) ctx.skip('needs root and the user Debian-snmp');
    expect(existsSync(join(db, 'snapshot')), 'the daemon publishes its snapshot').toBe(true);
    const uid = Number(pw.stdout.trim());
    const gid = Number(execFileSync('id', ['-g', 'Debian-snmp'], { encoding: 'utf8' }).trim());
    expect(execFileSync('id', ['-G', 'Debian-snmp'], { encoding: 'utf8' }).trim(), 'Debian-snmp in its own group only').toBe(String(gid));

    // A copy of the database laid out as the unit leaves it: directory 0755, LMDB files 0600.
    const state = mkdtempSync(join(tmpdir(), 'pfs-snmp-stock-priv-'));
    try {
      chmodSync(state, 0o755);
      const r = runOnce('fixtures/logs/rfc3339.log', join(state, 'db'));
      expect(r.code, r.stderr).toBe(0);
      const sdb = join(state, 'db');
      chmodSync(sdb, 0o755);
      for (const f of readdirSync(sdb)) if (f.endsWith('.mdb')) chmodSync(join(sdb, f), 0o600);
      expect((statSync(join(sdb, 'snapshot')).mode & 0o777).toString(8)).toBe('644');

      const text = snippet({ db: sdb, uncomment: ['extend', 'pass_persist'] });
      const snmpd = await stockSnmpd(text, ['-u', 'Debian-snmp', '-g', 'Debian-snmp']);
      chownSync(join(snmpd.dir, 'persist'), uid, gid);
      const e = commands(text, 'extend')[0]!;
      expect((await snmpd.get([extendOutput(e.name)]))[0]).toMatchObject({ type: 'STRING', value: String(want[e.key] ?? 0) });
      expect(await snmpd.walk(DEFAULT_BASE)).toEqual(walkInView());
      // The pass_persist helper is snmpd's child, running as Debian-snmp.
      const uids = snmpd.children().map((pid) => /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      expect(uids).toContain(String(uid));
      expect(uids.filter((u) => u !== String(uid))).toEqual([]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
