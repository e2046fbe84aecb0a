// A journal source hands over records whose fields come from journal fields (SYSLOG_IDENTIFIER,
// _PID, MESSAGE), with no syslog line behind them: the classifier must count such records exactly as
// it counts the same events read from a log file, from the spans alone.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { QueueState } from '../../src/classify/queue.js';
import type { LogRecord } from '../../src/syslog/record.js';
import { classifyLine } from './line.js';

/** The fields laid into one buffer, in an order no syslog line has, with bytes between them. */
function journalRecord(ident: string, pid: string, msg: string): LogRecord {
  const parts = ['MESSAGE=', msg, '\0_PID=', pid, '\0SYSLOG_IDENTIFIER=', ident, '\0'];
  const buf = Buffer.from(parts.join(''), 'latin1');
  const at = (i: number) => Buffer.byteLength(parts.slice(0, i).join(''), 'latin1');
  return { buf, time: NaN, hostStart: 0, hostEnd: 0, msgStart: at(1), msgEnd: at(2), pidStart: at(3), pidEnd: at(4), identStart: at(5), identEnd: at(6) };
}

const EVENTS: [string, string, string][] = [
  ['postfix/submission/smtpd', '10', 'ABCDEF1: client=c[192.0.2.1]'],
  ['postfix/qmgr', '12', 'ABCDEF1: from=<s@x>, size=512, nrcpt=1 (queue active)'],
  ['postfix/relay/smtp', '13', 'ABCDEF1: to=<r@y>, relay=mx[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=4.7.1, status=deferred (host mx[198.51.100.1] said: 450 4.7.1 later (in reply to RCPT TO command))'],
  ['postfix/smtpd', '20', 'NOQUEUE: hold: RCPT from c[192.0.2.1]: <r@x>: held; from=<s@x> to=<r@x> proto=ESMTP helo=<c>'],
  ['postfix/smtpd', '20', 'ABCDEF2: client=c[192.0.2.1]'],
  ['postfix/smtpd', '20', 'disconnect from c[192.0.2.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'],
  ['postfix/pipe', '14', 'ABCDEF1: to=<r@y>, relay=legal, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (delivered via legal service)'],
  ['dovecot/lmtp', '15', 'ABCDEF1: to=<r@y>, relay=x, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)'], // not Postfix
  ['postfix/../smtp', '16', 'ABCDEF1: to=<r@y>, relay=x, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)'], // not an identifier
];

function counts(run: (state: QueueState, sink: { add(k: string, n?: number): void }) => void): Record<string, number> {
  const got: Record<string, number> = {};
  run(new QueueState(100), { add: (k, n = 1) => void (got[k] = (got[k] ?? 0) + n) });
  return got;
}

describe('classify from a record alone', () => {
  it('counts journal-made records (no syslog header, fields in any order) as the same events read from a log file', () => {
    const fromJournal = counts((state, sink) => {
      for (const [ident, pid, msg] of EVENTS) classify(state, journalRecord(ident, pid, msg), sink);
    });
    const fromFile = counts((state, sink) => {
      for (const [ident, pid, msg] of EVENTS) classifyLine(state, `Nov 29 14:21:52 mx1 ${ident}[${pid}]: ${msg}`, sink);
    });
    expect(fromJournal).toEqual({ 'recv:submission': 1, 'deferred:relay': 1, 'relay:4xx': 1, 'recv:smtp': 1, held: 1, 'sent:legal': 1 });
    expect(fromJournal).toEqual(fromFile);
  });
});
