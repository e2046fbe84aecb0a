import { describe, expect, it } from 'vitest';
import { MAX_MARKS, QueueState, type Entry } from '../../src/classify/queue.js';
import { NO_FILTERS, type ClassifyOptions } from '../../src/classify/classify.js';
import { classifyLine } from './line.js';

const T = 'Nov 22 02:43:13 mx1';

function count(lines: string[], opts: ClassifyOptions = NO_FILTERS, state = new QueueState(1000)) {
  const got: Record<string, number> = {};
  const sink = { add: (k: string, n = 1) => (got[k] = (got[k] ?? 0) + n) };
  for (const l of lines) classifyLine(state, l, sink, opts);
  return got;
}

const smtpIn = (qid: string, tag = 'postfix/smtpd') => [
  `${T} ${tag}[10]: ${qid}: client=client.example[192.0.2.1]`,
  `${T} postfix/cleanup[11]: ${qid}: message-id=<${qid}@example>`,
];
const active = (qid: string) => `${T} postfix/qmgr[12]: ${qid}: from=<s@example.test>, size=512, nrcpt=1 (queue active)`;
const removed = (qid: string) => `${T} postfix/qmgr[12]: ${qid}: removed`;
const delivery = (tag: string, qid: string, relay: string, status: string, detail: string) =>
  `${T} ${tag}[13]: ${qid}: to=<r@example.test>, relay=${relay}, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=${status} ${detail}`;

describe('classify: received', () => {
  it('counts a message once when it enters the active queue, although a retry logs from= again', () => {
    expect(count([...smtpIn('1A2B3C4D5E'), active('1A2B3C4D5E'), active('1A2B3C4D5E')])).toEqual({ 'recv:smtp': 1 });
  });

  it('names the service from the syslog name and counts sendmail pickups as local', () => {
    const got = count([
      ...smtpIn('AAAAAA1', 'postfix/submission/smtpd'), active('AAAAAA1'),
      `${T} postfix/pickup[9]: BBBBBB2: uid=0 from=<root>`, active('BBBBBB2'),
    ]);
    expect(got).toEqual({ 'recv:submission': 1, 'recv:local': 1 });
  });

  it('does not count a message cleanup rejected, and counts the reject as smtpd and cleanup 5xx', () => {
    const got = count([
      ...smtpIn('CCCCCC3'),
      `${T} postfix/cleanup[11]: CCCCCC3: reject: header Subject: 450 trick from client.example[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP helo=<c>: 5.7.1 message content rejected`,
    ]);
    expect(got).toEqual({ 'cleanup:5xx': 1, 'smtpd:5xx': 1 });
  });

  it('does not count a client that vanished before the end of DATA', () => {
    expect(count([...smtpIn('DDDDDD4'), `${T} postfix/smtpd[10]: lost connection after DATA from client.example[192.0.2.1]`])).toEqual({});
  });

  it('counts held and discarded messages as received, once each', () => {
    const got = count([
      ...smtpIn('EEEEEE5'),
      `${T} postfix/cleanup[11]: EEEEEE5: hold: header Subject: hold-me from c[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP helo=<c>`,
      active('EEEEEE5'), // released later with postsuper -H
      ...smtpIn('FFFFFF6'),
      `${T} postfix/cleanup[11]: FFFFFF6: discard: header Subject: discard-me from c[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP helo=<c>`,
    ]);
    expect(got).toEqual({ 'recv:smtp': 2, held: 1, discarded: 1 });
  });

  it('counts a reused queue id again after removed', () => {
    expect(count([...smtpIn('ABCDEF7'), active('ABCDEF7'), removed('ABCDEF7'), ...smtpIn('ABCDEF7'), active('ABCDEF7')])).toEqual({ 'recv:smtp': 2 });
  });

  it('accepts long queue ids (enable_long_queue_ids)', () => {
    expect(count([...smtpIn('4Q1kQm0Lz4z9vDr'), active('4Q1kQm0Lz4z9vDr')])).toEqual({ 'recv:smtp': 1 });
  });

  it('does not count the re-injection of a content filter as a second message', () => {
    const opts = { filterRelays: new Set(['127.0.0.1:10024']), filterServices: new Set(['reinject']) };
    const got = count([
      ...smtpIn('AAAAAA8'), active('AAAAAA8'),
      delivery('postfix/smtp', 'AAAAAA8', '127.0.0.1[127.0.0.1]:10024', 'sent', '(250 2.0.0 Ok, queued as BBBBBB9)'),
      ...smtpIn('BBBBBB9', 'postfix/reinject/smtpd'), active('BBBBBB9'),
      delivery('postfix/smtp', 'BBBBBB9', 'mx.example[198.51.100.1]:25', 'sent', '(250 ok)'),
    ], opts);
    expect(got).toEqual({ 'recv:smtp': 1, 'sent:smtp': 1 });
  });
});

