// The .deb, as a Debian admin gets it: built by scripts/deb/build.mjs, checked by Debian's lintian,
// then installed with dpkg -i into clean Debian 12 and 13 roots made by mmdebstrap from
// deb.debian.org (no Node.js in them), where the daemon runs as its unit runs it, snmpd with the
// stock snmpd.conf and only the shipped snippet enabled answers snmpget, and dpkg -r / -P leave
// what Debian leaves.
//
// PFS_DEB=1 turns it on (it needs root, mmdebstrap, lintian and the network to the mirror;
// .ci/run sets it). PFS_DEB_FILE=path uses a built .deb instead of building one;
// PFS_DEB_BIN_DIR=dir builds from another directory than dist/ (holding postfix-stats and
// lmdb.node); PFS_DEB_SUITES=bookworm,trixie; PFS_DEB_CACHE (default /var/cache/postfix-stats-test)
// keeps the roots' tarballs, keyed by suite and package list, so reruns skip mmdebstrap.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booted } from './boot.js';
import { CACHE, cachedRoot, expandExec, have, inRoot, mirrorHas, ok, parseEnvFile, run, shInRoot, spawnInRoot, unpack, type As } from './root.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const SUITES = (process.env.PFS_DEB_SUITES ?? 'bookworm,trixie').split(',').filter(Boolean);
const LOG = 'fixtures/logs/rfc3339.log';
const LOG_LINES = readFileSync(LOG, 'utf8').split('\n').filter(Boolean).length;
const want = (JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>)['rfc3339.log']!;
const DB = '/var/lib/postfix-stats';
const UNIT = '/usr/lib/systemd/system/postfix-statsd.service';
// UCD-SNMP-MIB extOutput.2: the snippet's second exec line, postfix-sent-smtp
const EXT_OUTPUT_2 = '.1.3.6.1.4.1.2021.8.1.101.2';
const PFS_NAME_COLUMN = '.1.3.6.1.4.1.99999.1.1.1.2';
const PFS_VALUE_COLUMN = '.1.3.6.1.4.1.99999.1.1.1.3';

function whySkip(): string | null {
  if (process.env.PFS_DEB !== '1') {
    return 'set PFS_DEB=1 to build the .deb, lint it and install it into clean Debian roots (needs root, mmdebstrap, lintian and the network to deb.debian.org)';
  }
  if (process.getuid?.() !== 0) return 'needs root: mmdebstrap, chroot and dpkg -i in the roots';
  const missing = ['mmdebstrap', 'lintian', 'dpkg-deb', 'unshare', 'ip'].filter((c) => !have(c, c === 'ip' ? ['-V'] : ['--version']));
  if (missing.length) return `missing ${missing.join(', ')} (apt-get install mmdebstrap lintian iproute2)`;
  return null;
}
const why = whySkip();
if (why) console.warn(`deb: SKIPPING: ${why}`);

let deb = '';
const timings: string[] = [];
/** Each suite's root tarball (null: the mirror has no such suite), made at once for all suites. */
let roots: Promise<Map<string, { tar: string; made: boolean; seconds: number } | null>> = Promise.resolve(new Map());

/** Fields of the package's control file. */
function field(name: string): string {
  return ok(spawnSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }), `dpkg-deb -f ${name}`).trim();
}

