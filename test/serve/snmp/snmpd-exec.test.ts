// The seed-compatible set-up, end to end: the daemon counts a real-Postfix log, then a real snmpd
// runs the single-executable helper from `exec` and `extend` lines, and snmpget must return exactly
// the counts the fixture is known to contain. Also the ways it must fail: an unknown key reads 0,
// a malformed key gives the helper's message and exit code 64, never a number.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_SEA, runOnce } from '../../helpers/daemon.js';
import { exampleLines } from './helpers/examples.js';
import { Snmpd } from './helpers/snmpd.js';
import { NS_EXTEND_RESULT, UCD_EXT_RESULT, extOutput, extendOutput, stringIndex } from './helpers/oids.js';

const want = (JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>)[
  'rfc3339.log'
]!;
const keys = Object.keys(want);
/** exec and extend share NET-SNMP's extend table, so their names must differ. */
const execName = (key: string) => `postfix-${key.replace(/:/g, '-')}`;
const extendName = (key: string) => `ext-${key.replace(/:/g, '-')}`;
const UNKNOWN = 'sent:never-seen';
const MALFORMED = 'Sent:SMTP';

let dir: string;
let db: string;
let snmpd: Snmpd;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pfs-snmp-exec-'));
  db = join(dir, 'db');
  const r = runOnce('fixtures/logs/rfc3339.log', db);
  expect(r.code, r.stderr).toBe(0);
  const get = (key: string) => `${HELPER_SEA} --db ${db} ${key}`;
  // exec lines in this order: the keys, then the unknown and the malformed key (extOutput.N is the N-th).
  const execKeys = [...keys, UNKNOWN, MALFORMED];
  snmpd = await Snmpd.start([
    ...execKeys.map((k) => `exec ${execName(k)} ${get(k)}`),
    ...execKeys.map((k) => `extend ${extendName(k)} ${get(k)}`),
  ]);
});

afterAll(async () => {
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('snmpd exec and extend lines running postfix-stats-get', () => {
  it('exec: extOutput.N of each key is exactly its count in the fixture', async () => {
    const got = await snmpd.get(keys.map((_, i) => extOutput(i + 1)));
    expect(got.map((v) => v.type)).toEqual(keys.map(() => 'STRING'));
    expect(Object.fromEntries(got.map((v, i) => [keys[i], Number(v.value)]))).toEqual(want);
    expect(got.every((v) => /^[0-9]+$/.test(v.value)), 'plain decimal digits only').toBe(true);
  });

  it('extend: nsExtendOutput1Line."name" of each key is exactly its count in the fixture', async () => {
    const got = await snmpd.get(keys.map((k) => extendOutput(extendName(k))));
    expect(got.map((v) => v.type)).toEqual(keys.map(() => 'STRING'));
    expect(Object.fromEntries(got.map((v, i) => [keys[i], Number(v.value)]))).toEqual(want);
  });

  it('a well-formed key never seen reads "0" with exit code 0, through exec and extend', async () => {
    const n = keys.length + 1;
    const got = await snmpd.get([
      extOutput(n),
      `${UCD_EXT_RESULT}.${n}`,
      extendOutput(extendName(UNKNOWN)),
      `${NS_EXTEND_RESULT}.${stringIndex(extendName(UNKNOWN))}`,
    ]);
    expect(got.map((v) => v.value)).toEqual(['0', '0', '0', '0']);
  });

  it('a malformed key gives the helper error and exit code 64, not a number', async () => {
    const n = keys.length + 2;
    const [execOut, execRc, extOut, extRc] = await snmpd.get([
      extOutput(n),
      `${UCD_EXT_RESULT}.${n}`,
      extendOutput(extendName(MALFORMED)),
      `${NS_EXTEND_RESULT}.${stringIndex(extendName(MALFORMED))}`,
    ]);
    // snmpd reads the helper's stdout and stderr together: the output line is the message, which no
    // poller can take for a count, and the result column carries the exit code.
    for (const out of [execOut!, extOut!]) expect(out.value).toBe('postfix-stats-get: malformed key "Sent:SMTP" (see --help)');
    expect(execRc!.value).toBe('64');
    expect(extRc!.value).toBe('64');
  });

  it('the shipped snmpd.exec.conf: each exec and extend line returns its key\'s count in the fixture', async () => {
    const lines = exampleLines('snmpd.exec.conf', { db }).map((l) => l.trim().split(/\s+/));
    const execs = lines.filter((f) => f[0] === 'exec');
    const extends_ = lines.filter((f) => f[0] === 'extend');
    expect(execs.length).toBeGreaterThan(0);
    expect(extends_.length).toBeGreaterThan(0);
    const s = await Snmpd.start(exampleLines('snmpd.exec.conf', { db }));
    try {
      const got = await s.get([...execs.map((_, i) => extOutput(i + 1)), ...extends_.map((f) => extendOutput(f[1]!))]);
      const keys = [...execs, ...extends_].map((f) => f[f.length - 1]!);
      expect(got.map((v) => [v.type, v.value])).toEqual(keys.map((k) => ['STRING', String(want[k] ?? 0)]));
    } finally {
      await s.stop();
    }
  });
});
