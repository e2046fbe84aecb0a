// Bad input: the classifier and the daemon are fed what a hostile or broken log can hold (random
// bytes, invalid UTF-8, NULs, lines of megabytes, Postfix-like lines whose transport or service is
// hostile text, and tens of thousands of made-up transports and services). Nothing may throw, every
// key created must be a well-formed counter key, the key cap must hold, and the refused keys and
// lines must be counted in self:. End to end, the garbage must not disturb the real counts, and the
// daemon's memory must stay bounded. PFS_SEED replays a run.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/classify/queue.js';
import { step } from '../classify/oracle.js';
import { classifyLine } from '../classify/line.js';
import { Counters, SELF } from '../../src/counters/counters.js';
import { DAEMON, NODE, counters, mailCounters } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const KEY = /^(postfix[a-z0-9_.-]{1,32}\/)?[a-z0-9_.-]{1,32}(:[a-z0-9_.-]{1,32})?$/;
const LOGS = 'fixtures/logs';
const expected = JSON.parse(readFileSync(join(LOGS, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;
const fixture = (name: string) => readFileSync(join(LOGS, name), 'latin1').split('\n').filter((l) => l !== '');

const SEED = Number(process.env.PFS_SEED ?? Date.now() % 100_000);
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
}

/** n pseudo-random bytes from a seed (xorshift32), so a failing run can be replayed byte for byte. */
function randomBytes(n: number, seed = SEED): Buffer {
  const words = new Uint32Array(Math.ceil(n / 4));
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, n);
}

const T = 'Nov 22 02:43:13 mx1';
const pipe = (relay: string, qid = 'A1B2C3D4E5', detail = '(delivered via pipe service)') =>
  `${T} postfix/pipe[13]: ${qid}: to=<r@example.test>, relay=${relay}, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent ${detail}`;
const smtpDelivery = (service: string, qid = 'A1B2C3D4E5') =>
  `${T} postfix/${service}/smtp[13]: ${qid}: to=<r@example.test>, relay=mx.example[198.51.100.1]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 ok)`;
const received = (service: string, qid: string) => [
  `${T} postfix/${service}/smtpd[10]: ${qid}: client=client.example[192.0.2.1]`,
  `${T} postfix/qmgr[12]: ${qid}: from=<s@example.test>, size=512, nrcpt=1 (queue active)`,
];
const hexId = (i: number) => `F${i.toString(16).toUpperCase().padStart(9, '0')}`;

/**
 * A Counters behind a sink that checks every key the classifier asks for, and tracks that the number
 * of mail (non-self) keys never exceeds the cap at any moment, not only at the end.
 */
class CheckedSink {
  readonly counters: Counters;
  readonly malformed: string[] = [];
  readonly accepted = new Set<string>();
  refused = 0;
  mostKeys = 0;

  constructor(readonly maxKeys: number) {
    this.counters = new Counters(maxKeys);
  }

  add(key: string, n = 1): boolean {
    if (!KEY.test(key) && this.malformed.length < 20) this.malformed.push(JSON.stringify(key.slice(0, 100)));
    const ok = this.counters.add(key, n);
    if (!ok) this.refused++;
    else if (!key.startsWith('self:')) this.accepted.add(key);
    this.mostKeys = Math.max(this.mostKeys, this.accepted.size);
    return ok;
  }

  values(): Record<string, number> {
    this.counters.flush();
    return Object.fromEntries([...this.counters.entries()].map(([k, v]) => [k, Number(v)]));
  }

  mail(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.values()).filter(([k]) => !k.startsWith('self:')));
  }
}

/** Both classifiers over the same lines, each with its own state and sink: the oracle step(latin1), and tokenize + classify. */
function classifyBoth(lines: Buffer[], maxKeys = 50, queue = 1000) {
  const slow = new CheckedSink(maxKeys);
  const fast = new CheckedSink(maxKeys);
  const slowState = new QueueState(queue);
  const fastState = new QueueState(queue);
  for (const b of lines) {
    step(slowState, b.toString('latin1'), slow);
    classifyLine(fastState, b, fast);
  }
  return { slow, fast };
}

function expectSane(s: CheckedSink): void {
  expect(s.malformed, 'malformed keys created').toEqual([]);
  for (const k of Object.keys(s.values())) expect(k).toMatch(KEY);
  expect(s.mostKeys).toBeLessThanOrEqual(s.maxKeys);
  expect(Object.keys(s.mail()).length).toBeLessThanOrEqual(s.maxKeys);
  expect(s.values()['self:dropped_keys'] ?? 0).toBe(s.refused);
}

