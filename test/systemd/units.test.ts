import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const systemdDir = resolve(here, '../../systemd');
const unitText = readFileSync(join(systemdDir, 'postfix-statsd.service'), 'utf8');
const UNIT = 'postfix-statsd.service';

// Measured with systemd 252: 1.2. Dropping the syscall filter (2.7) or the
// empty capability set (2.9) goes over; smaller losses are caught by the
// directive list below, not by the score.
const MAX_EXPOSURE = 2.0;

interface Run { status: number | null; stdout: string; stderr: string }

function run(cmd: string, args: string[], input?: string): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, env: { ...process.env, SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function have(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
}

const isRoot = process.getuid?.() === 0;
let work = '';

beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'pfs-systemd-')); });
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

/** The packaged executable the units run (a symlink to /usr/lib/postfix-stats/postfix-stats). */
const DAEMON_BIN = '/usr/sbin/postfix-statsd';
const REPORT_BIN = '/usr/bin/postfix-stats-report';

// verify insists that ExecStart's binary exists; point it at this node so only the unit's own
// content is judged.
function writeUnit(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, UNIT);
  // (a unit whose ExecStart a test already changed keeps it)
  writeFileSync(path, text.includes(`ExecStart=${DAEMON_BIN} `) ? withExecStart(text, process.execPath) : text);
  return path;
}

/** The unit with ExecStart's executable (the packaged DAEMON_BIN) replaced by `bin`. */
function withExecStart(text: string, bin: string): string {
  const re = new RegExp(`^ExecStart=${DAEMON_BIN} `, 'm');
  if (!re.test(text)) throw new Error(`ExecStart does not run ${DAEMON_BIN}`);
  return text.replace(re, `ExecStart=${bin} `);
}

function verify(text: string, name: string): Run & { ownLines: string[] } {
  const r = run('systemd-analyze', ['verify', '--man=no', writeUnit(join(work, name), text)]);
  // verify exits 0 on unknown keys and bad values; it only warns. So our
  // verdict also requires that nothing it printed mentions our unit.
  const ownLines = (r.stdout + r.stderr).split('\n').filter((l) => l.includes(UNIT));
  return { ...r, ownLines };
}

function exposure(text: string, name: string): number {
  const r = run('systemd-analyze', ['security', '--offline=yes', writeUnit(join(work, name), text)]);
  const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(r.stdout + r.stderr);
  if (!m) throw new Error(`no exposure level in output:\n${r.stdout}\n${r.stderr}`);
  return Number(m[1]);
}

describe.skipIf(!have('systemd-analyze'))('postfix-statsd.service', () => {
  it('passes systemd-analyze verify with exit 0 and no message about the unit', () => {
    const r = verify(unitText, 'shipped');
    expect(r.ownLines).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a misspelled directive is reported by verify against our unit', () => {
    const r = verify(unitText.replace('ProtectHome=yes', 'ProtectHomee=yes'), 'typo');
    expect(r.ownLines.join('\n')).toMatch(/Unknown key 'ProtectHomee'/);
  });

  it('a missing ExecStart binary makes verify exit non-zero', () => {
    const r = verify(withExecStart(unitText, '/nonexistent/postfix-statsd'), 'nobinary');
    expect(r.status).not.toBe(0);
  });

  it(`has an offline security exposure below ${MAX_EXPOSURE}`, () => {
    expect(exposure(unitText, 'security')).toBeLessThan(MAX_EXPOSURE);
  });

  it('an unhardened unit with the same ExecStart scores above the threshold', () => {
    const bare = unitText.split('\n').filter((l) => /^(\[|Exec|User=|Group=|Environment)/.test(l)).join('\n');
    expect(exposure(bare, 'bare')).toBeGreaterThan(MAX_EXPOSURE);
  });

  it('keeps the directives that file access and the JIT depend on', () => {
    for (const line of [
      'User=postfix-stats', 'Group=postfix-stats', 'SupplementaryGroups=adm', 'StateDirectory=postfix-stats',
      'UMask=0077', 'StateDirectoryMode=0755', 'ProtectSystem=strict', 'MemoryDenyWriteExecute=no', 'KillSignal=SIGTERM',
      'Restart=on-failure', 'WantedBy=multi-user.target', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    ]) expect(unitText.split('\n')).toContain(line);
  });

  it('uses only variables that the example EnvironmentFile defines', () => {
    const execStart = /^ExecStart=(.*)$/m.exec(unitText)?.[1] ?? '';
    const used = [...execStart.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1]);
    const defaults = readFileSync(join(systemdDir, 'postfix-statsd.default'), 'utf8');
    const defined = [...defaults.matchAll(/^(\w+)=/gm)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((v) => !defined.includes(v))).toEqual([]);
  });

  it('StateDirectoryMode matches the tmpfiles mode, so systemd does not warn at start', () => {
    const unitMode = /^StateDirectoryMode=(\d+)$/m.exec(unitText)?.[1];
    const tmpfiles = readFileSync(join(systemdDir, 'postfix-stats.tmpfiles'), 'utf8');
    const tmpMode = /^d \/var\/lib\/postfix-stats\s+(\d+)/m.exec(tmpfiles)?.[1];
    expect(unitMode).toBe('0755');
    expect(tmpMode).toBe(unitMode);
  });
});

