import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportContext } from '../../src/report/context.js';
import { DEFAULT_LAYOUT, type Layout } from '../../src/report/pflogsumm-options.js';
import { renderText } from '../../src/report/text.js';
import { tmp } from '../helpers/tmp.js';
import { other, row, summary } from './summary-fixture.js';

const PFLOGSUMM = '/usr/sbin/pflogsumm';
const CLASSIC = join(import.meta.dirname, '../../fixtures/logs/classic.log');
const hasPflogsumm = spawnSync(PFLOGSUMM, ['--version'], { encoding: 'utf8' }).status === 0;

const ctx = (over: Partial<ReportContext> = {}): ReportContext => ({
  label: '2026-11-29', source: { kind: 'store', db: '/var/lib/postfix-stats' }, hostLimit: -1, userLimit: -1,
  filterRelays: [], filterServices: [], ...over,
});

function pflogsumm(args: string[], input: string): string {
  const r = spawnSync(PFLOGSUMM, [...args, input], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pflogsumm exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The skeleton of a pflogsumm-style report: section titles (underlined, or `TITLE: none`), Grand
 * Totals labels, and table column headings, in order. `count` is how a number may look: pflogsumm's
 * are digits; ours may carry `>=`/`<=`, or be `-` (deferred).
 */
function skeleton(text: string, count: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  const label = new RegExp(`^ +${count}[ km]  ([a-z][a-z/ ]*?)(?: +\\(.*)?$`);
  let inTotals = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const next = lines[i + 1] ?? '';
    const none = /^(\S.*): none$/.exec(l);
    if (none) { out.push(`title ${none[1]!.replace(/^top \d+ /, '')}`); inTotals = false; continue; }
    if (l !== '' && /^-+$/.test(next) && next.length === l.length) {
      inTotals = l === 'Grand Totals';
      out.push(`title ${l.replace(/^top \d+ /, '').replace(/ ?\(top \d+\)$/, '').trimEnd()}`);
      continue;
    }
    if (/^ +-[- ]+$/.test(next) && /^ +[a-z]/.test(l)) { out.push(`head ${l.trim()}`); continue; }
    const m = inTotals ? label.exec(l) : null;
    if (m) out.push(`label ${m[1]}`);
  }
  return out;
}

const PFLOG_COUNT = '\\d+';
const OUR_COUNT = '(?:>=|<=)?(?:\\d+|-)';

/** The entries of `want` in `got`, in want's order (a subsequence), or the first one missing. */
function missingInOrder(want: readonly string[], got: readonly string[]): string | null {
  let at = 0;
  for (const w of want) {
    const i = got.indexOf(w, at);
    if (i < 0) return w;
    at = i + 1;
  }
  return null;
}

describe.skipIf(!hasPflogsumm)('text report: the order of pflogsumm itself', () => {
  it('every section title, Grand Totals label and column heading of pflogsumm on classic.log, in its order', () => {
    const want = skeleton(pflogsumm([], CLASSIC), PFLOG_COUNT);
    expect(want.length, 'pflogsumm skeleton').toBeGreaterThan(30);
    expect(want).toContain('title Master daemon messages');
    expect(want).toContain('label recipient hosts/domains');
    const got = skeleton(renderText(summary(), ctx()), OUR_COUNT);
    expect(missingInOrder(want, got)).toBeNull();
  });

  it('over two days: the Per-Day Traffic Summary, then the Per-Hour Traffic Daily Average, as pflogsumm', () => {
    const lines = readFileSync(CLASSIC, 'utf8').split('\n');
    const half = Math.floor(lines.length / 2);
    const twoDays = join(tmp(), 'two-days.log');
    writeFileSync(twoDays, lines.map((l, i) => (i >= half ? l.replace(/^Nov 29 /, 'Nov 30 ') : l)).join('\n'));
    const want = skeleton(pflogsumm([], twoDays), PFLOG_COUNT);
    expect(want).toContain('title Per-Day Traffic Summary');
    expect(want).toContain('title Per-Hour Traffic Daily Average');
    const base = summary();
    const s = summary({ perDay: [{ day: '2026-11-29', traffic: base.perDay[0]!.traffic }, { day: '2026-11-30', traffic: base.perDay[0]!.traffic }] });
    const text = renderText(s, ctx());
    expect(missingInOrder(want, skeleton(text, OUR_COUNT))).toBeNull();
    expect(text).toContain('    Nov 29 2026       217        349         76         26         28 ');
  });

  it('--problems-first -q --iso-date-time --detail 1: the order, group lines and hour labels of pflogsumm given the same', () => {
    const flags = ['--problems-first', '-q', '--iso-date-time', '--detail', '1'];
    const theirs = pflogsumm(flags, CLASSIC);
    const want = skeleton(theirs, PFLOG_COUNT);
    // the problems come right after the Grand Totals, before the traffic tables, in pflogsumm too
    expect(want.indexOf('title message deferral detail')).toBeLessThan(want.indexOf('title Per-Hour Traffic Summary'));
    const layout: Layout = { detail: { deferral: 1, bounce: 1, reject: 1, smtp: 1, warning: 1 }, quiet: true, problemsFirst: true, isoDates: true };
    const ours = renderText(summary(), ctx({ layout, hostLimit: 1, userLimit: 1 }));
    expect(missingInOrder(want, skeleton(ours, OUR_COUNT))).toBeNull();
    const groupLine = (text: string) => text.split('\n').find((l) => /^ {2}smtp \(top 1\) \(total: \d+\)$/.test(l));
    expect(groupLine(ours)).toBe(groupLine(theirs));
    expect(ours.split('\n').filter((l) => /^ {8}\d+   /.test(l) && l.includes('Server closing'))).toEqual([]); // the second deferral reason is cut
    const hour = (text: string) => text.split('\n').find((l) => l.startsWith('    00:00-01:00'))?.slice(0, 15);
    expect(hour(ours)).toBe(hour(theirs));
    expect(ours).not.toMatch(/: none$/m);
  });

  it('--iso-date-time over two days: the dates of pflogsumm\'s Per-Day Traffic Summary', () => {
    const lines = readFileSync(CLASSIC, 'utf8').split('\n');
    const twoDays = join(tmp(), 'two-days.log');
    writeFileSync(twoDays, lines.map((l, i) => (i >= lines.length / 2 ? l.replace(/^Nov 29 /, 'Nov 30 ') : l)).join('\n'));
    const theirs = pflogsumm(['--iso-date-time'], twoDays).split('\n').filter((l) => /^ {4}\d{4}-\d\d-\d\d /.test(l)).map((l) => l.slice(0, 15));
    expect(theirs.length).toBe(2);
    const base = summary();
    const s = summary({ perDay: [{ day: '2026-11-29', traffic: base.perDay[0]!.traffic }, { day: '2026-11-30', traffic: base.perDay[0]!.traffic }] });
    const layout: Layout = { ...DEFAULT_LAYOUT, isoDates: true };
    const ours = renderText(s, ctx({ layout })).split('\n').filter((l) => /^ {4}\d{4}-\d\d-\d\d /.test(l)).map((l) => l.slice(0, 15));
    // the year pflogsumm infers for a classic time stamp is the current one: compare month and day
    expect(ours.map((l) => l.slice(8))).toEqual(theirs.map((l) => l.slice(8)));
  });

  it('-h 1 -u 1: the (top 1) and top 1 titles of pflogsumm -h 1 -u 1', () => {
    const out = pflogsumm(['-h', '1', '-u', '1'], CLASSIC);
    const titles = out.split('\n').filter((l) => /top 1/.test(l));
    expect(titles.length).toBe(6);
    const ours = renderText(summary(), ctx({ hostLimit: 1, userLimit: 1 })).split('\n');
    for (const t of titles) expect(ours).toContain(t.replace(/: none$/, ''));
  });
});

describe('text report: numbers that may be wrong are never printed as exact', () => {
  it('a capped distinct count is printed with >=; an uncapped one without', () => {
    const text = renderText(summary(), ctx());
    expect(text).toContain('   >=24   recipients\n');
    expect(text).toContain('      3   senders\n');
  });

  it('rejected is every reject line: the rejects table summed, its other row included', () => {
    expect(renderText(summary(), ctx())).toContain('     17   rejected (4%)\n'); // int(100 * 17 / (347 + 17 + 8))
    const s = summary();
    const tables = { ...s.tables, rejects: [...s.tables.rejects, other(4)] };
    expect(renderText(summary({ tables }), ctx())).toContain('     21   rejected (5%)\n');
  });

  it('deferred: the messages deferred at least once, then the deferrals, as pflogsumm prints them', () => {
    expect(renderText(summary(), ctx())).toContain('     20   deferred  (76  deferrals)\n');
  });

  it('forwarded: local(8) forwards, left out of delivered as pflogsumm does', () => {
    const s = summary();
    const text = renderText(summary({ tables: { ...s.tables, messages: [...s.tables.messages, row('forwarded', 2)] } }), ctx());
    expect(text).toContain('      2   forwarded\n');
    expect(text).toContain('    347   delivered\n');
  });

  it('counts over 512k in k, over 512m in m, truncated (pflogsumm adj_int_units)', () => {
    const text = renderText(summary({ counters: new Map([['sent:smtp', 524_288n], ['recv:smtp', 524_289n], ['bounced:smtp', 536_870_913n]]) }), ctx());
    expect(text).toContain(' 524288   delivered\n');
    expect(text).toContain('    512k  received\n');
    expect(text).toContain('    512m  bounced\n');
  });
});

describe('text report: other rows', () => {
  it('a capped table\'s other row is printed last as (other), with its sums', () => {
    const text = renderText(summary(), ctx());
    expect(text).toContain('      5     1910        0     0.3 s    0.3 s  (other)\n');
    expect(text).toMatch(/Recipients by message count\n-+\n     65   user@ok\.test\n     65   2user@ok\.test\n     40   \(other\)\n/);
  });

  it('-u 1 keeps the first row and sums the rest, the table\'s own other row included, into one (other)', () => {
    const text = renderText(summary(), ctx({ userLimit: 1 }));
    expect(text).toMatch(/top 1 Recipients by message count\n-+\n     65   user@ok\.test\n    105   \(other\)\n/);
    expect(text).toMatch(/top 1 Senders by message size\n-+\n    878k  big@ok\.test\n  55439   \(other\)\n/);
  });

  it('-h 0 and -u 0 leave the sections out, as pflogsumm', () => {
    const text = renderText(summary(), ctx({ hostLimit: 0, userLimit: 0 }));
    expect(text).not.toContain('Host/Domain Summary');
    expect(text).not.toContain('Senders by message');
    expect(text).toContain('message deferral detail');
  });

  it('a nested detail section: groups by name with totals; the other row alone at the end', () => {
    const s = summary();
    const text = renderText({ ...s, tables: { ...s.tables, rejects: [row('b reason', 2, { group: 'RCPT' }), row('a reason', 3, { group: 'CONNECT' }), other(7)] } }, ctx());
    expect(text).toContain('message reject detail\n---------------------\n  CONNECT (total: 3)\n         3   a reason\n  RCPT (total: 2)\n         2   b reason\n  (other) (total: 7)\n');
  });

  it('--*-detail 0 leaves a detail section out; -q leaves out the empty ones and keeps the rest', () => {
    const limits = (over: Partial<Layout['detail']>): Layout => ({ ...DEFAULT_LAYOUT, detail: { ...DEFAULT_LAYOUT.detail, ...over } });
    const full = renderText(summary(), ctx());
    expect(full).toContain('\nmessage bounce detail (by relay)\n');
    const noBounce = renderText(summary(), ctx({ layout: limits({ bounce: 0 }) }));
    expect(noBounce).not.toContain('message bounce detail');
    expect(noBounce).toContain('\nmessage deferral detail\n');
    const noReject = renderText(summary(), ctx({ layout: limits({ reject: 0 }) }));
    for (const t of ['message reject detail', 'message reject warning detail', 'message hold detail', 'message discard detail']) expect(noReject).not.toContain(`\n${t}\n`);
    const empty = summary({ tables: { ...summary().tables, panics: [] } });
    expect(renderText(empty, ctx())).toContain('\nPanics: none\n');
    const quiet = renderText(empty, ctx({ layout: { ...DEFAULT_LAYOUT, quiet: true } }));
    expect(quiet).not.toContain('Panics');
    expect(quiet).toContain('\nFatal Errors\n');
  });

  it('empty tables print TITLE: none', () => {
    const s = summary();
    const text = renderText({ ...s, tables: { ...s.tables, panics: [], senders: [] } }, ctx());
    expect(text).toContain('\nPanics: none\n');
    expect(text).toContain('\nSenders by message count: none\n');
  });
});

describe('text report: what pflogsumm lacks', () => {
  it('expired, per transport, per service, and the content-filter line naming the filters given', () => {
    const text = renderText(summary(), ctx({ source: { kind: 'log', files: ['/var/log/mail.log', '-'] }, filterRelays: ['127.0.0.1:10024'], filterServices: ['reinject'] }));
    expect(text).toContain('      5   expired (');
    expect(text).toContain('      2   of these, expired by hand (postsuper -e)\n');
    expect(text).toContain('    227         76         20   smtp\n');
    expect(text).toContain('     20   submission\n');
    expect(text).toContain('content-filter hops: left out: --filter-relay 127.0.0.1:10024, --filter-service reinject');
    expect(text).toContain('input: log files /var/log/mail.log, (stdin)');
    // from the store: its history does not say how the daemon was run, so nothing is claimed
    const stored = renderText(summary(), ctx());
    expect(stored).toContain('content-filter hops: as postfix-statsd counted them: left out if it runs with --filter-relay and --filter-service, else a filtered message counts twice');
  });

  it('the header names the period, the zone and the store with its as-of time', () => {
    const text = renderText(summary(), ctx());
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Postfix log summaries for 2026-11-29',
      'period: 2026-11-29 00:00 to 2026-11-30 00:00 (Europe/Berlin)',
      "input: postfix-statsd's history in /var/lib/postfix-stats, as of 2026-11-29 14:59",
    ]);
  });

  it('per-hour over several days is the daily average rounded half up, as pflogsumm', () => {
    const s = summary();
    const perHour = s.perHour.map((t, h) => (h === 3 ? { ...t, received: 5 } : t));
    const three = [0, 1, 2].map((i) => ({ day: `2026-11-2${i + 7}`, traffic: s.perDay[0]!.traffic }));
    const text = renderText({ ...s, perHour, perDay: three }, ctx());
    expect(text).toContain('    0300-0400           2          0          0          0          0 \n'); // 5/3 + 0.5 -> 2
    expect(text).toContain('    1400-1500          72        116         25          9          9 \n'); // 217/3 = 72.3, 349/3 = 116.3
  });
});
