// Postfix multi-instance (postmulti), end to end on the real-Postfix fixture: its second instance,
// postfix-out, logs beside the default one (fixtures/generate.sh). Its queue ids renamed to the
// default instance's change nothing; with --per-host each count has four keys; --filter-relay and
// --filter-service postfix-out/smtp keep the hop between the instances out of sent and recv; the
// helper's --instance serves postfix-out alone, also through a real snmpd.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE } from '../../src/serve/snmp/table.js';
import { HELPER_SEA, helper, mailCounters, runOnce } from '../helpers/daemon.js';
import { Snmpd } from '../serve/snmp/helpers/snmpd.js';
import { snapshotRows } from '../serve/snmp/helpers/walk.js';

const LOG = 'fixtures/logs/rfc3339.log';
const expected = (JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>)['rfc3339.log']!;
const lines = readFileSync(LOG, 'latin1').split('\n').filter((l) => l !== '');
const QID = / (postfix[^/ ]*)\/[^ ]+\[\d+\]: ([0-9A-F]{6,16}): /;
// the fixture's hop: N_HOP messages x R_HOP recipients from postfix to postfix-out's smtpd :10027
const N_HOP = 8;
const R_HOP = 2;

const dir = mkdtempSync(join(tmpdir(), 'pfs-instance-'));
let snmpd: Snmpd | undefined;
afterAll(async () => {
  await snmpd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Distinct queue ids of one syslog name, in order of first appearance. */
function ids(name: string): string[] {
  const seen = new Set<string>();
  for (const l of lines) {
    const m = QID.exec(l);
    if (m && m[1] === name) seen.add(m[2]!);
  }
  return [...seen];
}

describe('a postmulti instance in the real-Postfix fixture', () => {
  const db = join(dir, 'db');
  runOnce(LOG, db);

  it('has postfix-out lines that count to postfix-out/ keys', () => {
    expect(ids('postfix-out').length).toBeGreaterThan(20);
    expect(mailCounters(db)['postfix-out/recv:smtp']).toBe(expected['postfix-out/recv:smtp']);
  });

  it('counts the same when postfix-out\'s queue ids are renamed to ids the default instance uses at the same time', () => {
    // each postfix-out id becomes the default instance's id seen last before it (and not taken yet):
    // the hop's two messages (postfix's relaying to postfix-out's) are in both queues at once
    const rename = new Map<string, string>();
    const recent: string[] = [];
    const taken = new Set<string>();
    for (const l of lines) {
      const m = QID.exec(l);
      if (m === null) continue;
      const [, name, id] = m as unknown as [string, string, string];
      if (name === 'postfix') {
        if (!recent.includes(id)) recent.push(id);
      } else if (!rename.has(id)) {
        const to = [...recent].reverse().find((r) => !taken.has(r))!;
        taken.add(to);
        rename.set(id, to);
      }
    }
    expect(rename.size).toBe(ids('postfix-out').length);
    const renamed = lines.map((l) => {
      if (!l.includes(' postfix-out/')) return l;
      let r = l;
      for (const [from, to] of rename) if (r.includes(from)) r = r.split(from).join(to);
      return r;
    });
    expect(renamed.filter((l, i) => l !== lines[i]).length).toBeGreaterThan(100);
    const log = join(dir, 'renamed.log');
    writeFileSync(log, renamed.join('\n') + '\n', 'latin1');
    const r = runOnce(log, join(dir, 'db-renamed'));
    expect(r.code, r.stderr).toBe(0);
    expect(mailCounters(join(dir, 'db-renamed'))).toEqual(expected);
  });

  it('with --per-host: the plain key, @host, instance/ and instance/...@host', () => {
    const r = runOnce(LOG, join(dir, 'db-hosts'), ['--per-host']);
    expect(r.code, r.stderr).toBe(0);
    const want: Record<string, number> = {};
    for (const [k, v] of Object.entries(expected)) (want[k] = v), (want[`${k}@mx1`] = v);
    expect(mailCounters(join(dir, 'db-hosts'))).toEqual(want);
    expect(want['postfix-out/sent:smtp@mx1']).toBe(expected['postfix-out/sent:smtp']);
  });

  it('--filter-relay 127.0.0.1:10027 --filter-service postfix-out/smtp keep the hop between the instances out', () => {
    const r = runOnce(LOG, join(dir, 'db-filtered'), ['--filter-relay', '127.0.0.1:10027', '--filter-service', 'postfix-out/smtp']);
    expect(r.code, r.stderr).toBe(0);
    const got = mailCounters(join(dir, 'db-filtered'));
    // the hop is received once (by postfix) and sent once (by postfix-out). The filter takes the
    // whole service: in the fixture postfix-out's plain smtpd also takes mail from clients (its
    // own N_OUT, hold and bounce classes), which it leaves out too; its submission is counted
    expect(got['recv:smtp']).toBe(expected['recv:smtp']! - expected['postfix-out/recv:smtp']!);
    expect(expected['postfix-out/recv:smtp']).toBeGreaterThan(N_HOP);
    expect(got['postfix-out/recv:smtp']).toBeUndefined();
    expect(got['postfix-out/recv:submission']).toBe(expected['postfix-out/recv:submission']);
    expect(got['sent:smtp']).toBe(expected['sent:smtp']! - N_HOP * R_HOP);
    expect(got['postfix-out/sent:smtp']).toBe(expected['postfix-out/sent:smtp']);
    expect(runOnce(LOG, join(dir, 'db-bad'), ['--filter-service', 'postfix/smtp']).code).toBe(64);
  });

  it('postfix-stats-get --instance gives postfix-out under the plain keys: a key, --list', () => {
    const list = helper(['--db', db, '--instance', 'postfix-out', '--list']);
    expect(list.code, list.stderr).toBe(0);
    const got = Object.fromEntries(list.stdout.trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k!, Number(v)]));
    const own = Object.fromEntries(Object.entries(expected).filter(([k]) => k.startsWith('postfix-out/')).map(([k, v]) => [k.slice('postfix-out/'.length), v]));
    expect(got).toEqual(own);
    expect(helper(['--db', db, '--instance', 'postfix-out', 'held']).stdout).toBe(`${expected['postfix-out/held']}\n`);
    expect(helper(['--db', db, 'postfix-out/held']).stdout).toBe(`${expected['postfix-out/held']}\n`);
  });

  it('postfix-stats-get --instance through a real snmpd (pass_persist): the instance\'s rows, named in column 6', async () => {
    snmpd = await Snmpd.start([`pass_persist ${DEFAULT_BASE} ${HELPER_SEA} --db ${db} --instance postfix-out --pass-persist`]);
    const index = snapshotRows(db).find((r) => r.key === 'postfix-out/recv:smtp')!.index;
    const t = `${DEFAULT_BASE}.1`;
    const got = await snmpd.get([`${t}.2.${index}`, `${t}.3.${index}`, `${t}.5.${index}`, `${t}.6.${index}`]);
    expect(got.map((v) => v.value)).toEqual(['recv:smtp', String(expected['postfix-out/recv:smtp']), '', 'postfix-out']);
    // the walk holds postfix-out's rows only
    const names = (await snmpd.walk(`${t}.2`)).map((v) => v.value);
    expect(names.length).toBe(Object.keys(expected).filter((k) => k.startsWith('postfix-out/')).length);
    expect(names).toContain('sent:smtp');
  });
});
