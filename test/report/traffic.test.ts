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
});