// A fake root holding the accounts a Debian host with snmpd already has.
function fakeRoot(name: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/sysusers.d'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/tmpfiles.d'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nDebian-snmp:x:103:107::/var/lib/snmp:/bin/false\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nadm:x:4:\nDebian-snmp:x:107:\n');
  return root;
}

function groupMembers(root: string, group: string): string[] {
  const line = readFileSync(join(root, 'etc/group'), 'utf8').split('\n').find((l) => l.startsWith(`${group}:`));
  return (line?.split(':')[3] ?? '').split(',').filter(Boolean);
}

describe.skipIf(!have('systemd-sysusers') || !isRoot)('postfix-stats.sysusers and .tmpfiles', () => {
  it('creates the user and puts it in adm, and gives snmpd\'s user Debian-snmp no group', () => {
    const root = fakeRoot('sysusers');
    writeFileSync(join(root, 'usr/lib/sysusers.d/postfix-stats.conf'), readFileSync(join(systemdDir, 'postfix-stats.sysusers')));
    const r = run('systemd-sysusers', [`--root=${root}`]);
    expect(r.stderr).not.toMatch(/ignoring|unknown|invalid/i);
    expect(r.status).toBe(0);
    const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
    expect(passwd).toMatch(/^postfix-stats:x:\d+:\d+:[^:]*:\/var\/lib\/postfix-stats:\S*nologin$/m);
    expect(groupMembers(root, 'adm')).toContain('postfix-stats');
    expect(groupMembers(root, 'postfix-stats')).toEqual([]);
    const groups = readFileSync(join(root, 'etc/group'), 'utf8').split('\n').filter((l) => l.split(':')[3]?.split(',').includes('Debian-snmp'));
    expect(groups, 'groups listing Debian-snmp as a member').toEqual([]);
  });

  it('a malformed sysusers line makes systemd-sysusers fail', () => {
    const root = fakeRoot('sysusers-bad');
    const r = run('systemd-sysusers', [`--root=${root}`, '-'], 'x postfix-stats -\n');
    expect(r.status).not.toBe(0);
  });

  it.skipIf(!have('systemd-tmpfiles'))('tmpfiles creates the state directory 0755 (no setgid) owned by postfix-stats', () => {
    const root = fakeRoot('tmpfiles');
    writeFileSync(join(root, 'usr/lib/sysusers.d/postfix-stats.conf'), readFileSync(join(systemdDir, 'postfix-stats.sysusers')));
    writeFileSync(join(root, 'usr/lib/tmpfiles.d/postfix-stats.conf'), readFileSync(join(systemdDir, 'postfix-stats.tmpfiles')));
    expect(run('systemd-sysusers', [`--root=${root}`]).status).toBe(0);
    const r = run('systemd-tmpfiles', [`--root=${root}`, '--create']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const dir = join(root, 'var/lib/postfix-stats');
    expect(existsSync(dir)).toBe(true);
    const st = statSync(dir);
    const uid = /^postfix-stats:x:(\d+):(\d+):/m.exec(readFileSync(join(root, 'etc/passwd'), 'utf8'));
    expect((st.mode & 0o7777).toString(8)).toBe('755');
    expect(String(st.uid)).toBe(uid?.[1]);
    expect(String(st.gid)).toBe(uid?.[2]);
  });
});

// The daily report: a oneshot service and its timer.
const REPORT = 'postfix-stats-report.service';
const TIMER = 'postfix-stats-report.timer';
const reportText = readFileSync(join(systemdDir, REPORT), 'utf8');
const timerText = readFileSync(join(systemdDir, TIMER), 'utf8');
// Settings after which systemd forces NoNewPrivileges for a non-root user (systemd.exec(5), 252).
const IMPLY_NNP = ['DynamicUser', 'LockPersonality', 'MemoryDenyWriteExecute', 'PrivateDevices', 'ProtectClock', 'ProtectHostname',
  'ProtectKernelLogs', 'ProtectKernelModules', 'ProtectKernelTunables', 'RestrictAddressFamilies', 'RestrictNamespaces',
  'RestrictRealtime', 'RestrictSUIDSGID', 'SystemCallArchitectures', 'SystemCallFilter', 'SystemCallLog'];
// Measured with systemd 252: 5.0. Without NoNewPrivileges and the settings implying it (postdrop is
// setgid) it cannot reach the daemon's 1.2; this catches a lost ProtectSystem or PrivateNetwork.
const REPORT_MAX_EXPOSURE = 5.5;

function writeReportUnits(name: string, service: string, timer = timerText): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, REPORT), service.replace(REPORT_BIN, process.execPath));
  writeFileSync(join(dir, TIMER), timer);
  return dir;
}

function verifyReport(name: string, service: string, timer = timerText): Run & { ownLines: string[] } {
  const dir = writeReportUnits(name, service, timer);
  const r = run('systemd-analyze', ['verify', '--man=no', join(dir, REPORT), join(dir, TIMER)]);
  const ownLines = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('postfix-stats-report'));
  return { ...r, ownLines };
}

