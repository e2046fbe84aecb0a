// The mail path end to end: postfix-stats-report --mail-to, handed to Postfix's real sendmail by the
// shell line of systemd/postfix-stats-report.service itself, delivered by a private Postfix instance's
// local(8) into a mailbox file, read back and compared with what the report printed.
//
// The instance follows fixtures/generate.sh: `postfix -c $T/conf`, with its own config, queue, data
// directory and mail spool under a temp dir $T. It has no smtpd or other listener at all (master.cf
// holds only pickup, cleanup, qmgr, trivial-rewrite, bounce, local and postlogd), every non-local
// destination is the error transport, and logging goes to $T/maillog (postlogd), not to syslog. The
// machine's own Postfix (/etc/postfix, /var/spool/postfix) is not started and not written.
//
// The unit calls `/usr/sbin/sendmail -t -i` with no -C: sendmail and postdrop read the default
// configuration directory, /etc/postfix. So each send runs in a private mount namespace (`unshare -m`)
// in which $T/conf is bind-mounted on /etc/postfix, as generate.sh does; the namespace, and the mount,
// end with the send. (Root could also use MAIL_CONFIG or -C; a non-root sender cannot: postdrop is
// setgid and accepts a non-default configuration directory only if the default main.cf lists it in
// alternate_config_directories.)
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, runOnce } from '../helpers/daemon.js';

const POSTFIX = '/usr/sbin/postfix';
const SENDMAIL = '/usr/sbin/sendmail';
const REPORT = resolve('dist/daemon/report.js');
const LOG = resolve('fixtures/logs/rfc3339.log');
const DAY = '2026-11-29';
const MYHOSTNAME = 'mx1.example.test';
/** The unit's default recipient: a local user every system has; local(8) delivers root's mail too. */
const RCPT = 'root';
/** Generous for a loaded 2-core machine; a delivery takes well under a second when idle. */
const DELIVERY_TIMEOUT_MS = 30_000;

const root = process.getuid?.() === 0;
const why = !root
  ? 'needs root (runs a private Postfix instance, mounts its config on /etc/postfix in a private namespace)'
  : !existsSync(POSTFIX)
    ? `needs Postfix (${POSTFIX} is missing; apt-get install postfix)`
    : null;

/** The shell command of the unit's ExecStart=/bin/sh -c '...', as sh receives it. */
function unitScript(): string {
  const text = readFileSync('systemd/postfix-stats-report.service', 'utf8');
  const m = /^ExecStart=\/bin\/sh -c '(.*)'$/m.exec(text);
  if (!m) throw new Error("ExecStart is not /bin/sh -c '...'");
  return m[1]!.replace(/\$\$/g, '$').replace(/%%/g, '%');
}

/** `s` with `from` replaced once; throws when the unit no longer says `from` (no silent no-op). */
function swap(s: string, from: string, to: string): string {
  if (!s.includes(from)) throw new Error(`the unit's ExecStart no longer contains ${JSON.stringify(from)}:\n${s}`);
  return s.replace(from, () => to);
}

interface Message { headers: Array<[string, string]>; body: string }

