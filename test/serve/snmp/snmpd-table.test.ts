// The typed counter table through a real snmpd, by every mechanism, each configured from the shipped
// example: pass, pass_persist (helper processes) and AgentX (the daemon). All must return the same
// values as the snapshot, typed Counter64 and Counter32, including a counter above 2^32 written with the
// Store class; unknown OIDs must be exceptions, never values.
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE } from '../../../src/serve/snmp/table.js';
import { publish } from '../../../src/snapshot/publish.js';
import { Daemon, runOnce, setCounters, waitFor } from '../../helpers/daemon.js';
import { exampleLines } from './helpers/examples.js';
import { expectedWalk, snapshotRows } from './helpers/walk.js';
import { Snmpd, freePort, type Varbind } from './helpers/snmpd.js';

const BIG = 2n ** 40n + 7n;
const T = `${DEFAULT_BASE}.1`;

let dir: string;
let db: string;
/** The walk every mechanism must return, computed from the store. */
let want: Varbind[];
const snmpds: Snmpd[] = [];
let daemon: Daemon | undefined;
let agentxPort = 0;

/** A snapshot with one counter, recv:smtp at index 1, as commit `seq` of a daemon. */
const snap = (seq: number, value: bigint) => ({ seq, time: Date.now(), rows: [{ key: 'recv:smtp', index: 1, value }] });



function indexOf(key: string): number {
  return snapshotRows(db).find((row) => row.key === key)!.index;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pfs-snmp-table-'));
  db = join(dir, 'db');
  const r = runOnce('fixtures/logs/rfc3339.log', db);
  expect(r.code, r.stderr).toBe(0);
  // A value above 2^32 (and 2^53-safe only as a bigint), written the way the daemon writes.
  await setCounters(db, { 'sent:smtp': BIG });
  want = expectedWalk(db);
});

