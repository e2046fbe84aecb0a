// Postfix multi-instance (postmulti): a second instance logs with its own syslog name
// (`postfix-out/smtp[..]`). Its counts go to the totals and to its own keys; its queue ids and smtpd
// processes are its own, however the default instance's look.
import { describe, expect, it } from 'vitest';
import { NO_FILTERS, type ClassifyOptions } from '../../src/classify/classify.js';
import { QueueState } from '../../src/classify/queue.js';
import { classifyLine } from './line.js';
import { step } from './oracle.js';

const at = (host: string, tag: string, msg: string) => `2026-11-29T10:00:00.000000+00:00 ${host} ${tag}: ${msg}`;
const T = (tag: string, msg: string) => at('mx1', tag, msg);

/** A message received by the smtpd of syslog name `name` and delivered by its smtp. */
const message = (name: string, qid: string, rcpt = 'r@example.test') => [
  T(`${name}/smtpd[100]`, `${qid}: client=c.example[192.0.2.1]`),
  T(`${name}/qmgr[200]`, `${qid}: from=<s@example.test>, size=100, nrcpt=1 (queue active)`),
  T(`${name}/smtp[300]`, `${qid}: to=<${rcpt}>, relay=mx.example[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)`),
  T(`${name}/qmgr[200]`, `${qid}: removed`),
];

function count(lines: string[], opts: ClassifyOptions = NO_FILTERS) {
  const got: Record<string, number> = {};
  const sink = { add: (k: string, n = 1) => (got[k] = (got[k] ?? 0) + n) };
  const state = new QueueState(1000);
  for (const l of lines) classifyLine(state, l, sink, opts);
  // the oracle reads the same lines the same way
  const oracle: Record<string, number> = {};
  const oState = new QueueState(1000);
  for (const l of lines) step(oState, l, { add: (k: string, n = 1) => (oracle[k] = (oracle[k] ?? 0) + n) }, opts);
  expect(oracle).toEqual(got);
  return got;
}

