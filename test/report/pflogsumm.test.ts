// Checked against Debian's pflogsumm on the real-Postfix fixtures: Grand Totals label by label.
// Every number is equal except the ones below, and each of those differs by exactly what its cause
// accounts for, counted from the log here with a plain regex, independently of the classifier.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmp } from '../helpers/tmp.js';
import { runOnce } from '../helpers/daemon.js';

const REPORT = 'dist/daemon/report.js';
const LOGS = ['classic.log', 'rfc3339.log', 'maillog_file.log'];

/** `label → number` of a Grand Totals section (pflogsumm's k/m suffixes are not reached by the fixtures). */
function grandTotals(text: string): Record<string, number> {
  const start = text.indexOf('Grand Totals\n');
  const end = text.indexOf('\n\n\n', start);
  const out: Record<string, number> = {};
  for (const m of text.slice(start, end).matchAll(/^ +(\d+)  ? ?([a-z][a-z/ ]*?)(?: +\(.*)?$/gm)) out[m[2]!] = Number(m[1]);
  return out;
}

function pflogsumm(log: string): string {
  const r = spawnSync('/usr/sbin/pflogsumm', [log], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function report(args: string[]): string {
  const r = spawnSync(process.execPath, [REPORT, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/**
 * The fixture without its second Postfix instance: pflogsumm reads one syslog name per run
 * (--syslog-name, default postfix) and would not see postfix-out's lines that the report counts.
 */
function defaultInstanceOnly(name: string): string {
  const lines = readFileSync(join('fixtures/logs', name), 'latin1').split('\n');
  const kept = lines.filter((l) => !/ postfix-[^/ ]+\//.test(l));
  expect(kept.length).toBeLessThan(lines.length); // the fixture has a second instance to leave out
  const out = join(tmp(), name);
  writeFileSync(out, kept.join('\n'), 'latin1');
  return out;
}

/** Independent counts of the causes, from the log text. */
function causes(log: string) {
  const text = readFileSync(log, 'latin1');
  const ids = (re: RegExp) => new Set([...text.matchAll(re)].map((m) => m[1]!));
  const Q = '[0-9A-Za-z]+';
  const origins = ids(new RegExp(`postfix/(?:[\\w-]+/)?(?:smtpd|pickup)\\[\\d+\\]: (${Q}): (?:client|uid)=`, 'g'));
  const queued = ids(new RegExp(`postfix/qmgr\\[\\d+\\]: (${Q}): from=.*\\(queue active\\)`, 'g'));
  const heldOrDiscarded = ids(new RegExp(`\\]: (${Q}): (?:hold|discard): `, 'g'));
  const rejected = ids(new RegExp(`postfix/cleanup\\[\\d+\\]: (${Q}): (?:milter-)?reject: `, 'g'));
  const finished = ids(new RegExp(`postfix/cleanup\\[\\d+\\]: (${Q}): message-id=`, 'g'));
  return {
    // pflogsumm counts every client=/uid= line; postfix-stats a message that entered the queue (or was
    // held or discarded): not one cleanup refused, nor one whose client never finished sending it
    neverQueued: [...origins].filter((q) => !queued.has(q) && !heldOrDiscarded.has(q) && (rejected.has(q) || !finished.has(q))).length,
    // cleanup refusing a sendmail(1) submission logs it as bounced too: postfix-stats counts it as a reject only
    cleanupBounces: (text.match(/postfix\/cleanup\[\d+\]: [0-9A-Za-z]+: to=<[^>]*>, .*status=bounced/g) ?? []).length,
    // pflogsumm counts every hold line; a NOQUEUE hold whose client then quit held no message
    holdLines: (text.match(/\]: (?:NOQUEUE|[0-9A-Za-z]+): hold: /g) ?? []).length,
  };
}

describe('the report against pflogsumm', () => {
  it.each(LOGS)('%s: Grand Totals equal pflogsumm, but for the differences the README explains', (name) => {
    const log = defaultInstanceOnly(name);
    const ours = grandTotals(report(['--addresses', log]));
    const theirs = grandTotals(pflogsumm(log));
    const c = causes(log);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    const explained = new Set(['received', 'bounced', 'held', 'rejected', 'discarded']);
    for (const label of Object.keys(theirs)) if (!explained.has(label)) expect([label, ours[label]]).toEqual([label, theirs[label]]);
    expect(theirs.received! - ours.received!).toBe(c.neverQueued);
    expect(theirs.bounced! - ours.bounced!).toBe(c.cleanupBounces);
    expect(ours.held).toBeLessThan(theirs.held!);
    expect(theirs.held).toBe(c.holdLines);
    // printed as `N rejected (P%)`: the number itself is equal, the percentages follow pflogsumm's formula
    expect(ours.rejected).toBe(theirs.rejected);
    expect(ours.discarded).toBe(theirs.discarded);
  });

  it('prints the Grand Totals and domain lines in pflogsumm\'s columns: the same line for the same numbers', () => {
    const log = defaultInstanceOnly('classic.log');
    const theirs = pflogsumm(log).split('\n');
    const ours = report(['--addresses', log]).split('\n');
    const same = ['delivered', 'bytes received', 'sending hosts/domains', 'forwarded', 'rejected'].map((label) => {
      const line = theirs.find((l) => new RegExp(`^ +\\d+[km]? +${label}( |$)`).test(l));
      expect(line, label).toBeDefined();
      return line!;
    });
    for (const l of same) expect(ours).toContain(l);
    expect(ours.find((l) => l.startsWith(' sent cnt'))).toBe(theirs.find((l) => l.startsWith(' sent cnt')));
    const okTest = theirs.find((l) => / ok\.test$/.test(l) && /\d s /.test(l));
    expect(okTest).toBeDefined();
    expect(ours).toContain(okTest);
  });

  it('a UTF-8 recipient domain (SMTPUTF8, IDN): pflogsumm\'s numbers, and the domain itself where pflogsumm lowers its bytes one by one', () => {
    const log = defaultInstanceOnly('classic.log');
    writeFileSync(log, readFileSync(log, 'utf8').replace(/to=<([^@>]*)@ok\.test>/g, 'to=<$1@Müller.test>'), 'utf8');
    // pflogsumm lower-cases bytes: the first byte of Ü's UTF-8 (0xC3) becomes 0xE3, and the name is no longer UTF-8
    const r = spawnSync('/usr/sbin/pflogsumm', [log], { encoding: 'latin1' });
    expect(r.status, r.stderr).toBe(0);
    const theirs = r.stdout.split('\n').find((l) => / m\xe3\xbcller\.test$/.test(l) && /\d s /.test(l));
    expect(theirs).toBeDefined();
    const ours = report([log]).split('\n').find((l) => / müller\.test$/.test(l) && /\d s /.test(l));
    expect(ours).toBeDefined();
    expect(ours!.replace(/ müller\.test$/, '')).toBe(theirs!.replace(/ m\xe3\xbcller\.test$/, ''));
  });

  it('a sender without a domain (a bounce from a remote host, local mail) is counted by its client, as pflogsumm counts it', () => {
    // each message as Postfix logs it (the fixtures' layout); the fixtures' own null-sender mail is
    // Postfix's bounces, which no client sent and neither report counts among Messages Received
    const message = (i: number, origin: string, sender: string): string[] => {
      const qid = `4A${i}B0C1D2E`;
      const t = `Nov 29 10:0${i}:00 mx1`;
      return [
        origin === 'pickup' ? `${t} postfix/pickup[200]: ${qid}: uid=0 from=<${sender}>` : `${t} postfix/smtpd[100]: ${qid}: client=${origin}`,
        `${t} postfix/cleanup[101]: ${qid}: message-id=<${i}@mx1.test>`,
        `${t} postfix/qmgr[102]: ${qid}: from=<${sender}>, size=${1000 + i}, nrcpt=1 (queue active)`,
        `${t} postfix/local[103]: ${qid}: to=<user@mx1.test>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)`,
        `${t} postfix/qmgr[102]: ${qid}: removed`,
      ];
    };
    const log = join(tmp(), 'bounces.log');
    const lines = [
      message(1, 'mail-out.relay.example.co.uk[192.0.2.7]', ''),
      message(2, 'MX1.Example.ORG[192.0.2.10]', ''),
      message(3, 'mx2.example.org[192.0.2.9]', ''),
      message(4, 'unknown[192.0.2.8]', ''),
      message(5, 'mx.example.net[2001:db8::25]', 'MAILER-DAEMON'),
      message(6, 'pickup', ''),
      message(7, 'pickup', 'root'),
      message(8, 'mx.example.net[192.0.2.11]', 'someone@ok.test'),
    ].flat();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const theirs = pflogsumm(log);
    const ours = report(['--addresses', log]);
    const t = grandTotals(theirs), o = grandTotals(ours);
    expect([o.senders, o['sending hosts/domains']]).toEqual([t.senders, t['sending hosts/domains']]);
    expect(t['sending hosts/domains']).toBe(7); // example.co.uk, example.org, 192.0.2.8, example.net, from=<>, root, ok.test
    // the rows of Messages Received: message count by domain
    const received = (text: string) => {
      const start = text.indexOf('Host/Domain Summary: Messages Received');
      expect(start).toBeGreaterThan(0);
      const rows = text.slice(start, text.indexOf('\n\n\n', start)).split('\n').filter((l) => /^ +\d+ +\d+[km]? +\S+$/.test(l));
      return rows.map((l) => l.trim().split(/ +/)).map((f) => `${f[2]} ${f[0]}`).sort();
    };
    expect(received(ours)).toEqual(received(theirs));
    expect(received(ours)).toContain('example.org 2');
  });

  it('gives the same report from the daemon\'s store as from the log file it read', () => {
    const dir = tmp();
    const db = join(dir, 'db');
    const log = 'fixtures/logs/rfc3339.log';
    expect(runOnce(log, db, ['--tz', 'UTC', '--addresses']).code).toBe(0);
    const fromStore = spawnSync(process.execPath, [REPORT, '--db', db, '--day', '2026-11-29', '--tz', 'UTC'], { encoding: 'utf8' });
    const fromLog = spawnSync(process.execPath, [REPORT, '--day', '2026-11-29', '--tz', 'UTC', '--addresses', log], { encoding: 'utf8' });
    expect(fromStore.status, fromStore.stderr).toBe(0);
    expect(fromLog.status, fromLog.stderr).toBe(0);
    // all but the header, which names the input
    const body = (s: string) => s.slice(s.indexOf('Grand Totals'), s.indexOf('Not in these numbers'));
    expect(body(fromStore.stdout)).toEqual(body(fromLog.stdout));
    expect(body(fromStore.stdout)).toContain('Senders by message count');
  });
});