afterAll(async () => {
  await daemon?.stop();
  for (const s of snmpds) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startWith(lines: string[], port?: number): Promise<Snmpd> {
  const s = await Snmpd.start(lines, port === undefined ? {} : { port });
  snmpds.push(s);
  return s;
}

const mechanisms: Record<string, () => Promise<Snmpd>> = {
  pass: () => startWith(exampleLines('snmpd.pass.conf', { db })),
  pass_persist: () => startWith(exampleLines('snmpd.pass_persist.conf', { db })),
  agentx: async () => {
    agentxPort = await freePort('tcp');
    const s = await startWith(exampleLines('snmpd.agentx.conf', { db, agentxPort }));
    daemon = new Daemon('fixtures/logs/rfc3339.log', db, ['--agentx', `tcp:127.0.0.1:${agentxPort}`, '--log-level', 'warn']);
    await registered(s);
    return s;
  },
};

/** Polls until the subagent's table answers through snmpd. */
async function registered(s: Snmpd): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const [v] = await s.get([`${T}.2.1`], { timeout: 1 }).catch(() => [undefined]);
    if (v?.type === 'STRING') return;
    if (Date.now() > end) throw new Error(`the AgentX subagent never registered:\n${daemon?.output}\n${s.log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(Object.keys(mechanisms))('the counter table through snmpd %s', (name) => {
  let snmpd: Snmpd;
  beforeAll(async () => {
    snmpd = await mechanisms[name]!();
  });

  it('snmpwalk returns every row, all five columns typed, values equal to the store', async () => {
    expect(await snmpd.walk(DEFAULT_BASE)).toEqual(want);
  });

  it('snmpbulkwalk returns the same', async () => {
    expect(await snmpd.walk(DEFAULT_BASE, { bulk: true })).toEqual(want);
  });

  it('snmpget of sent:smtp is Counter64 2^40+7 exactly, and Counter32 7 (wrapped), also over SNMPv1', async () => {
    const i = indexOf('sent:smtp');
    const got = await snmpd.get([`${T}.3.${i}`, `${T}.4.${i}`, `${T}.2.${i}`]);
    expect(got.map((v) => [v.type, v.value])).toEqual([['Counter64', String(BIG)], ['Counter32', '7'], ['STRING', 'sent:smtp']]);
    const v1 = await snmpd.get([`${T}.4.${i}`], { version: '1' });
    expect(v1.map((v) => [v.type, v.value])).toEqual([['Counter32', '7']]);
  });

  it('a SET of a cell, of the wrong type, or of a row that does not exist is refused as notWritable, and changes nothing', async () => {
    const i = indexOf('sent:smtp');
    for (const [oid, type, value] of [[`${T}.2.${i}`, 's', 'foo'], [`${T}.3.${i}`, 'i', '7'], [`${T}.4.999999`, 'u', '7']] as const) {
      const r = await snmpd.set(oid, type, value);
      expect([oid, r.code !== 0, r.out]).toEqual([oid, true, expect.stringMatching(/notWritable|noCreation|not writable/i)]);
    }
    expect(await snmpd.walk(DEFAULT_BASE)).toEqual(want);
  });

  it('unknown OIDs answer noSuch exceptions, and GETNEXT past the table leaves it', async () => {
    const got = await snmpd.get([`${T}.3.999999`, `${T}.9.1`, `${DEFAULT_BASE}.2`]);
    for (const v of got) expect(v.type).toMatch(/^No Such (Object|Instance)/);
    const [after] = await snmpd.next([`${T}.6.999999`]);
    expect(after!.oid.startsWith(DEFAULT_BASE + '.')).toBe(false);
  });
});

describe('live counters', () => {
  it('pass_persist serves a changed counter on the next request, never an older snapshot, through 200+ requests', async () => {
    const live = join(dir, 'live');
    mkdirSync(live);
    const snmpd = await startWith(exampleLines('snmpd.pass_persist.conf', { db: live }));
    publish(live, snap(1, 1n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.value).toBe('1');
    publish(live, snap(2, 2n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.value).toBe('2');
    for (let i = 0; i < 50; i++) expect(await snmpd.walk(DEFAULT_BASE)).toHaveLength(6);
    // An older snapshot put back (a restored backup, say) is not served: a Counter64 never goes back.
    publish(live, snap(1, 1n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.type).toMatch(/^No Such/);
    publish(live, snap(3, 3n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.value).toBe('3');
  });

  it('pass serves what snmpd cached, not the changed counter (why the README recommends pass_persist or AgentX)', async () => {
    const cached = join(dir, 'cached');
    mkdirSync(cached);
    const snmpd = await startWith(exampleLines('snmpd.pass.conf', { db: cached }));
    publish(cached, snap(1, 1n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.value).toBe('1');
    publish(cached, snap(2, 2n));
    expect((await snmpd.get([`${T}.3.1`]))[0]!.value).toBe('1');
  });

  it('the AgentX subagent re-registers after snmpd restarts and serves the same table', async () => {
    const s = snmpds.find((x) => x.log.includes('AgentX master'))!;
    expect(s, 'the agentx snmpd of the suite above').toBeDefined();
    await s.stop();
    snmpds.splice(snmpds.indexOf(s), 1);
    await waitFor(() => daemon!.output.includes('AgentX master unavailable'), 'the daemon to notice snmpd is gone');
    const again = await startWith(exampleLines('snmpd.agentx.conf', { db, agentxPort }), s.port);
    await registered(again);
    expect(await again.walk(DEFAULT_BASE)).toEqual(want);
  });
});

describe('pfsCounterHost (column 5) of a --per-host daemon\'s table, through snmpd pass_persist', () => {
  let hostDb: string;
  const col = (c: number) => `${T}.${c}`;
  /** A column's walk as index -> value. */
  const byIndex = (binds: Varbind[], c: number) => new Map(binds.map((v) => [v.oid.slice(col(c).length + 1), v.value]));

  beforeAll(() => {
    // Two hosts' counts in one database: the fixture as mx1, then the same lines as mx2 appended to
    // the same file and read by a second run from the first one's checkpoint.
    const log = join(dir, 'two-hosts.log');
    hostDb = join(dir, 'per-host');
    copyFileSync('fixtures/logs/rfc3339.log', log);
    const first = runOnce(log, hostDb, ['--per-host']);
    expect(first.code, first.stderr).toBe(0);
    const mx2 = readFileSync('fixtures/logs/rfc3339.log', 'utf8').replaceAll(/^(\S+) mx1 /gm, '$1 mx2 ');
    expect(mx2).not.toMatch(/^\S+ mx1 /m);
    appendFileSync(log, mx2);
    const second = runOnce(log, hostDb, ['--per-host']);
    expect(second.code, second.stderr).toBe(0);
  });

  it('walking column 5 gives mx1 or mx2 for each host\'s own row and \'\' for a total; names stay KEY@HOST', async () => {
    const snmpd = await startWith(exampleLines('snmpd.pass_persist.conf', { db: hostDb }));
    const names = byIndex(await snmpd.walk(col(2)), 2);
    const hosts = await snmpd.walk(col(5));
    expect(hosts.length).toBe(names.size);
    expect(hosts.every((v) => v.type === 'STRING' && v.oid.startsWith(`${col(5)}.`))).toBe(true);
    const host = byIndex(hosts, 5);
    for (const [i, name] of names) expect(host.get(i), name).toBe(name.includes('@') ? name.slice(name.indexOf('@') + 1) : '');
    expect(new Set(host.values())).toEqual(new Set(['', 'mx1', 'mx2']));
    // Both hosts' rows and the totals are really there, under their full names.
    const idx = (name: string) => [...names].find(([, n]) => n === name)?.[0];
    expect([idx('sent:smtp'), idx('sent:smtp@mx1'), idx('sent:smtp@mx2')].map((i) => i && host.get(i))).toEqual(['', 'mx1', 'mx2']);
    // And the whole walk, all five columns, is the snapshot's.
    expect(await snmpd.walk(DEFAULT_BASE)).toEqual(expectedWalk(hostDb));
  });

  it('--host mx2 --pass-persist serves mx2\'s rows only, under plain keys, each with column 5 = mx2', async () => {
    const lines = exampleLines('snmpd.pass_persist.conf', { db: hostDb }).map((l) => l.replace(' --pass-persist', ' --host mx2 --pass-persist'));
    expect(lines.some((l) => l.includes('--host mx2 --pass-persist'))).toBe(true);
    const snmpd = await startWith(lines);
    const walk = await snmpd.walk(DEFAULT_BASE);
    const names = [...byIndex(walk.filter((v) => v.oid.startsWith(`${col(2)}.`)), 2).values()];
    const hosts = walk.filter((v) => v.oid.startsWith(`${col(5)}.`));
    const mx2Keys = snapshotRows(hostDb).filter((r) => r.key.endsWith('@mx2'));
    expect(mx2Keys.length).toBeGreaterThan(0);
    expect(names.sort()).toEqual(mx2Keys.map((r) => r.key.slice(0, -'@mx2'.length)).sort());
    expect(names).toContain('sent:smtp');
    expect(hosts).toHaveLength(mx2Keys.length);
    expect(hosts.map((v) => [v.type, v.value])).toEqual(hosts.map(() => ['STRING', 'mx2']));
    // Each row keeps the OID index of its per-host key.
    expect(hosts.map((v) => Number(v.oid.slice(col(5).length + 1))).sort((a, b) => a - b)).toEqual(mx2Keys.map((r) => r.index).sort((a, b) => a - b));
  });
});