describe('classify: a postmulti instance', () => {
  it('counts postfix-out lines to the plain keys (the totals) and to postfix-out/ keys', () => {
    const got = count([
      ...message('postfix', 'AAAAAA1'),
      ...message('postfix-out', 'BBBBBB2'),
      T('postfix-out/submission/smtpd[101]', 'CCCCCC3: client=c.example[192.0.2.1]'),
      T('postfix-out/qmgr[200]', 'CCCCCC3: from=<s@example.test>, size=100, nrcpt=1 (queue active)'),
      T('postfix-out/smtpd[102]', 'NOQUEUE: reject: RCPT from c.example[192.0.2.1]: 554 5.7.1 <u@blocked.test>: Recipient address rejected; from=<s@x> to=<u@blocked.test> proto=ESMTP helo=<c>'),
      T('postfix-out/cleanup[103]', 'DDDDDD4: hold: header Subject: x from c.example[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP helo=<c>: fixture hold'),
    ]);
    expect(got).toEqual({
      'recv:smtp': 2, 'sent:smtp': 2, 'recv:submission': 1, 'smtpd:5xx': 1, held: 1,
      'postfix-out/recv:smtp': 1, 'postfix-out/sent:smtp': 1, 'postfix-out/recv:submission': 1,
      'postfix-out/smtpd:5xx': 1, 'postfix-out/held': 1,
    });
  });

  it('keys a syslog name in lower case (Postfix\'s are case-sensitive, keys are not)', () => {
    expect(count(message('postfix-OUT', 'BBBBBB2'))).toEqual({
      'recv:smtp': 1, 'sent:smtp': 1, 'postfix-out/recv:smtp': 1, 'postfix-out/sent:smtp': 1,
    });
  });

  it('keeps queue state per instance: one queue id in two instances, interleaved, is two messages', () => {
    const a = message('postfix', '4F2A1B3C');
    const b = message('postfix-out', '4F2A1B3C');
    // client= of both, then both queue-active lines, deliveries, removals
    const lines = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!, a[3]!, b[3]!];
    expect(count(lines)).toEqual({
      'recv:smtp': 2, 'sent:smtp': 2, 'postfix-out/recv:smtp': 1, 'postfix-out/sent:smtp': 1,
    });
  });

  it('keeps smtpd processes\' NOQUEUE marks per instance: one pid in two instances', () => {
    const hold = (name: string, qid: string) => [
      T(`${name}/smtpd[500]`, 'NOQUEUE: hold: RCPT from c.example[192.0.2.1]: <u@accesshold.test>: Recipient address held; from=<s@x> to=<u@accesshold.test> proto=SMTP helo=<c>'),
      T(`${name}/smtpd[500]`, `${qid}: client=c.example[192.0.2.1]`),
    ];
    const bye = (name: string, data: string) => T(`${name}/smtpd[500]`, `disconnect from c.example[192.0.2.1] helo=1 mail=1 rcpt=1 ${data}quit=1 commands=5`);
    const [h1, h2] = hold('postfix', 'AAAAAA1');
    const [o1, o2] = hold('postfix-out', 'BBBBBB2');
    // the default instance's client quits after RCPT (no message); postfix-out's sends DATA
    expect(count([h1!, o1!, h2!, o2!, bye('postfix-out', 'data=1 '), bye('postfix', '')])).toEqual({
      'recv:smtp': 1, held: 1, 'postfix-out/recv:smtp': 1, 'postfix-out/held': 1,
    });
  });

  it('with --per-host: the plain key, @host, instance/ and instance/...@host', () => {
    const lines = [...message('postfix-out', 'AAAAAA1'), ...message('postfix', 'AAAAAA1')];
    const got = count(lines.map((l) => l.replace(' mx1 ', ' MX2 ')), { ...NO_FILTERS, stateByHost: true });
    // (classifyLine counts to one sink: the @host keys are the pipeline's PerHost, test/pipeline/instance)
    expect(got['postfix-out/recv:smtp']).toBe(1);
    expect(got['recv:smtp']).toBe(2);
  });

  it('--filter-service postfix-out/smtp keeps the hop between instances out of recv', () => {
    // postfix relays to postfix-out over SMTP (127.0.0.1:10026): one message, received twice
    const hop = [
      T('postfix/smtpd[100]', 'AAAAAA1: client=c.example[192.0.2.1]'),
      T('postfix/qmgr[200]', 'AAAAAA1: from=<s@example.test>, size=100, nrcpt=1 (queue active)'),
      T('postfix/smtp[300]', 'AAAAAA1: to=<r@out.test>, relay=127.0.0.1[127.0.0.1]:10026, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as BBBBBB2)'),
      T('postfix-out/smtpd[101]', 'BBBBBB2: client=localhost[127.0.0.1]'),
      T('postfix-out/qmgr[201]', 'BBBBBB2: from=<s@example.test>, size=100, nrcpt=1 (queue active)'),
      T('postfix-out/smtp[301]', 'BBBBBB2: to=<r@out.test>, relay=mx.example[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)'),
    ];
    expect(count(hop)).toEqual({
      'recv:smtp': 2, 'sent:smtp': 2, 'postfix-out/recv:smtp': 1, 'postfix-out/sent:smtp': 1,
    });
    const filtered = { filterRelays: new Set(['127.0.0.1:10026']), filterServices: new Set(['postfix-out/smtp']) };
    expect(count(hop, filtered)).toEqual({ 'recv:smtp': 1, 'sent:smtp': 1, 'postfix-out/sent:smtp': 1 });
    // the plain name is the default instance's service: it leaves postfix-out's receptions alone
    expect(count(hop, { ...filtered, filterServices: new Set(['smtp']) })).toEqual({
      'recv:smtp': 1, 'sent:smtp': 1, 'postfix-out/recv:smtp': 1, 'postfix-out/sent:smtp': 1,
    });
  });
});