/** The shell command of ExecStart=/bin/sh -c '...', as sh receives it. */
function reportScript(text: string): string {
  const m = /^ExecStart=\/bin\/sh -c '(.*)'$/m.exec(text);
  if (!m) throw new Error('ExecStart is not /bin/sh -c \'...\'');
  return m[1]!.replace(/\$\$/g, '$').replace(/%%/g, '%');
}

describe.skipIf(!have('systemd-analyze'))('postfix-stats-report.service and .timer', () => {
  it('pass systemd-analyze verify with exit 0 and no message about either unit', () => {
    const r = verifyReport('report', reportText);
    expect(r.ownLines).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('a misspelled timer directive is reported by verify', () => {
    const r = verifyReport('report-typo', reportText, timerText.replace('Persistent=true', 'Persistant=true'));
    expect(r.ownLines.join('\n')).toMatch(/Unknown key 'Persistant'/);
  });

  it('the timer fires daily at 00:10 local time, catches up after downtime, with a small random delay', () => {
    const lines = timerText.split('\n');
    for (const l of ['OnCalendar=*-*-* 00:10:00', 'Persistent=true', 'WantedBy=timers.target']) expect(lines).toContain(l);
    const delay = /^RandomizedDelaySec=(\d+)min$/m.exec(timerText);
    expect(Number(delay?.[1])).toBeLessThanOrEqual(10);
    const cal = run('systemd-analyze', ['calendar', '*-*-* 00:10:00']);
    // No zone in the normalized form: the machine's local time.
    expect(cal.stdout).toMatch(/Normalized form: \*-\*-\* 00:10:00\n/);
  });

  it('is a oneshot run as postfix-stats, mailing yesterday\'s report from the daemon\'s history', () => {
    const lines = reportText.split('\n');
    for (const l of ['Type=oneshot', 'User=postfix-stats', 'Group=postfix-stats', 'ProtectSystem=strict', 'PrivateTmp=yes',
      'ReadWritePaths=-/var/spool/postfix/maildrop', 'NoNewPrivileges=no']) expect(lines).toContain(l);
    expect(reportScript(reportText)).toMatch(/\/usr\/bin\/postfix-stats-report --db \/var\/lib\/postfix-stats --day yesterday --mail-to "\$POSTFIX_STATS_REPORT_TO"/);
  });

  it('sets nothing that forces NoNewPrivileges: postdrop, which sendmail runs, is setgid postdrop', () => {
    const set = reportText.split('\n').map((l) => /^(\w+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => m![1]!);
    expect(set.filter((k) => IMPLY_NNP.includes(k))).toEqual([]);
  });

  it(`has an offline security exposure below ${REPORT_MAX_EXPOSURE}`, () => {
    const dir = writeReportUnits('report-security', reportText);
    const r = run('systemd-analyze', ['security', '--offline=yes', join(dir, REPORT)]);
    const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(r.stdout + r.stderr);
    expect(Number(m?.[1])).toBeLessThan(REPORT_MAX_EXPOSURE);
  });
});

describe('postfix-stats-report.service: its shell line', () => {
  // The unit's own command, with node and sendmail swapped for scripts that record what they got.
  function runScript(reportExit: number): { status: number | null; sendmailArgs: string; mailed: string | null } {
    const dir = mkdtempSync(join(work || tmpdir(), 'report-sh-'));
    const fakeNode = join(dir, 'node');
    const fakeSendmail = join(dir, 'sendmail');
    writeFileSync(fakeNode, `#!/bin/sh\necho "$@" > ${dir}/node-args\n[ ${reportExit} -eq 0 ] || exit ${reportExit}\nprintf 'To: %s\\n\\n.\\nline\\n' "$POSTFIX_STATS_REPORT_TO"\n`, { mode: 0o755 });
    writeFileSync(fakeSendmail, `#!/bin/sh\necho "$@" > ${dir}/sendmail-args\ncat > ${dir}/mailed\n`, { mode: 0o755 });
    const script = reportScript(reportText).replace(REPORT_BIN, fakeNode).replace('/usr/sbin/sendmail', fakeSendmail);
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', TMPDIR: dir, POSTFIX_STATS_REPORT_TO: 'postmaster@example.test', POSTFIX_STATS_REPORT_OPTS: '-h 5 --html' } });
    const read = (f: string): string | null => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
    expect(read('node-args')).toMatch(/--mail-to postmaster@example\.test -h 5 --html/);
    return { status: r.status, sendmailArgs: read('sendmail-args') ?? '', mailed: read('mailed') };
  }

  it('a report that succeeds goes whole to sendmail -t -i', () => {
    const r = runScript(0);
    expect(r.status).toBe(0);
    expect(r.sendmailArgs.trim()).toBe('-t -i');
    expect(r.mailed).toBe('To: postmaster@example.test\n\n.\nline\n');
  });

  it('a report that fails (74, damaged history) mails nothing and fails the unit with its code', () => {
    const r = runScript(74);
    expect(r.status).toBe(74);
    expect(r.mailed).toBeNull();
  });
});