beforeAll(async () => {
  if (why) return;
  // The roots download while the package builds: they hold what control.in Depends on besides the
  // shared libraries (which every root has: apt needs them), and snmpd and snmp for the test. dpkg -i
  // checks the built package's real Depends against them.
  const control = readFileSync('scripts/deb/control.in', 'utf8');
  const depends = /^Depends: (.*)$/m.exec(control)![1]!.split(',').map((d) => d.split('|')[0]!.trim().replace(/\s*\(.*\)$/, ''))
    .filter((d) => !/@/.test(d));
  roots = Promise.all(SUITES.map(async (suite) => [suite, (await mirrorHas(suite)) ? await cachedRoot(suite, [...depends, 'snmpd', 'snmp']) : null] as const))
    .then((entries) => new Map(entries));
  roots.catch(() => {}); // awaited (and reported) by each suite

  if (process.env.PFS_DEB_FILE) {
    deb = resolve(process.env.PFS_DEB_FILE);
    return;
  }
  const t0 = Date.now();
  const args = ['scripts/deb/build.mjs', ...(process.env.PFS_DEB_BIN_DIR ? ['--bin-dir', process.env.PFS_DEB_BIN_DIR] : [])];
  const out = ok(await run(process.execPath, args, { timeout: 600_000 }), 'scripts/deb/build.mjs');
  console.log(out.trim());
  timings.push(`build ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  deb = resolve(`dist/postfix-stats_${VERSION}_amd64.deb`);
}, 620_000);

let upgrade = '';
/** The same package as version VERSION+upgrade1 (repacked uncompressed: a second xz run would cost a minute). */
function upgradeDeb(): string {
  if (upgrade) return upgrade;
  const dir = join(tmpdir(), `pfs-deb-upgrade-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  ok(spawnSync('dpkg-deb', ['-R', deb, join(dir, 'root')], { encoding: 'utf8' }), 'dpkg-deb -R');
  const control = join(dir, 'root', 'DEBIAN', 'control');
  writeFileSync(control, readFileSync(control, 'utf8').replace(/^Version: .*$/m, `Version: ${VERSION}+upgrade1`));
  upgrade = join(dir, 'postfix-stats-upgrade.deb');
  ok(spawnSync('dpkg-deb', ['--root-owner-group', '-Znone', '-b', join(dir, 'root'), upgrade], { encoding: 'utf8' }), 'dpkg-deb -b');
  return upgrade;
}

afterAll(() => {
  if (timings.length) console.log(`deb timings: ${timings.join('; ')}`);
  if (upgrade) rmSync(join(upgrade, '..'), { recursive: true, force: true });
});

describe.skipIf(why !== null)('the .deb', () => {
  it('holds the executable, its names, units, conffiles, man pages and docs', () => {
    expect(field('Package')).toBe('postfix-stats');
    expect(field('Version')).toBe(VERSION);
    const list = ok(spawnSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' }), 'dpkg-deb -c');
    const entries = new Map(list.split('\n').filter(Boolean).map((l) => {
      const f = l.split(/\s+/);
      return [f[5]!.replace(/^\.\//, '/').replace(/\/$/, ''), { mode: f[0]!, owner: f[1]!, target: f[7] }];
    }));
    for (const [p, target] of [
      ['/usr/sbin/postfix-statsd', '../lib/postfix-stats/postfix-stats'],
      ['/usr/bin/postfix-stats-get', '../lib/postfix-stats/postfix-stats'],
      ['/usr/bin/postfix-stats-report', '../lib/postfix-stats/postfix-stats'],
    ] as const) expect(entries.get(p)?.target, p).toBe(target);
    expect(entries.get('/usr/lib/postfix-stats/postfix-stats')?.mode).toBe('-rwxr-xr-x');
    expect(entries.get('/usr/lib/postfix-stats/lmdb.node')?.mode).toBe('-rw-r--r--');
    for (const p of [
      '/usr/lib/systemd/system/postfix-statsd.service', '/usr/lib/systemd/system/postfix-stats-report.service',
      '/usr/lib/systemd/system/postfix-stats-report.timer', '/usr/lib/sysusers.d/postfix-stats.conf',
      '/usr/lib/tmpfiles.d/postfix-stats.conf', '/etc/default/postfix-statsd', '/etc/snmp/snmpd.conf.d/postfix-stats.conf',
      '/usr/share/snmp/mibs/POSTFIX-STATS-MIB.txt', '/usr/share/man/man8/postfix-statsd.8.gz',
      '/usr/share/man/man8/postfix-stats-get.8.gz', '/usr/share/man/man8/postfix-stats-report.8.gz',
      '/usr/share/doc/postfix-stats/copyright', '/usr/share/doc/postfix-stats/changelog.gz',
      '/usr/share/doc/postfix-stats/README.Debian', '/usr/share/lintian/overrides/postfix-stats',
    ]) expect(entries.has(p), p).toBe(true);
    for (const [p, e] of entries) expect(e.owner, p).toBe('root/root');
    // no Node, no node_modules: the executable carries its runtime
    expect([...entries.keys()].filter((p) => /node_modules|\/nodejs?\b|\.js$/.test(p))).toEqual([]);
    expect(field('Depends')).not.toMatch(/\bnodejs\b/);
    const tmp = join(tmpdir(), `pfs-deb-ctrl-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    ok(spawnSync('dpkg-deb', ['-e', deb, tmp], { encoding: 'utf8' }), 'dpkg-deb -e');
    try {
      expect(readFileSync(join(tmp, 'conffiles'), 'utf8').split('\n').filter(Boolean).sort()).toEqual([
        '/etc/default/postfix-statsd', '/etc/snmp/snmpd.conf.d/postfix-stats.conf',
      ]);
      // snmpd's user is not put in any group: the design no longer needs it
      expect(readFileSync(join(tmp, 'postinst'), 'utf8')).not.toMatch(/Debian-snmp|usermod|gpasswd|adduser/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('passes lintian: no error, every warning overridden with a reason, no unused override', async () => {
    const t0 = Date.now();
    const r = await run('lintian', ['-I', '--pedantic', '--show-overrides', '--tag-display-limit', '0', deb], { timeout: 600_000 });
    timings.push(`lintian ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const out = r.stdout + r.stderr;
    console.log(`lintian:\n${out.trim()}`);
    const lines = out.split('\n');
    expect(lines.filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(lines.filter((l) => /unused-override|mismatched-override/.test(l))).toEqual([]);
    // each override is preceded by a comment: its reason
    const overrides = readFileSync('scripts/deb/lintian-overrides', 'utf8').split('\n');
    overrides.forEach((l, i) => {
      if (/^postfix-stats: /.test(l)) expect(overrides[i - 1], `the override "${l}" needs a comment line above it`).toMatch(/^#/);
    });
  }, 600_000);
});

describe.skipIf(why !== null).each(SUITES)('installed on a clean Debian %s', (suite) => {
  const root = join(CACHE, `run-${suite}`);
  let available = true;
  let snmpUser: As;
  let daemonUser: As;
  const started: ChildProcess[] = [];

  const sh = (script: string, o: Parameters<typeof shInRoot>[2] = {}) => ok(shInRoot(root, script, o), `${suite}: ${script}`);
  const get = (args: string[], as = snmpUser) => inRoot(root, ['/usr/bin/postfix-stats-get', '--db', DB, ...args], { as });
  const ids = (user: string): { uid: string; gid: string } => {
    const pw = readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
    if (!pw) throw new Error(`${suite}: no user ${user} in /etc/passwd`);
    const f = pw.split(':');
    return { uid: f[2]!, gid: f[3]! };
  };
  const gid = (group: string): string => {
    const g = readFileSync(join(root, 'etc/group'), 'utf8').split('\n').find((l) => l.startsWith(`${group}:`));
    if (!g) throw new Error(`${suite}: no group ${group}`);
    return g.split(':')[2]!;
  };
  const members = (group: string): string[] =>
    (readFileSync(join(root, 'etc/group'), 'utf8').split('\n').find((l) => l.startsWith(`${group}:`))?.split(':')[3] ?? '').split(',').filter(Boolean);

  beforeAll(async () => {
    const made = (await roots).get(suite);
    if (!made) {
      available = false;
      console.warn(`deb: ${suite}: the mirror has no dists/${suite}: skipping`);
      return;
    }
    timings.push(`${suite} root ${made.made ? `made by mmdebstrap in ${made.seconds.toFixed(0)} s` : 'from the cache'}`);
    const t0 = Date.now();
    unpack(made.tar, root);
    timings.push(`${suite} unpacked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    copyFileSync(deb, join(root, 'root', 'postfix-stats.deb'));
    const log = join(root, 'var/log/mail.log');
    copyFileSync(LOG, log);
    chownSync(log, 0, Number(gid('adm')));
    chmodSync(log, 0o640); // as rsyslog makes it on Debian: root:adm 0640
    const s = ids('Debian-snmp');
    snmpUser = { userspec: `${s.uid}:${s.gid}`, groups: s.gid };
  }, 900_000);

  afterAll(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    // the namespaces' mounts went with their processes; nothing of the host is mounted below root
    if (existsSync(root) && !process.env.PFS_DEB_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('has no Node.js, then dpkg -i installs the package: user, state directory, enabled service', (ctx) => {
    if (!available) ctx.skip();
    expect(inRoot(root, ['/bin/sh', '-c', 'command -v node nodejs']).status).not.toBe(0);
    const t0 = Date.now();
    const r = inRoot(root, ['dpkg', '-i', '/root/postfix-stats.deb']);
    timings.push(`${suite} dpkg -i ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    ok(r, 'dpkg -i');
    expect(r.stderr).not.toMatch(/warning|error/i);
    expect(sh("dpkg-query -W -f='${Status} ${Version}' postfix-stats")).toBe(`install ok installed ${VERSION}`);
    expect(sh('dpkg-query -W nodejs 2>/dev/null || echo none')).toMatch(/none|^nodejs\s*$/);

    // systemd-sysusers: a system user and group, in adm for /var/log/mail.log; snmpd's user in no new group
    const u = ids('postfix-stats');
    expect(Number(u.uid)).toBeLessThan(1000);
    expect(u.gid).toBe(gid('postfix-stats'));
    expect(members('adm')).toContain('postfix-stats');
    expect(members('postfix-stats')).toEqual([]);
    daemonUser = { userspec: `${u.uid}:${u.gid}`, groups: gid('adm'), umask: '0077' };

    // systemd-tmpfiles: the state directory
    const st = statSync(join(root, DB));
    expect((st.mode & 0o7777).toString(8)).toBe('755');
    expect(String(st.uid)).toBe(u.uid);

    // deb-systemd-helper enabled the daemon (no systemd running here, so it was not started) and
    // left the report timer disabled
    // (bookworm's deb-systemd-helper links to /lib/systemd/system, the same file through the
    // merged /usr)
    const wants = 'etc/systemd/system/multi-user.target.wants/postfix-statsd.service';
    expect(readlinkSync(join(root, wants))).toMatch(/^(\/usr)?\/lib\/systemd\/system\/postfix-statsd\.service$/);
    expect(statSync(join(root, readlinkSync(join(root, wants)))).isFile()).toBe(true);
    expect(existsSync(join(root, 'etc/systemd/system/timers.target.wants/postfix-stats-report.timer'))).toBe(false);

    for (const name of ['postfix-stats-get', 'postfix-stats-report', 'postfix-statsd']) {
      expect(sh(`${name} --version`).trim()).toBe(`${name} ${VERSION}`);
    }
    expect(sh('man -w postfix-statsd 2>/dev/null || ls /usr/share/man/man8/postfix-statsd.8.gz')).toMatch(/postfix-statsd\.8\.gz/);
  });

  it('the daemon, run as its unit runs it, counts the mail log; the helper reads it as snmpd\'s user; HTTP answers', async (ctx) => {
    if (!available) ctx.skip();
    // An admin's option in /etc/default: also serve /metrics (its worker thread is an asset of the
    // executable), on a free loopback port (the root shares the host's network).
    const port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    const defaults = join(root, 'etc/default/postfix-statsd');
    writeFileSync(defaults, readFileSync(defaults, 'utf8').replace(/^POSTFIX_STATSD_OPTS=$/m, `POSTFIX_STATSD_OPTS=--http 127.0.0.1:${port}`));
    const unit = readFileSync(join(root, UNIT.slice(1)), 'utf8');
    const line = (k: string) => [...unit.matchAll(new RegExp(`^${k}=(.*)$`, 'gm'))].map((m) => m[1]!);
    expect(line('User')).toEqual(['postfix-stats']);
    expect(line('SupplementaryGroups')).toEqual(['adm']);
    // Environment= defaults, then the EnvironmentFile, as systemd reads them
    const env: Record<string, string> = {};
    for (const e of line('Environment')) Object.assign(env, parseEnvFile(e));
    for (const f of line('EnvironmentFile')) {
      const p = join(root, f.replace(/^-/, ''));
      if (existsSync(p)) Object.assign(env, parseEnvFile(readFileSync(p, 'utf8')));
    }
    const argv = expandExec(line('ExecStart')[0]!, env);
    expect(argv).toEqual(['/usr/sbin/postfix-statsd', '--log', '/var/log/mail.log', '--db', DB, '--http', `127.0.0.1:${port}`]);

    const t0 = Date.now();
    const d = spawnInRoot(root, argv, { as: daemonUser });
    started.push(d);
    let out = '';
    d.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    d.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((res) => d.on('exit', (code) => res(code)));

    // poll the helper, as snmpd's user, until every line is counted
    let lines = '';
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (d.exitCode !== null) throw new Error(`${suite}: the daemon exited ${d.exitCode}:\n${out}`);
      const r = get(['self:lines']);
      lines = r.stdout.trim();
      if (r.status === 0 && Number(lines) >= LOG_LINES) break;
      if (Date.now() > deadline) throw new Error(`${suite}: self:lines ${lines || r.stderr} after 60 s, want ${LOG_LINES}\n${out}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    timings.push(`${suite} daemon counted ${LOG_LINES} lines in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(Number(lines)).toBe(LOG_LINES);
    expect(ok(get(['sent:smtp']), 'postfix-stats-get sent:smtp').trim()).toBe(String(want['sent:smtp']));
    const list = Object.fromEntries(ok(get(['--list']), 'postfix-stats-get --list').trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k!, Number(v)]));
    for (const [k, v] of Object.entries(want)) expect(list[k], k).toBe(v);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    expect(metrics).toMatch(new RegExp(`^postfix_stats_sent_total\\{transport="smtp"\\} ${want['sent:smtp']}$`, 'm'));

    // the files as the design wants them: LMDB private, the snapshot world-readable
    const mode = (f: string) => (statSync(join(root, DB, f)).mode & 0o777).toString(8);
    expect(mode('data.mdb')).toBe('600');
    expect(mode('snapshot')).toBe('644');

    // SIGTERM (the unit's KillSignal): it commits and exits 0. unshare's child is the daemon itself
    // (sh and chroot exec it).
    const pid = Number(readFileSync(`/proc/${d.pid}/task/${d.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8')).not.toMatch(/^(sh|chroot|unshare)\n/);
    process.kill(pid, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('snmpd, with the stock snmpd.conf and the shipped snippet enabled, answers snmpget for sent:smtp', (ctx) => {
    if (!available) ctx.skip();
    // The admin's one step: uncomment the snippet's exec and pass_persist lines.
    const snippet = '/etc/snmp/snmpd.conf.d/postfix-stats.conf';
    sh(`sed -i -e 's/^#exec /exec /' -e 's/^#pass_persist /pass_persist /' ${snippet}`);
    // snmpd.conf is the package's, untouched
    sh(`dpkg-query -W -f='\${Conffiles}\\n' snmpd | awk '$1=="/etc/snmp/snmpd.conf"{print $2"  "$1}' | md5sum -c --quiet`);
    // Its own network namespace: the stock agentaddress (127.0.0.1:161) and a free port of ours on
    // the loopback there, never the host's snmpd. Debian's snmpd.service options; polled, not slept.
    const port = 20000 + (process.pid % 20000);
    const r = shInRoot(root, `
      /usr/sbin/snmpd -f -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -p /run/snmpd-test.pid udp:127.0.0.1:${port} >/tmp/snmpd.log 2>&1 &
      s=$!
      q() { snmpget -v2c -c public -On -t 1 -r 0 127.0.0.1:${port} "$@"; }
      i=0
      until q .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 100 ] || { cat /tmp/snmpd.log; exit 1; }; sleep 0.1; done
      echo "exec: $(q ${EXT_OUTPUT_2})"
      idx=$(snmpwalk -v2c -c public -On 127.0.0.1:${port} ${PFS_NAME_COLUMN} | awk -F' = ' '$2=="STRING: \\"sent:smtp\\"" {n=split($1,a,"."); print a[n]}')
      echo "index: $idx"
      echo "pass_persist: $(q ${PFS_VALUE_COLUMN}.$idx)"
      kill $s; wait $s || true
    `, { netns: true, timeout: 60_000 });
    const out = ok(r, 'snmpd and snmpget');
    expect(out).toMatch(new RegExp(`^exec: ${EXT_OUTPUT_2.replace(/\./g, '\\.')} = STRING: "?${want['sent:smtp']}"?$`, 'm'));
    expect(out).toMatch(new RegExp(`^pass_persist: ${PFS_VALUE_COLUMN.replace(/\./g, '\\.')}\\.\\d+ = Counter64: ${want['sent:smtp']}$`, 'm'));
  }, 90_000);

  it('postfix-stats-report prints the day from the history, as the report unit runs it', (ctx) => {
    if (!available) ctx.skip();
    const r = inRoot(root, ['/usr/bin/postfix-stats-report', '--db', DB, '--day', '2026-11-29', '--tz', 'UTC'], { as: { ...daemonUser, groups: daemonUser.userspec.split(':')[1]! } });
    const out = ok(r, 'postfix-stats-report');
    const delivered = Object.entries(want).filter(([k]) => /^sent:/.test(k)).reduce((a, [, v]) => a + v, 0);
    expect(out).toMatch(/^Grand Totals$/m);
    expect(out).toMatch(new RegExp(`^\\s+${delivered}\\s+delivered$`, 'm'));
  });

  it('a reinstall, then an upgrade to a newer version, keep the counters and the admin\'s /etc/default', (ctx) => {
    if (!available) ctx.skip();
    const before = ok(get(['--list']), 'before');
    const ino = statSync(join(root, DB, 'data.mdb')).ino;
    const defaults = readFileSync(join(root, 'etc/default/postfix-statsd'), 'utf8');
    ok(inRoot(root, ['dpkg', '-i', '/root/postfix-stats.deb']), 'dpkg -i (reinstall)');
    copyFileSync(upgradeDeb(), join(root, 'root', 'postfix-stats-upgrade.deb'));
    const r = ok(inRoot(root, ['dpkg', '-i', '/root/postfix-stats-upgrade.deb']), 'dpkg -i (upgrade)');
    expect(r).toContain(`Unpacking postfix-stats (${VERSION}+upgrade1) over (${VERSION})`);
    expect(sh("dpkg-query -W -f='${Version}' postfix-stats")).toBe(`${VERSION}+upgrade1`);
    expect(ok(get(['--list']), 'after')).toBe(before);
    expect(statSync(join(root, DB, 'data.mdb')).ino).toBe(ino);
    // the conffile the admin changed (--http) is kept without a question: the package's is unchanged
    expect(readFileSync(join(root, 'etc/default/postfix-statsd'), 'utf8')).toBe(defaults);
    expect(existsSync(join(root, 'etc/default/postfix-statsd.dpkg-dist'))).toBe(false);
  });

  it('dpkg -r keeps the conffiles and the counters; dpkg -P removes the state and keeps the user', (ctx) => {
    if (!available) ctx.skip();
    const t0 = Date.now();
    ok(inRoot(root, ['dpkg', '-r', 'postfix-stats']), 'dpkg -r');
    expect(sh("dpkg-query -W -f='${Status}' postfix-stats")).toBe('deinstall ok config-files');
    for (const gone of ['usr/lib/postfix-stats', 'usr/sbin/postfix-statsd', 'usr/bin/postfix-stats-get', 'usr/lib/systemd/system/postfix-statsd.service']) {
      expect(existsSync(join(root, gone)), gone).toBe(false);
    }
    for (const kept of ['etc/default/postfix-statsd', 'etc/snmp/snmpd.conf.d/postfix-stats.conf', 'var/lib/postfix-stats/data.mdb', 'var/lib/postfix-stats/snapshot']) {
      expect(existsSync(join(root, kept)), kept).toBe(true);
    }
    // the admin's edit of the snippet survives a remove
    expect(readFileSync(join(root, 'etc/snmp/snmpd.conf.d/postfix-stats.conf'), 'utf8')).toMatch(/^pass_persist /m);

    ok(inRoot(root, ['dpkg', '-P', 'postfix-stats']), 'dpkg -P');
    timings.push(`${suite} dpkg -r and -P ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(inRoot(root, ['dpkg-query', '-W', 'postfix-stats']).status).not.toBe(0);
    for (const gone of ['etc/default/postfix-statsd', 'etc/snmp/snmpd.conf.d/postfix-stats.conf', 'var/lib/postfix-stats',
      'etc/systemd/system/multi-user.target.wants/postfix-statsd.service']) {
      expect(existsSync(join(root, gone)), gone).toBe(false);
    }
    // as Debian does: a system user stays (its uid may own files elsewhere)
    expect(ids('postfix-stats').uid).toBe(daemonUser.userspec.split(':')[0]);
    // nothing of ours left behind anywhere in the root but the user
    const left = readdirSync(join(root, 'etc/systemd/system'), { recursive: true }).map(String).filter((p) => p.includes('postfix-stats'));
    expect(left).toEqual([]);
    expect(existsSync(join(root, 'var/lib/systemd/deb-systemd-helper-enabled/postfix-statsd.service.dsh-also'))).toBe(false);
  });
});

describe.skipIf(why !== null).each(SUITES)('booted: Debian %s with systemd as PID 1', (suite) => {
  const root = join(CACHE, `boot-${suite}`);
  let booted: Booted | undefined;
  const $ = (argv: string[]) => ok(booted!.run(argv), `${suite} (booted): ${argv.join(' ')}`);
  const active = (unit: string) => booted!.run(['systemctl', 'is-active', unit]).stdout.trim();

  beforeAll(async () => {
    const made = (await roots).get(suite);
    if (!made) return;
    unpack(made.tar, root);
    copyFileSync(deb, join(root, 'root', 'postfix-stats.deb'));
    const log = join(root, 'var/log/mail.log');
    copyFileSync(LOG, log);
    const adm = readFileSync(join(root, 'etc/group'), 'utf8').split('\n').find((l) => l.startsWith('adm:'))!.split(':')[2]!;
    chownSync(log, 0, Number(adm));
    chmodSync(log, 0o640);
    const t0 = Date.now();
    // up once snmpd (installed in the root, enabled) runs: systemd took its first jobs
    booted = await Booted.boot(root, { ready: (b) => b.run(['systemctl', 'is-active', 'snmpd']).stdout.trim() === 'active' });
    timings.push(`${suite} booted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 900_000);

  afterAll(async () => {
    await booted?.kill();
    if (existsSync(root) && !process.env.PFS_DEB_KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('dpkg -i starts the service, which counts /var/log/mail.log inside its sandbox as its user; snmpd with the snippet enabled serves it; dpkg -r stops it and -P removes its state', async (ctx) => {
    if (!booted) ctx.skip();
    const b = booted!;
    const installed = $(['dpkg', '-i', '/root/postfix-stats.deb']);
    expect(installed).not.toMatch(/warning|error/i);
    // postinst saw /run/systemd/system and started it: no step of the admin's
    expect(active('postfix-statsd')).toBe('active');
    await b.until(() => b.run(['postfix-stats-get', 'self:lines']).stdout.trim() === String(LOG_LINES), `${suite}: the service counting the log`);
    const list = Object.fromEntries($(['postfix-stats-get', '--list']).trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k!, Number(v)]));
    for (const [k, v] of Object.entries(want)) expect(list[k], k).toBe(v);

    // the service's process: the unit's user, with adm for the log, and the sandbox the unit asks for
    const main = $(['systemctl', 'show', '-p', 'MainPID', '--value', 'postfix-statsd']).trim();
    const status = $(['cat', `/proc/${main}/status`]);
    const uid = readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith('postfix-stats:'))!.split(':')[2]!;
    expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s`, 'm'));
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Seccomp:\s+2$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    // ProtectSystem=strict: its root (and so /usr, /etc) is mounted read-only in its mount namespace
    expect($(['cat', `/proc/${main}/mountinfo`])).toMatch(/^\d+ \d+ \S+ \S+ \/ ro[, ]/m);

    // the admin's one step: the snippet's exec line, then snmpd restarted
    $(['sed', '-i', 's/^#exec /exec /', '/etc/snmp/snmpd.conf.d/postfix-stats.conf']);
    $(['systemctl', 'restart', 'snmpd']);
    expect($(['snmpget', '-v2c', '-c', 'public', '-On', '127.0.0.1', EXT_OUTPUT_2]).trim()).toBe(`${EXT_OUTPUT_2} = STRING: "${want['sent:smtp']}"`);

    // systemctl stop: SIGTERM, a commit, exit 0
    $(['systemctl', 'stop', 'postfix-statsd']);
    expect($(['systemctl', 'show', '-p', 'Result', '-p', 'ExecMainStatus', 'postfix-statsd'])).toMatch(/^Result=success\nExecMainStatus=0\n?$/);
    // started again, dpkg -r's prerm stops it: no process of it is left
    $(['systemctl', 'start', 'postfix-statsd']);
    expect(active('postfix-statsd')).toBe('active');
    $(['dpkg', '-r', 'postfix-stats']);
    expect(active('postfix-statsd')).not.toBe('active');
    expect(b.run(['pgrep', '-u', uid]).stdout.trim()).toBe('');
    expect(existsSync(join(root, 'var/lib/postfix-stats/data.mdb'))).toBe(true);
    $(['dpkg', '-P', 'postfix-stats']);
    expect(existsSync(join(root, 'var/lib/postfix-stats'))).toBe(false);
  }, 300_000);
});
