// The traffic tables agree with Grand Totals: an hour knows only counters, a day its tables too.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryFromLogs } from '../../src/report/from-logs.js';
import { grandTotals } from '../../src/report/totals.js';
import { tmp } from '../helpers/tmp.js';

describe('per-day and per-hour traffic', () => {
  it("leaves a local(8) forward out of delivered in its hour, as in its day and in Grand Totals", async () => {
    const log = join(tmp(), 'mail.log');
    writeFileSync(log, [
      'Mar 18 10:07:01 mx postfix/smtpd[1300]: 4A8D9E0F1A: client=client.test[10.0.0.5]',
      'Mar 18 10:07:01 mx postfix/qmgr[1003]: 4A8D9E0F1A: from=<ann@client.test>, size=3000, nrcpt=1 (queue active)',
      'Mar 18 10:07:02 mx postfix/local[1301]: 4A8D9E0F1A: to=<carl@mx.test>, relay=local, delay=0.3, delays=0.1/0/0/0.2, dsn=2.0.0, status=sent (forwarded as 7C8D9E0F1A)',
      'Mar 18 10:07:02 mx postfix/qmgr[1003]: 4A8D9E0F1A: removed',
      'Mar 18 10:07:02 mx postfix/qmgr[1003]: 7C8D9E0F1A: from=<ann@client.test>, size=3100, nrcpt=1 (queue active)',
      'Mar 18 10:07:03 mx postfix/smtp[1303]: 7C8D9E0F1A: to=<carl@gmail.test>, orig_to=<carl@mx.test>, relay=gmail.test[1.1.1.1]:25, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 OK)',
      'Mar 18 10:07:03 mx postfix/qmgr[1003]: 7C8D9E0F1A: removed',
      '',
    ].join('\n'));
    const s = await summaryFromLogs([log], null, { filterRelays: new Set(), filterServices: new Set(), split: false }, 'UTC');
    const g = grandTotals(s);
    expect([g.delivered.value, g.forwarded.value, g.bytesDelivered.value]).toEqual([1n, 1n, 3100n]);
    expect(s.perDay.map((d) => d.traffic.delivered)).toEqual([1]);
    expect(s.perHour[10]!.delivered).toBe(1);
    expect(s.tables.recipientDomains?.map((r) => r.item)).toEqual(['gmail.test']);
  });

  it('a period that cuts a day: counters from its hours, and what comes from the whole-day tables marked as a bound', async () => {
    const log = join(tmp(), 'mail.log');
    const reject = (h: number, n: number) => `Mar 18 ${h}:00:0${n} mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from c[192.0.2.1]: 554 5.7.1 <r@x>: Relay access denied; from=<s@x> to=<r@x> proto=ESMTP helo=<c>`;
    writeFileSync(log, [
      reject(10, 1), reject(10, 2), reject(10, 3),
      'Mar 18 10:05:00 mx postfix/cleanup[2]: 6B2C3D4E5F: reject: header Subject: x from local; from=<www-data@mx.test>: 5.7.1 message content rejected',
      reject(11, 1),
      '',
    ].join('\n'));
    const o = { filterRelays: new Set<string>(), filterServices: new Set<string>(), split: false as const };
    const year = new Date().getUTCFullYear();
    const at = (h: number) => Date.UTC(year, 2, 18, h);
    const part = await summaryFromLogs([log], { from: at(11), to: at(12), tz: 'UTC' }, o, 'UTC');
    expect(part.cut).toEqual([`${year}-03-18`]);
    expect(part.perDay.map((d) => d.traffic.rejected)).toEqual([1]); // the hour's own, not the day's 5
    expect(grandTotals(part).rejected).toEqual({ value: 5n, bound: '<=' });
    // ending after the newest event (as --to now does) leaves nothing of the day out
    const untilNow = await summaryFromLogs([log], { from: at(0), to: at(23), tz: 'UTC' }, o, 'UTC');
    expect([untilNow.cut, grandTotals(untilNow).rejected]).toEqual([[], { value: 5n, bound: '' }]);
    const early = await summaryFromLogs([log], { from: at(0), to: at(11), tz: 'UTC' }, o, 'UTC');
    expect([early.cut, early.perDay.map((d) => d.traffic.rejected)]).toEqual([[`${year}-03-18`], [3]]);
    const whole = await summaryFromLogs([log], { from: at(0), to: at(24), tz: 'UTC' }, o, 'UTC');
    expect(whole.cut).toEqual([]);
    expect(whole.perDay.map((d) => d.traffic.rejected)).toEqual([5]);
    expect(grandTotals(whole).rejected).toEqual({ value: 5n, bound: '' });
  });
});