function header(m: Message, name: string): string[] {
  return m.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

/** Header block and body of an RFC 5322 message with LF line ends; folded headers unfolded. */
function parseMessage(text: string): Message {
  const at = text.indexOf('\n\n');
  if (at < 0) throw new Error(`no blank line after the header:\n${text.slice(0, 500)}`);
  const headers = text.slice(0, at).replace(/\n[ \t]+/g, ' ').split('\n').map((h): [string, string] => {
    const i = h.indexOf(':');
    return [h.slice(0, i), h.slice(i + 1).trim()];
  });
  return { headers, body: text.slice(at + 2) };
}

/**
 * The messages of an mbox file as local(8) writes it: each one starts with a "From sender date" line
 * and ends with an added empty line; a body line beginning with "From " is stored as ">From ".
 */
function parseMbox(text: string): Message[] {
  if (text === '') return [];
  if (!text.startsWith('From ')) throw new Error(`not an mbox file:\n${text.slice(0, 200)}`);
  return text.split(/^(?=From )/m).map((chunk) => {
    const lines = chunk.slice(chunk.indexOf('\n') + 1);
    if (!lines.endsWith('\n\n')) throw new Error(`mbox message not ended by an empty line:\n${chunk.slice(-200)}`);
    return parseMessage(lines.slice(0, -1));
  });
}

/** The section pflogsumm and the report call "Grand Totals", up to the per-hour table (text or HTML). */
const grandTotals = (s: string): string => {
  const a = s.indexOf('Grand Totals');
  const b = s.indexOf('Per-Hour', a);
  if (a < 0 || b < 0) throw new Error(`no Grand Totals section in:\n${s.slice(0, 500)}`);
  return s.slice(a, b);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(why !== null)(`the report mailed through Postfix's real sendmail into a local mailbox${why ? ` (skipped: ${why})` : ''}`, () => {
  let T = '';
  let conf = '';
  let db = '';
  let mailbox = '';
  let maillog = '';
  let started = false;
  let masterPid = 0;
  let sends = 0;

  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const diagnostics = () => `--- ${maillog}:\n${read(maillog)}\n--- ${mailbox}:\n${read(mailbox).slice(0, 3000)}`;

  /** Processes whose working directory is under $T: Postfix's daemons chdir to its queue_directory. */
  function ours(): number[] {
    const pids: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        if (readlinkSync(`/proc/${p}/cwd`).startsWith(T + '/')) pids.push(Number(p));
      } catch {
        // gone, or a kernel thread
      }
    }
    return pids;
  }

  function postfix(args: string[]): void {
    const r = spawnSync(POSTFIX, ['-c', conf, ...args], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`postfix -c ${conf} ${args.join(' ')}: exit ${r.status} ${r.signal ?? ''}\n${r.stdout}${r.stderr}\n${diagnostics()}`);
  }

  beforeAll(() => {
    T = mkdtempSync(join(tmpdir(), 'pfs-mail-'));
    // Postfix's daemons (user postfix) must reach their queue and data directories below $T.
    chmodSync(T, 0o755);
    conf = join(T, 'conf');
    const spool = join(T, 'spool');
    for (const d of [conf, join(T, 'queue'), join(T, 'data'), spool]) mkdirSync(d);
    chmodSync(spool, 0o1777);
    const pf = spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' });
    const pfGid = spawnSync('id', ['-g', 'postfix'], { encoding: 'utf8' });
    chownSync(join(T, 'data'), Number(pf.stdout), Number(pfGid.stdout));
    mailbox = join(spool, RCPT);
    maillog = join(T, 'maillog');
    writeFileSync(join(conf, 'main.cf'), `# private instance of test/report/mail-delivery.test.ts
compatibility_level = 3.6
queue_directory = ${T}/queue
data_directory = ${T}/data
mail_owner = postfix
setgid_group = postdrop
multi_instance_enable = no
myhostname = ${MYHOSTNAME}
mydomain = example.test
myorigin = $myhostname
mydestination = $myhostname, localhost
# no smtpd in master.cf: nothing listens; were one added, loopback only
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# no relaying anywhere: whatever is not local fails at once
relayhost =
default_transport = error:5.7.1 no relaying from this test instance
relay_transport = error:5.7.1 no relaying from this test instance
disable_dns_lookups = yes
# local(8) into ${spool}/USER, mbox format; no aliases, .forward or command
alias_maps =
alias_database =
local_recipient_maps = unix:passwd.byname
mail_spool_directory = ${spool}
home_mailbox =
mailbox_command =
forward_path =
biff = no
notify_classes =
maillog_file = ${maillog}
maillog_file_prefixes = ${T}
`);
    writeFileSync(join(conf, 'master.cf'), `# service type  private unpriv  chroot  wakeup  maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
local     unix  -       n       n       -       -       local
postlog   unix-dgram n  -       n       -       1       postlogd
`);
    db = join(T, 'db');
    const once = runOnce(LOG, db, ['--tz', 'UTC']);
    if (once.code !== 0) throw new Error(`postfix-statsd --once: exit ${once.code}\n${once.stderr}`);
    // `postfix start` checks the instance and returns once master runs (pid/master.pid).
    started = true;
    postfix(['start']);
    masterPid = Number(readFileSync(join(T, 'queue', 'pid', 'master.pid'), 'utf8').trim());
    if (!(masterPid > 0 && existsSync(`/proc/${masterPid}`))) throw new Error(`no master process after postfix start\n${diagnostics()}`);
  }, 90_000);

  afterAll(async () => {
    if (!T) return;
    try {
      if (started) {
        // (exit 1 if master is not running: then only the check below matters)
        spawnSync(POSTFIX, ['-c', conf, 'stop'], { encoding: 'utf8', timeout: 60_000 });
        // master ends its children and then itself: wait until master is gone and no process is
        // left in $T
        const deadline = Date.now() + 30_000;
        const alive = () => masterPid > 0 && existsSync(`/proc/${masterPid}`);
        while ((alive() || ours().length > 0) && Date.now() < deadline) await sleep(50);
        const left = [...new Set([...(alive() ? [masterPid] : []), ...ours()])];
        if (left.length > 0) {
          for (const p of left) {
            try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
          }
          throw new Error(`Postfix processes still running 30 s after postfix stop (killed): ${left.join(' ')}`);
        }
      }
    } finally {
      rmSync(T, { recursive: true, force: true });
    }
  }, 90_000);

  /**
   * The unit's ExecStart line with the paths of this checkout, this test's store and day, and then
   * Postfix's own sendmail as the unit calls it. `asUser`: sendmail runs as that user (runuser).
   * Returns the message the report wrote for sendmail (the unit's mktemp file, kept in its TMPDIR).
   */
  function sendAsUnit(opts: string, asUser?: string): string {
    let script = unitScript();
    // the packaged /usr/bin/postfix-stats-report is this checkout's report.js on this Node
    script = swap(script, '/usr/bin/postfix-stats-report', `${NODE} ${REPORT}`);
    script = swap(script, '--db /var/lib/postfix-stats', `--db ${db}`);
    script = swap(script, '--day yesterday', `--day ${DAY} --tz UTC`);
    script = swap(script, `${SENDMAIL} -t -i`, asUser ? `runuser -u ${asUser} -- ${SENDMAIL} -t -i` : `${SENDMAIL} -t -i`);
    const tmpd = join(T, `send-${++sends}`);
    mkdirSync(tmpd);
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', '/bin/sh', '-c',
      'mount --bind "$1" /etc/postfix && exec /bin/sh -c "$2"', 'sh', conf, script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TMPDIR: tmpd, POSTFIX_STATS_REPORT_TO: RCPT, POSTFIX_STATS_REPORT_OPTS: opts },
    });
    if (r.status !== 0) throw new Error(`the unit's line: exit ${r.status} ${r.signal ?? ''}\n${r.stderr}\n${diagnostics()}`);
    const files = readdirSync(tmpd);
    expect(files).toHaveLength(1);
    return readFileSync(join(tmpd, files[0]!), 'utf8');
  }

  /** Polls the mailbox until it holds `n` messages and local(8) has logged the n-th delivery. */
  async function waitForMessages(n: number): Promise<Message[]> {
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    for (;;) {
      const box = parseMbox(read(mailbox));
      // local(8) logs status=sent after the mailbox is written and closed: no half-written message
      const logged = (read(maillog).match(/ postfix\/local\[\d+\]: \w+: to=<[^>]*>.* status=sent \(delivered to mailbox\)/g) ?? []).length;
      if (box.length > n) throw new Error(`${box.length} messages in the mailbox, expected ${n}\n${diagnostics()}`);
      if (box.length === n && logged >= n) return box;
      if (Date.now() > deadline) throw new Error(`no delivery of message ${n} within ${DELIVERY_TIMEOUT_MS} ms\n${diagnostics()}`);
      await sleep(50);
    }
  }

  /** The report as printed to stdout without --mail-to, for the same store and day. */
  function printed(html: boolean): string {
    const r = spawnSync(NODE, [REPORT, '--db', db, '--day', DAY, '--tz', 'UTC', ...(html ? ['--html'] : [])], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`report: exit ${r.status}\n${r.stderr}`);
    return r.stdout;
  }

  function checkDelivered(got: Message, sentText: string, html: boolean, sender: string): void {
    const sent = parseMessage(sentText);
    expect(header(got, 'Subject')).toEqual([`Postfix stats for ${hostname()} ${DAY}`]);
    // cleanup(8) completes a bare local name with @$myorigin in the To: header of local submissions
    expect(header(got, 'To')).toEqual([`${RCPT}@${MYHOSTNAME}`]);
    expect(header(got, 'X-Original-To')).toEqual([RCPT]);
    expect(header(got, 'Delivered-To')).toEqual([`${RCPT}@${MYHOSTNAME}`]);
    expect(header(got, 'Content-Type')).toEqual([html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8']);
    expect(header(got, 'Content-Transfer-Encoding')).toEqual(['8bit']);
    expect(header(got, 'Return-Path')).toEqual([`<${sender}@${MYHOSTNAME}>`]);
    // every header the report wrote arrives unchanged, once, except To: (above); Postfix adds
    // Return-Path, X-Original-To, Delivered-To, Received and From
    for (const [k, v] of sent.headers) if (k !== 'To') expect(header(got, k), k).toEqual([v]);
    // the body byte for byte, with local(8)'s mbox quoting of "From " lines (none in a report)
    expect(got.body).toBe(sent.body.replace(/^From /gm, '>From '));
    expect(grandTotals(got.body)).toBe(grandTotals(printed(html)));
    expect(grandTotals(got.body)).toMatch(html ? />delivered</ : /^ +\d+ {3}delivered$/m);
  }

  it('the text report, as the unit sends it (root): one message, its headers, the report as body', async () => {
    const sent = sendAsUnit('');
    const box = await waitForMessages(1);
    checkDelivered(box[0]!, sent, false, 'root');
  });

  it('--html: a text/html message with the HTML report as body', async () => {
    const sent = sendAsUnit('--html');
    const box = await waitForMessages(2);
    checkDelivered(box[1]!, sent, true, 'root');
  });

  it('sendmail run by an unprivileged user (nobody): postdrop, setgid postdrop, queues it', async () => {
    const sent = sendAsUnit('', 'nobody');
    const box = await waitForMessages(3);
    checkDelivered(box[2]!, sent, false, 'nobody');
    // nothing bounced, deferred or left in the queue: exactly the three messages, all delivered
    const log = read(maillog);
    expect(log).not.toMatch(/status=(bounced|deferred|expired)/);
    expect(log).not.toMatch(/(fatal|panic|error):/);
  });
});