describe('classify: deliveries', () => {
  it('names the transport by service, program, or the pipe relay', () => {
    const got = count([
      delivery('postfix/smtp', 'A00001', 'mx[198.51.100.1]:25', 'sent', '(250 ok)'),
      delivery('postfix/relay/smtp', 'A00002', 'mx[198.51.100.1]:25', 'sent', '(250 ok)'),
      delivery('postfix/local', 'A00003', 'local', 'sent', '(delivered to mailbox)'),
      delivery('postfix/virtual', 'A00004', 'virtual', 'sent', '(delivered to maildir)'),
      delivery('postfix/lmtp', 'A00005', '127.0.0.1[127.0.0.1]:24', 'sent', '(250 2.0.0 ok)'),
      delivery('postfix/pipe', 'A00006', 'legal', 'sent', '(delivered via legal service)'),
      delivery('postfix/discard', 'A00007', 'none', 'sent', '(discard.test)'),
    ]);
    expect(got).toEqual({ 'sent:smtp': 1, 'sent:relay': 1, 'sent:local': 1, 'sent:virtual': 1, 'sent:lmtp': 1, 'sent:legal': 1, 'sent:discard': 1 });
  });

  it('counts 4xx and 5xx answers of remote servers whether the recipient was deferred or bounced', () => {
    const got = count([
      delivery('postfix/smtp', 'A00001', 'mx[198.51.100.1]:25', 'deferred', '(host mx[198.51.100.1] said: 451 4.3.0 try later (in reply to RCPT TO command))'),
      delivery('postfix/smtp', 'A00002', 'mx[198.51.100.1]:25', 'bounced', '(host mx[198.51.100.1] said: 550 5.1.1 unknown (in reply to RCPT TO command))'),
      delivery('postfix/smtp', 'A00003', 'mx[198.51.100.1]:25', 'deferred', '(host mx[198.51.100.1] refused to talk to me: 421 busy)'),
      delivery('postfix/smtp', 'A00004', 'none', 'deferred', '(connect to mx[198.51.100.1]:25: Connection refused)'),
      `${T} postfix/smtp[13]: A00005: host mx1[198.51.100.1] refused to talk to me: 421 4.7.0 busy`,
      delivery('postfix/lmtp', 'A00006', '127.0.0.1[127.0.0.1]:24', 'deferred', '(host 127.0.0.1[127.0.0.1] said: 452 4.2.2 full (in reply to RCPT TO command))'),
    ]);
    expect(got).toEqual({ 'deferred:smtp': 3, 'bounced:smtp': 1, 'smtp:4xx': 3, 'smtp:5xx': 1, 'deferred:lmtp': 1, 'lmtp:4xx': 1 });
  });

  it('counts expired messages', () => {
    expect(count([`${T} postfix/qmgr[12]: A00001: from=<s@x>, status=expired, returned to sender`])).toEqual({ expired: 1 });
  });
});