const INVALID_UTF8 = [
  [0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xe2, 0x82, 0x28], [0xf0, 0x28, 0x8c, 0xbc],
  [0xf8, 0xa1, 0xa1, 0xa1, 0xa1], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff], [0xf4, 0x90, 0x80, 0x80],
].map((b) => Buffer.from(b));

describe('fuzz: the classifier', () => {
  console.log(`fuzz: seed ${SEED} (replay with PFS_SEED=${SEED})`);

  it('survives 200k random-byte lines and mutated real lines (NULs, invalid UTF-8): well-formed keys only, the oracle and tokenize + classify agree', () => {
    const rand = rng(SEED);
    const pool = randomBytes(200_000 * 150, SEED);
    const lines: Buffer[] = [];
    let at = 0;
    for (let i = 0; i < 200_000; i++) {
      const n = rand(300);
      if (at + n > pool.length) at = 0;
      lines.push(pool.subarray(at, at + n));
      at += n;
    }
    // Real lines, each mutated a few ways: they get far deeper into the parser than random bytes do.
    const real = [...fixture('classic.log'), ...fixture('rfc3339.log'), ...fixture('maillog_file.log')].map((l) => Buffer.from(l, 'latin1'));
    for (const l of real) {
      for (let m = 0; m < 8; m++) {
        const b = Buffer.from(l);
        const p = rand(b.length);
        switch (m) {
          case 0: b[p] = rand(256); break;
          case 1: b[p] = 0; break;
          case 2: lines.push(Buffer.concat([b.subarray(0, p), INVALID_UTF8[rand(INVALID_UTF8.length)]!, b.subarray(p)])); continue;
          case 3: lines.push(b.subarray(0, p)); continue;
          case 4: b[p] = b[p]! ^ 0x20; break; // case flips: uppercase services and transports
          case 5: lines.push(Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + rand(20))])); continue;
          case 6: lines.push(Buffer.concat([b.subarray(0, p), Buffer.from(' '), b.subarray(p)])); continue;
          default: for (let k = 0; k < 4; k++) b[rand(b.length)] = rand(256);
        }
        lines.push(b);
      }
      lines.push(l);
    }
    const { slow, fast } = classifyBoth(lines, 50);
    expectSane(slow);
    expectSane(fast);
    expect(fast.values()).toEqual(slow.values());
    // The unmutated real lines are in there too: something was counted.
    expect(Object.keys(fast.mail()).length).toBeGreaterThan(10);
    // And the oracle over text decoded as UTF-8 (replacement characters) is as safe.
    const utf8 = new CheckedSink(50);
    const state = new QueueState(1000);
    for (const b of lines) step(state, b.toString('utf8'), utf8);
    expectSane(utf8);
  });

  it("reads the report's reject reasons of hostile megabyte lines (a CR inside, envelope look-alikes) in bounded time", () => {
    const mb = 1 << 20;
    const lines = [
      `${T} postfix/smtpd[10]: NOQUEUE: reject: RCPT from h[1.2.3.4]: 550 5.1.1 ${'; to=<'.repeat(mb / 6)}\r x`,
      `${T} postfix/cleanup[11]: A1B2C3D4E5: reject: header ${'; from=<>: 550 '.repeat(mb / 16)}\r x`,
      `${T} postfix/cleanup[11]: A1B2C3D4E6: warning: header ${'; from=<>: 550 '.repeat(mb / 16)}\r x`,
      `${T} postfix/cleanup[11]: A1B2C3D4E7: reject: header ${' from x'.repeat(mb / 7)}; from=<a> to=<b>: 5.7.1 no`,
      `${T} postfix/cleanup[11]: A1B2C3D4E8: reject: header x from y${'; from=<'.repeat(mb / 8)}`,
    ];
    const facts: string[] = [];
    const sink = { add: () => undefined, fact: (table: string) => void facts.push(table) };
    const t0 = Date.now();
    for (const l of lines) classifyLine(new QueueState(10), Buffer.from(l, 'latin1'), sink);
    const ms = Date.now() - t0;
    // one regular expression over a whole 64 KiB line of these took 0.3-0.7 s (quadratic): minutes at 1 MiB
    console.log(`fuzz: ${lines.length} hostile reject lines of 1 MiB with their facts in ${ms} ms`);
    expect(ms).toBeLessThan(10_000);
    expect(facts.length).toBeGreaterThan(0);
  });

  it('classifies lines of several megabytes in bounded time, making no key of their text', () => {
    const mb = 4 << 20;
    const big = 'x'.repeat(mb);
    const lines = [
      randomBytes(mb, SEED + 2),
      Buffer.from(`${T} postfix/smtp[13]: A1B2C3D4E5: to=<${big}`, 'latin1'),
      Buffer.from(pipe(`r${big}`), 'latin1'), // a 4 MB transport: refused as a key
      Buffer.from(`${T} postfix/smtp[13]: A1B2C3D4E5: to=<r@x>, relay=a, ${'a=b, '.repeat(mb / 5)}`, 'latin1'),
      Buffer.from(`${T} postfix/smtpd[10]: NOQUEUE: reject: ${'a from b: '.repeat(mb / 10)}`, 'latin1'),
      Buffer.from(`${T} postfix/cleanup[11]: A1B2C3D4E5: reject: ${'; from=<a> to=<b> proto=x'.repeat(mb / 27)}`, 'latin1'),
      Buffer.from(`${'a '.repeat(mb / 2)}postfix/smtp[13]: A1B2C3D4E5: to=<r@x>, relay=a, status=sent (ok)`, 'latin1'),
      Buffer.from(`${T} postfix/${'s'.repeat(mb)}/smtp[13]: A1B2C3D4E5: to=<r@x>, relay=a, status=sent (ok)`, 'latin1'),
      Buffer.from(`${T} postfix/smtp[${'1'.repeat(mb)}]: A1B2C3D4E5: to=<r@x>, relay=a, status=sent (ok)`, 'latin1'),
      Buffer.from(`${T} postfix/smtp[13]: A1B2C3D4E5: host ${big} said: 550 no`, 'latin1'),
      Buffer.alloc(mb, 0),
      Buffer.alloc(mb, 0xff),
    ];
    const t0 = Date.now();
    const { slow, fast } = classifyBoth(lines, 50);
    const ms = Date.now() - t0;
    console.log(`fuzz: ${lines.length} lines of 4 MB classified twice in ${ms} ms`);
    expect(ms).toBeLessThan(10_000);
    for (const s of [slow, fast]) {
      expectSane(s);
      // The 4 MB pipe transport is refused; the 4 MB host name in a well-formed 550 answer is no key.
      expect(s.values()).toEqual({ 'self:bad_keys': 1, 'smtp:5xx': 1 });
    }
  });

  it('refuses hostile transport and service names as keys, counting each in self:bad_keys', () => {
    const hostileRelays = ['../../x', '..', '.', 'foo bar', 'FOO', 'Local', 'a:b', 'x'.repeat(33), '', 'a/b', 'ünï', 'tab\there', '$(reboot)', 'a\\b', 'self:lines'];
    const hostileServices = ['SUBMISSION', 'Relay', 's'.repeat(33), 'a'.repeat(64)];
    const lines: string[] = [];
    let bad = 0;
    for (const r of hostileRelays) lines.push(pipe(r)), bad++;
    hostileServices.forEach((s, i) => {
      lines.push(...received(s, hexId(i)));
      lines.push(smtpDelivery(s));
      lines.push(`${T} postfix/${s}/smtp[13]: A1B2C3D4E5: host mx.example[198.51.100.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)`);
      bad += 3;
    });
    // Names the header grammar refuses outright: never a key, not even a bad one.
    lines.push(smtpDelivery('.hidden'), smtpDelivery('-x'), `${T} postfix/ /smtp[13]: A1B2C3D4E5: to=<r@x>, relay=a, status=sent (ok)`);
    const { slow, fast } = classifyBoth(lines.map((l) => Buffer.from(l, 'utf8')), 50);
    for (const s of [slow, fast]) {
      expectSane(s);
      expect(s.values()).toEqual({ 'self:bad_keys': bad });
    }
  });

  it("lets no service name write into the daemon's own self: counters or past the cap (a service named `self`)", () => {
    // `postfix/self/smtp` is a well-formed tag and `self` a valid name, but `${transport}:5xx` then
    // reads `self:5xx`: a key in the daemon's namespace, which the cap exempts.
    const lines = [
      pipe('first'), // takes the only key the cap allows
      `${T} postfix/self/smtp[13]: A1B2C3D4E5: host mx.example[198.51.100.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)`,
      `${T} postfix/self/smtp[13]: A1B2C3D4E5: to=<r@example.test>, relay=mx.example[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=4.7.1, status=deferred (host mx.example[198.51.100.1] said: 450 4.7.1 try later (in reply to RCPT TO command))`,
      `${T} postfix/self/lmtp[13]: A1B2C3D4E5: host lmtp.example[198.51.100.2] said: 452 4.2.2 full (in reply to RCPT TO command)`,
    ];
    const known = new Set<string>(Object.values(SELF));
    const { slow, fast } = classifyBoth(lines.map((l) => Buffer.from(l)), 1);
    for (const s of [slow, fast]) {
      const keys = Object.keys(s.values());
      expect(keys.filter((k) => k.startsWith('self:') && !known.has(k)), 'self: keys made from log text').toEqual([]);
      expect(keys.filter((k) => !known.has(k))).toEqual(['sent:first']);
    }
  });

  it('caps 10,000 fake pipe transports and 10,000 fake smtpd services at 50 keys, counting every refused one', () => {
    const lines: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      const n = String(i).padStart(4, '0');
      lines.push(Buffer.from(pipe(`t${n}`)));
      for (const l of received(`s${n}`, hexId(i))) lines.push(Buffer.from(l));
    }
    const { slow, fast } = classifyBoth(lines, 50, 100);
    for (const s of [slow, fast]) {
      expectSane(s);
      const mail = s.mail();
      expect(Object.keys(mail).length).toBe(50);
      // First come, first kept: t0000, s0000, t0001, s0001, ... each counted once.
      expect(mail['sent:t0000']).toBe(1);
      expect(mail['recv:s0024']).toBe(1);
      expect(mail['sent:t0025']).toBeUndefined();
      expect(s.values()['self:dropped_keys']).toBe(20_000 - 50);
      expect(s.values()['self:bad_keys']).toBeUndefined();
    }
    expect(fast.values()).toEqual(slow.values());
  });
});

