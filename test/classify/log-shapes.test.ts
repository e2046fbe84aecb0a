// Line shapes of real Postfix logs that were once counted wrong, each as Postfix writes it (the C
// format named beside it), with the counters and report facts it must give.
import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/classify/queue.js';
import { NO_FILTERS } from '../../src/classify/classify.js';
import type { Fact } from '../../src/classify/facts.js';
import { classifyLine } from './line.js';

const T = 'Feb 20 03:26:16 mx';

function run(lines: string[]) {
  const counts: Record<string, number> = {};
  const facts: [string, string, string, Fact][] = [];
  const sink = {
    add: (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n),
    fact: (table: string, group: string, item: string, f: Fact) => void facts.push([table, group, item, f]),
  };
  const state = new QueueState(1000);
  for (const l of lines) classifyLine(state, l, sink, NO_FILTERS);
  return { counts, facts, state };
}
const factsOf = (r: ReturnType<typeof run>, table: string) => r.facts.filter((f) => f[0] === table).map((f) => [f[1], f[2]]);

describe('real Postfix line shapes', () => {
  it('a milter reply cleanup logs after DATA (rspamd, clamav-milter: cleanup_milter.c) is a reject of cleanup and of the SMTP session', () => {
    const r = run([
      `${T} postfix/smtpd[19155]: 0A618260345: client=unknown[192.168.5.100]`,
      `${T} postfix/cleanup[19158]: 0A618260345: milter-reject: END-OF-MESSAGE from unknown[192.168.5.100]: 5.7.1 Blocked by ClamAV - FOUND VIRUS: Eicar-Test-Signature; from=<a@domain.tld> to=<b@domain.tld> proto=ESMTP helo=<[192.168.5.100]>`,
      `${T} postfix/cleanup[19158]: 0B618260346: milter-reject: END-OF-MESSAGE from mail.sender.com[1.2.3.4]: 4.7.1 Greylisting in action, try again later; from=<s@sender.com> to=<d@example.com> proto=ESMTP helo=<mail.sender.com>`,
    ]);
    expect(r.counts).toEqual({ 'cleanup:5xx': 1, 'smtpd:5xx': 1, 'cleanup:4xx': 1, 'smtpd:4xx': 1 });
    expect(factsOf(r, 'rejects')).toEqual([
      ['END-OF-MESSAGE', 'Blocked by ClamAV - FOUND VIRUS: Eicar-Test-Signature'],
      ['END-OF-MESSAGE', 'Greylisting in action, try again later'],
    ]);
    expect(r.state.get('0A618260345')).toBeUndefined(); // never queued
  });

  it('a reject reason ends where the envelope starts, whichever of its parts the session had (smtpd_check.c log_whatsup)', () => {
    const r = run([
      `${T} postfix/smtpd[3462]: NOQUEUE: reject: EHLO from h.test[78.107.251.238]: 504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>`,
      `${T} postfix/smtpd[3465]: NOQUEUE: reject: MAIL from big.test[5.6.7.10]: 552 5.3.4 Message size exceeds fixed limit; proto=ESMTP helo=<big.test>`,
      `${T} postfix/smtpd[3466]: NOQUEUE: reject: MAIL from huge.test[5.6.7.30]: 552 5.3.4 Message size exceeds fixed limit; proto=ESMTP helo=<huge.test>`,
      `${T} postfix/smtpd[3467]: NOQUEUE: reject: CONNECT from bad.test[5.6.7.11]: 554 5.7.1 <bad.test[5.6.7.11]>: Client host rejected: Access denied; proto=SMTP`,
      `${T} postfix/smtpd[3474]: NOQUEUE: reject: VRFY from h.test[72.53.132.234]: 550 5.1.1 <root>: Recipient address rejected: User unknown in local recipient table; to=<root> proto=SMTP`,
      `${T} postfix/postscreen[1000]: NOQUEUE: reject: RCPT from [192.0.2.9]:4711: 450 4.3.2 Service currently unavailable; from=<s@x>, to=<r@x>, proto=ESMTP, helo=<c>`,
    ]);
    expect(factsOf(r, 'rejects')).toEqual([
      ['EHLO', 'Helo command rejected: need fully-qualified hostname'],
      ['MAIL', 'Message size exceeds fixed limit'],
      ['MAIL', 'Message size exceeds fixed limit'],
      ['CONNECT', 'Client host rejected: Access denied'],
      ['VRFY', 'Recipient address rejected: User unknown in local recipient table'],
      ['postscreen', 'Service currently unavailable'],
    ]);
  });

  it("postscreen's own refusals without a code are its 421, the pre-queue limit's without NOQUEUE (postscreen.c)", () => {
    const r = run([
      `${T} postfix/postscreen[1000]: NOQUEUE: reject: CONNECT from [1.2.3.4]:5678: too many connections`,
      `${T} postfix/postscreen[1000]: NOQUEUE: reject: CONNECT from [1.2.3.5]:5679: all server ports busy`,
      `${T} postfix/postscreen[1000]: reject: connect from [1.2.3.7]:5681: all screening ports busy`,
      `${T} postfix/postscreen[1000]: NOQUEUE: reject: CONNECT from [1.2.3.6]:5680: something else`,
    ]);
    expect(r.counts).toEqual({ 'postscreen:4xx': 3, 'smtpd:4xx': 3 });
    expect(factsOf(r, 'rejects')).toEqual([['postscreen', 'too many connections'], ['postscreen', 'all server ports busy'], ['postscreen', 'all screening ports busy']]);
  });

  it('a header check reject of sendmail -t mail has no to= yet (cleanup_act_log), and one in an SMTP session may end its envelope at proto=', () => {
    const r = run([
      `${T} postfix/cleanup[1102]: 6B2C3D4E5F: reject: header Subject: Viagra from local; from=<www-data@mx.test>: 5.7.1 message content rejected`,
      `${T} postfix/cleanup[1102]: 6B2C3D4E60: reject: body spam from c.test[192.0.2.1]; from=<s@x> to=<r@y> proto=ESMTP: 5.7.1 go away`,
    ]);
    expect(r.counts).toEqual({ 'cleanup:5xx': 2, 'smtpd:5xx': 1 });
    expect(factsOf(r, 'rejects')).toEqual([['header', 'message content rejected'], ['body', 'go away']]);
  });

  it('a header check WARN is a reject warning, not a program warning that would show the envelope', () => {
    const r = run([
      `${T} postfix/cleanup[1002]: 4F1A2B3C4D: warning: header Subject: cheap stuff from mail.sender.test[1.2.3.6]; from=<a@sender.test> to=<u@mx.test> proto=ESMTP helo=<mail.sender.test>: suspicious`,
      `${T} postfix/cleanup[1002]: 4F1A2B3C4E: warning: body cheap stuff from mail.sender.test[1.2.3.6]; from=<a@sender.test> to=<u@mx.test> proto=ESMTP helo=<mail.sender.test>`,
      `${T} postfix/cleanup[1002]: warning: hash:/etc/postfix/x is unavailable`,
    ]);
    expect(r.counts).toEqual({});
    expect(factsOf(r, 'rejectWarnings')).toEqual([['header', 'suspicious'], ['body', 'cheap stuff']]); // no reply text: the text checked
    expect(factsOf(r, 'warnings')).toEqual([['cleanup', 'hash:/etc/postfix/x is unavailable']]);
  });

  it('soft_bounce=yes: a SOFTBOUNCE is a deferral, with its server answer', () => {
    const r = run([
      `${T} postfix/smtp[1005]: 5A1A2B3C4D: to=<x@far.test>, relay=mail.far.test[9.9.9.9]:25, delay=39993, delays=35133/4859/0.58/0.71, dsn=4.7.1, status=SOFTBOUNCE (host mail.far.test[9.9.9.9] said: 501 5.7.1 <a@mx.test>... Sender refused (in reply to RCPT TO command))`,
    ]);
    expect(r.counts).toEqual({ 'deferred:smtp': 1, 'smtp:5xx': 1 });
    expect(factsOf(r, 'deferrals').map((f) => f[0])).toEqual(['smtp']);
  });

  it('a deferral qmgr logs itself (no delivery agent got the recipient) counts', () => {
    const r = run([
      `${T} postfix/qmgr[11039]: 06BD2F1C085: to=<administrator@serv2.example.com>, relay=none, delay=1329, delays=1328/1.1/0/0, dsn=4.3.0, status=deferred (unknown mail transport error)`,
    ]);
    expect(r.counts).toEqual({ 'deferred:qmgr': 1 });
    expect(factsOf(r, 'deferrals')).toEqual([['qmgr', 'unknown mail transport error']]);
  });

  it("local(8)'s forwarded as QID counts as sent but fills no recipient row: the copy's own delivery does", () => {
    const r = run([
      `${T} postfix/smtpd[1300]: 4A8D9E0F1A: client=client.test[10.0.0.5]`,
      `${T} postfix/qmgr[1003]: 4A8D9E0F1A: from=<ann@client.test>, size=3000, nrcpt=1 (queue active)`,
      `${T} postfix/local[1301]: 4A8D9E0F1A: to=<carl@mx.test>, relay=local, delay=0.3, delays=0.1/0/0/0.2, dsn=2.0.0, status=sent (forwarded as 7C8D9E0F1A)`,
      `${T} postfix/qmgr[1003]: 7C8D9E0F1A: from=<ann@client.test>, size=3100, nrcpt=1 (queue active)`,
      `${T} postfix/smtp[1303]: 7C8D9E0F1A: to=<carl@gmail.test>, orig_to=<carl@mx.test>, relay=gmail.test[1.1.1.1]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 OK)`,
    ]);
    expect(r.counts).toEqual({ 'recv:smtp': 1, 'sent:local': 1, 'forwarded:local': 1, 'sent:smtp': 1 });
    expect(factsOf(r, 'messages')).toEqual([['', 'forwarded']]);
    expect(r.facts.filter((f) => f[0] === 'recipientDomains').map((f) => [f[2], f[3].bytes])).toEqual([['gmail.test', 3100]]);
  });
});
