// A constructed Summary, shaped like the daemon's view of fixtures/logs/classic.log (its counters are
// that log's expected counts), with rows in every table and a capped, `other`-ending one.
import type { Summary, TableName, TableRow, Traffic } from '../../src/report/summary.js';
import { TABLE_NAMES } from '../../src/report/summary.js';

export function row(item: string, count: number, more: Partial<TableRow> = {}): TableRow {
  return { item, group: '', count, bytes: 0, defers: 0, delaySum: 0, delayMax: 0, other: false, ...more };
}

export function other(count: number, more: Partial<TableRow> = {}): TableRow {
  return { ...row('', count, more), other: true };
}

const zero: Traffic = { received: 0, delivered: 0, deferred: 0, bounced: 0, rejected: 0 };

export function summary(over: Partial<Summary> = {}): Summary {
  const tables: Record<TableName, TableRow[]> = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Record<TableName, TableRow[]>;
  tables.recipientDomains = [
    row('ok.test', 219, { bytes: 124_600, delaySum: 219, delayMax: 19 }),
    row('relay.test', 30, { bytes: 10_860, delaySum: 6, delayMax: 0.4 }),
    row('expire.test', 0, { defers: 12, delayMax: 55 }),
    other(5, { bytes: 1910, delaySum: 1.5, delayMax: 0.3 }),
  ];
  tables.senderDomains = [row('ok.test', 198, { bytes: 72_330 })];
  tables.senders = [row('sender@ok.test', 131, { bytes: 48_319 }), row('sub@ok.test', 20, { bytes: 7120 }), row('big@ok.test', 2, { bytes: 900_000 })];
  tables.recipients = [row('user@ok.test', 65, { bytes: 23_390 }), row('2user@ok.test', 65, { bytes: 23_390 }), other(40, { bytes: 14_360 })];
  tables.rejects = [
    row('Recipient address rejected: Blocked (fixture)', 11, { group: 'RCPT' }),
    row('header Subject: fixture-reject', 6, { group: 'cleanup' }),
  ];
  tables.rejectWarnings = [row('Recipient address rejected: Would be rejected (fixture)', 5, { group: 'RCPT' })];
  tables.deferrals = [row('4.3.0 Error: command failed (in reply to RCPT TO command', 56, { group: 'smtp' }), row('4.0.0 Server closing connection', 20, { group: 'smtp' })];
  tables.bounces = [row('5.3.0 Error: command failed (in reply to RCPT TO command)', 20, { group: '127.0.0.1[127.0.0.1]:2527' })];
  tables.smtpFailures = [row('mx.test: Connection refused', 3)];
  tables.warnings = [row('hostname nowhere.test does not resolve to address 192.0.2.1', 4, { group: 'smtpd' })];
  tables.fatals = [row('open database /etc/postfix/nope.db: No such file or directory', 1, { group: 'smtpd' })];
  tables.panics = [row('myfree: corrupt or unallocated memory block', 1, { group: 'cleanup' })];
  tables.messages = [row('deferred', 20)];
  tables.master = [row('daemon started -- version 3.7.11, configuration /etc/postfix', 1), row('terminating on signal 15', 1)];
  const distinct = Object.fromEntries(TABLE_NAMES.map((t) => [t, { n: tables[t].length, capped: false }])) as unknown as Summary['distinct'];
  const perHour = Array.from({ length: 24 }, (_, h) => (h === 14 ? { received: 217, delivered: 349, deferred: 76, bounced: 26, rejected: 28 } : zero));
  const counters = new Map<string, bigint>(Object.entries({
    'bounced:lmtp': 5n, 'bounced:smtp': 20n, 'cleanup:5xx': 6n, 'deferred:smtp': 76n, discarded: 8n, expired: 5n,
    'expired:force': 2n, held: 8n, 'lmtp:5xx': 5n, 'postscreen:5xx': 3n, 'recv:local': 12n, 'recv:smtp': 174n,
    'recv:submission': 20n, 'sent:discard': 20n, 'sent:legal': 20n, 'sent:lmtp': 30n, 'sent:local': 12n, 'sent:relay': 30n,
    'sent:smtp': 227n, 'sent:virtual': 10n, 'smtp:4xx': 76n, 'smtp:5xx': 20n, 'smtpd:4xx': 8n, 'smtpd:5xx': 19n,
  }));
  return {
    from: Date.UTC(2026, 10, 28, 23), to: Date.UTC(2026, 10, 29, 23), tz: 'Europe/Berlin', input: 'store',
    asOf: Date.UTC(2026, 10, 29, 13, 59), counters,
    perDay: [{ day: '2026-11-29', traffic: perHour[14]! }], perHour,
    tables, distinct: { ...distinct, recipients: { n: 24, capped: true } }, cut: [],
    ...over,
  };
}