/** Peak resident set of a finished child, from GNU time's report. */
function peakRssMiB(timeReport: string): number {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeReport);
  if (!m) throw new Error(`no peak RSS in: ${timeReport.slice(-2000)}`);
  return Number(m[1]) / 1024;
}

describe('fuzz: the daemon end to end', () => {
  it('counts the real lines exactly through 50 MB of garbage, a 5 MB line and 10,000 fake transports, capped, in bounded memory', () => {
    if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed to measure peak RSS: apt-get install -y time');
    const rand = rng(SEED + 1);
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const maxLine = 65_536;
    const maxKeys = 100;
    const real = fixture('classic.log');
    const fd = openSync(log, 'w');
    let terminated = 0;
    let longLines = 0;
    let nulLines = 0;
    let garbageBytes = 0;
    const line = (b: Buffer, garbage = true) => {
      writeSync(fd, b);
      writeSync(fd, '\n');
      terminated++;
      if (garbage) garbageBytes += b.length + 1;
      if (b.length > maxLine) longLines++;
      else if (b.includes(0)) nulLines++;
    };

    // 50 MB of random-byte lines (no newline inside: the test decides where lines end), spread
    // between the real lines.
    const noise = randomBytes(50 << 20, SEED + 3);
    for (let i = 0; i < noise.length; i++) if (noise[i] === 10) noise[i] = 11;
    let at = 0;
    const noiseLines = (bytes: number) => {
      const stop = Math.min(noise.length, at + bytes);
      while (at < stop) {
        const n = Math.min(1 + rand(400), stop - at);
        line(noise.subarray(at, at + n));
        at += n;
      }
    };
    // Lines that would be counted (as a key of their own) if the daemon did not skip them.
    const wouldCount = (relay: string, pad = 0) => Buffer.from(pipe(relay, 'A1B2C3D4E5', `(${'p'.repeat(pad)})`), 'latin1');
    const padTo = (relay: string, size: number) => wouldCount(relay, size - wouldCount(relay).length);
    // Between any two real lines: one of these, then random-byte lines.
    const special: Buffer[] = [
      Buffer.concat([wouldCount('nulline'), Buffer.from([0])]), // a NUL: a bad line, not sent:nulline
      Buffer.concat([Buffer.from(pipe('nul2').slice(0, 40)), Buffer.from([0]), Buffer.from(pipe('nul2').slice(40))]),
      Buffer.alloc(100, 0),
      Buffer.concat(INVALID_UTF8),
      Buffer.from(pipe('../../x')), // hostile transports: bad keys
      Buffer.from(pipe('FOO BAR')),
      Buffer.from(pipe('\xff\xfe'), 'latin1'), // invalid UTF-8 as a transport
      Buffer.concat([Buffer.from(pipe('latin1', 'A1B2C3D4E5', ''), 'latin1'), Buffer.from([0xc3, 0x28, 0xff, 0x29])]), // counted: sent:latin1
    ];
    const used = special.map(() => 0);
    // Once each, at a third, half and two thirds of the real lines.
    const once = new Map<number, Buffer>([
      [Math.floor(real.length / 3), padTo('edgefits', maxLine)], // exactly --max-line bytes: counted
      [Math.floor(real.length / 2), wouldCount('hugeline', 5 << 20)], // 5 MB: skipped, never held whole
      [Math.floor((2 * real.length) / 3), padTo('edgelong', maxLine + 1)], // one byte more: skipped
    ]);
    const extra: Record<string, number> = { 'sent:edgefits': 1 };

    const perGap = Math.floor((noise.length * 0.8) / real.length);
    real.forEach((l, i) => {
      line(Buffer.from(l, 'latin1'), false);
      const j = i % special.length;
      line(special[j]!);
      used[j]!++;
      const o = once.get(i);
      if (o) line(o);
      noiseLines(perGap);
    });
    extra['sent:latin1'] = used[7]!;
    // 10,000 made-up transports, each a complete delivery line that would be a key without the cap.
    for (let i = 0; i < 10_000; i++) {
      line(Buffer.from(pipe(`t${String(i).padStart(4, '0')}`)));
      if (i % 10 === 0) noiseLines(1000);
    }
    noiseLines(noise.length);
    writeSync(fd, Buffer.from([0xc3, 0x28, 0x41, 0x42])); // no newline at the end of the file
    closeSync(fd);
    expect(at).toBe(noise.length);

    const r = spawnSync('/usr/bin/time', ['-v', NODE, DAEMON, '--once', '--log', log, '--db', db, '--max-keys', String(maxKeys), '--max-line', String(maxLine), '--log-level', 'warn'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(r.status, r.stderr).toBe(0);
    const rss = peakRssMiB(r.stderr);
    const all = counters(db);
    const self = (k: string) => Number(all[`self:${k}`] ?? 0n);
    console.log(
      `fuzz: daemon read ${(garbageBytes / 2 ** 20).toFixed(1)} MiB of garbage lines and ${real.length} real ones: ` +
        `peak RSS ${rss.toFixed(1)} MiB; self:lines ${self('lines')}, bad_lines ${self('bad_lines')} (${longLines} long, ${nulLines} with NUL), ` +
        `bad_keys ${self('bad_keys')}, dropped_keys ${self('dropped_keys')}`,
    );
    expect(rss).toBeLessThan(300);

    const mail = mailCounters(db);
    const fake = Object.keys(mail).filter((k) => /^sent:t\d{4}$/.test(k));
    const kept = maxKeys - Object.keys(expected['classic.log']!).length - Object.keys(extra).length;
    // The real counts, untouched by the garbage; the cap filled by the first fake transports only.
    const rest = Object.fromEntries(Object.entries(mail).filter(([k]) => !fake.includes(k)));
    expect(rest).toEqual({ ...expected['classic.log'], ...extra });
    expect(fake.length).toBe(kept);
    expect(fake.every((k) => Number(k.slice(6)) < kept && mail[k] === 1)).toBe(true);
    expect(Object.keys(all).length).toBeLessThanOrEqual(maxKeys + Object.keys(all).filter((k) => k.startsWith('self:')).length);
    expect(self('dropped_keys')).toBe(10_000 - kept);
    for (const k of Object.keys(all)) expect(k).toMatch(KEY);

    expect(self('bad_lines')).toBe(longLines + nulLines);
    expect(longLines).toBe(2);
    expect(nulLines).toBeGreaterThan(used[0]! + used[1]! + used[2]!); // and the random lines that hold one
    expect(self('bad_keys')).toBe(used[4]! + used[5]! + used[6]!);
    // Every complete line but the skipped over-long ones went through the classifier; the
    // unterminated last one is not complete.
    expect(self('lines')).toBe(terminated - longLines);
  });
});