describe('classify: answers to clients', () => {
  it('counts NOQUEUE and queue-id rejects, postscreen apart, and not reject_warning', () => {
    const got = count([
      `${T} postfix/smtpd[10]: NOQUEUE: reject: RCPT from c[192.0.2.1]: 450 4.7.1 <r@x>: Recipient address rejected: later; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/smtpd[10]: A00001: reject: RCPT from c[192.0.2.1]: 554 5.7.1 <r@x>: Relay access denied; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/postscreen[14]: NOQUEUE: reject: RCPT from [192.0.2.9]:4711: 550 5.7.1 Service unavailable; client [192.0.2.9] blocked using zen.example; from=<s@x>, to=<r@x>, proto=ESMTP, helo=<c>`,
      `${T} postfix/smtpd[10]: NOQUEUE: reject_warning: RCPT from c[192.0.2.1]: 554 5.7.1 <r@x>: Relay access denied; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
      `${T} postfix/smtpd[10]: A00002: milter-reject: END-OF-MESSAGE from c[192.0.2.1]: 5.7.1 Spam; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`,
    ]);
    expect(got).toEqual({ 'smtpd:4xx': 1, 'smtpd:5xx': 3, 'postscreen:5xx': 1 });
  });

  it('counts a cleanup reject of a sendmail submission as cleanup only', () => {
    const got = count([`${T} postfix/cleanup[11]: A00001: reject: header Subject: x from local; from=<root@mx1> to=<r@x>: 5.7.1 message content rejected`]);
    expect(got).toEqual({ 'cleanup:5xx': 1 });
  });
});

describe('classify: hostile text', () => {
  it('creates no key from a transport name that is not a plain short name', () => {
    const got = count([
      delivery('postfix/pipe', 'A00001', '../../x', 'sent', '(x)'),
      delivery('postfix/pipe', 'A00002', 'A'.repeat(40), 'sent', '(x)'),
      delivery('postfix/pipe', 'A00003', 'Legal', 'sent', '(x)'),
    ]);
    expect(got).toEqual({ 'self:bad_keys': 3 });
  });

  it('ignores lines of other programs that quote Postfix text', () => {
    expect(count([`${T} evil: postfix/smtp[1]: A00001: to=<a@b>, relay=x, delay=1, dsn=2.0.0, status=sent (ok)`])).toEqual({});
  });
});

describe('classify: access-map HOLD/DISCARD logged before the queue file exists', () => {
  const smtpd = (pid: number, text: string, tag = 'postfix/smtpd') => `${T} ${tag}[${pid}]: ${text}`;
  const noqueue = (pid: number, action: 'hold' | 'discard', tag?: string) =>
    smtpd(pid, `NOQUEUE: ${action}: RCPT from c[192.0.2.1]: <r@x>: Recipient address ${action}; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`, tag);
  const connect = (pid: number, tag?: string) => smtpd(pid, 'connect from c[192.0.2.1]', tag);
  const disconnect = (pid: number, stats: string, tag?: string) => smtpd(pid, `disconnect from c[192.0.2.1] ${stats}`, tag);
  const client = (pid: number, qid: string, tag?: string) => smtpd(pid, `${qid}: client=c[192.0.2.1]`, tag);
  const cleanupHold = (qid: string) => `${T} postfix/cleanup[11]: ${qid}: hold: header Subject: x from c[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP helo=<c>`;

  it('counts the message the same smtpd process queues next as held or discarded, and received, once', () => {
    const got = count([
      connect(20), noqueue(20, 'hold'), client(20, 'A11111'), cleanupHold('A11111'), disconnect(20, 'ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'),
      connect(21), noqueue(21, 'discard'), client(21, 'B22222'), disconnect(21, 'ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'),
      active('A11111'), // released later with postsuper -H
    ]);
    expect(got).toEqual({ 'recv:smtp': 2, held: 1, discarded: 1 });
  });

  it('counts nothing when the client quits after RCPT or vanishes during DATA', () => {
    const got = count([
      connect(20), noqueue(20, 'hold'), client(20, 'A11111'), disconnect(20, 'ehlo=1 mail=1 rcpt=1 quit=1 commands=4'),
      connect(20), noqueue(20, 'discard'), client(20, 'B22222'),
      smtpd(20, 'lost connection after DATA (827 bytes) from c[192.0.2.1]'), disconnect(20, 'ehlo=1 mail=1 rcpt=1 data=0/1 commands=3/4'),
    ]);
    expect(got).toEqual({});
  });

  it('does not carry a hold over to a later session of the same process', () => {
    const got = count([
      connect(20), noqueue(20, 'hold'), smtpd(20, 'NOQUEUE: reject: RCPT from c[192.0.2.1]: 554 5.7.1 <r@x>: Relay access denied; from=<s@x> to=<r@x> proto=ESMTP helo=<c>'),
      disconnect(20, 'ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4'),
      connect(20), client(20, 'C33333'), disconnect(20, 'ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'), active('C33333'),
      // a disconnect never logged (the process was killed): the next connect ends the mark too
      noqueue(20, 'discard'), client(20, 'D44444'), connect(20), client(20, 'E55555'), disconnect(20, 'data=1 commands=5'), active('E55555'),
    ]);
    expect(got).toEqual({ 'smtpd:5xx': 1, 'recv:smtp': 2 });
  });

  it('keeps each process of each service apart, and marks only the first message of a session', () => {
    const sub = 'postfix/submission/smtpd';
    const got = count([
      noqueue(30, 'hold'), noqueue(30, 'discard', sub), connect(31),
      client(31, 'F66666'), client(30, 'A77777', sub), client(30, 'B88888'),
      disconnect(31, 'data=1 commands=5'),
      client(30, 'C99999'), // the next transaction of the session: the first one was accepted, this one is not held
      disconnect(30, 'ehlo=1 mail=2 rcpt=2 data=2 quit=1 commands=8'), disconnect(30, 'data=1 commands=5', sub),
      active('C99999'), active('F66666'),
    ]);
    expect(got).toEqual({ 'recv:smtp': 3, 'recv:submission': 1, held: 1, discarded: 1 });
  });

  it('counts across a restart between the lines: the pending mark is persisted with the queue state', () => {
    const before = new QueueState(1000);
    expect(count([connect(20), noqueue(20, 'hold'), client(20, 'A11111')], NO_FILTERS, before)).toEqual({});
    const after = new QueueState(1000);
    after.restore(JSON.parse(JSON.stringify([...before.all()])) as [string, Entry][]);
    expect(count([disconnect(20, 'data=1 commands=5'), active('A11111')], NO_FILTERS, after)).toEqual({ 'recv:smtp': 1, held: 1 });
  });

  it('bounds the pending marks of processes whose session end was never logged', () => {
    const state = new QueueState(100_000);
    count(Array.from({ length: MAX_MARKS + 5 }, (_, i) => noqueue(1000 + i, 'hold')), NO_FILTERS, state);
    expect([...state.all()]).toHaveLength(MAX_MARKS);
    expect(state.evictions).toBe(5);
  });

  it('counts a session without statistics (Postfix before 3.0) as accepted', () => {
    expect(count([noqueue(20, 'discard'), client(20, 'A11111'), smtpd(20, 'disconnect from c[192.0.2.1]')])).toEqual({ 'recv:smtp': 1, discarded: 1 });
  });
});

describe('classify: force-expired and CRLF', () => {
  it('counts a message returned by postsuper -e as expired, and as expired:force', () => {
    expect(count([`${T} postfix/qmgr[12]: A00001: from=<s@x>, status=force-expired, returned to sender`])).toEqual({ expired: 1, 'expired:force': 1 });
  });

  it('counts CRLF lines exactly as LF lines', () => {
    const lines = [
      ...smtpIn('1A2B3C4D5E'), active('1A2B3C4D5E'),
      delivery('postfix/smtp', '1A2B3C4D5E', 'mx[198.51.100.1]:25', 'sent', '(250 ok)'),
      delivery('postfix/smtp', '1A2B3C4D5E', 'mx[198.51.100.1]:25', 'deferred', '(host mx[198.51.100.1] said: 451 4.3.0 later (in reply to RCPT TO command))'),
    ];
    const want = { 'recv:smtp': 1, 'sent:smtp': 1, 'deferred:smtp': 1, 'smtp:4xx': 1 };
    expect(count(lines)).toEqual(want);
    expect(count(lines.map((l) => `${l}\r`))).toEqual(want);
  });
});
