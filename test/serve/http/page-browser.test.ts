// The status page in a real browser (Debian's chromium, headless): the history of a fixture log,
// made by the daemon's own classifier and history code, rendered, served over HTTP and read back
// from the DOM. Skipped where chromium is not installed (CI installs it: .ci/run).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { dayKey, decodeBucket } from '../../../src/history/layout.js';
import { series, type Selector, type Step } from '../../../src/history/series.js';
import { historyFromLogs, type LogHistory } from '../../../src/report/from-logs.js';
import { renderStatusPage, type PageInput } from '../../../src/serve/http/page.js';
import { pageGraphs } from '../../../src/serve/http/page-data.js';

const CHROMIUM = '/usr/bin/chromium';
const LOG = 'fixtures/logs/rfc3339.log';
const EVIL = '<script>window.evil=1</script>';
const MIN = 60_000, HOUR = 3_600_000;

describe.skipIf(!existsSync(CHROMIUM))(`the status page in headless chromium (skipped without ${CHROMIUM})`, () => {
  let h: LogHistory;
  let input: PageInput;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const failed: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    h = await historyFromLogs([LOG], 'UTC');
    // just after the fixture's last line: its minutes are the newest of the 48 hours
    const now = h.newest + 1000;
    const day = decodeBucket(h.kv.get(dayKey(h.clock.dayOf(h.newest))));
    const rows = [...day].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, value: BigInt(v) }));
    input = { rows: [...rows, { key: EVIL, value: 7n }], seq: 9, time: now, host: 'mx1', graphs: pageGraphs(h.kv, h.clock, now) };
    const html = renderStatusPage(input);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url !== '/') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => { if (r.url() !== url) failed.push(`unexpected request ${r.url()}`); });
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  it('renders: the title, and one counters row per row given (a <script> key shown as text, not run)', async () => {
    expect(await page.title()).toBe('Postfix statistics: mx1');
    expect(await page.$$eval('table.counters tbody tr', (trs) => trs.length)).toBe(input.rows.length);
    expect(await page.$$eval('table.counters tbody tr:last-child td', (tds) => tds.map((td) => td.textContent))).toEqual([EVIL, '7']);
    expect(await page.evaluate(() => document.scripts.length + ((window as { evil?: number }).evil ?? 0))).toBe(0);
    // lines and axes are strokes: a filled path would black out the plot
    expect(await page.$$eval('svg path', (ps) => [...new Set(ps.map((p) => getComputedStyle(p).fill))])).toEqual(['none']);
  });

  it('each graph\'s points, read back from the DOM, equal series() of the same history, so the fixture log\'s', async () => {
    const drawn = await page.$$eval('svg[data-step]', (svgs) => svgs.map((svg) => ({
      step: svg.getAttribute('data-step'),
      start: Number(svg.getAttribute('data-start')),
      label: svg.getAttribute('aria-label'),
      lines: [...svg.querySelectorAll('path.line')].map((p) => ({ name: p.getAttribute('data-series'), values: p.getAttribute('data-values')!.split(' ').map(Number) })),
    })));
    // the windows and selectors written out again here, not taken from page-data.ts
    const now = input.time;
    const kinds: [string, Selector][] = [['received', { kind: 'recv' }], ['sent', { kind: 'sent' }], ['deferred', { kind: 'deferred' }], ['bounced', { kind: 'bounced' }], ['rejected', { kind: 'smtpd' }], ['held', { key: 'held' }]];
    const minuteEnd = Math.ceil((now + 1) / MIN) * MIN, hourEnd = Math.ceil((now + 1) / HOUR) * HOUR;
    const windows: [Step, number, number][] = [
      ['minute', minuteEnd - 48 * HOUR, minuteEnd], ['hour', hourEnd - 720 * HOUR, hourEnd],
      ['day', h.clock.startOf('2025-11-30'), h.clock.startOf('2026-11-30')],
    ];
    const expected = windows.flatMap(([step, from, to]) => kinds.map(([name, sel]) => {
      const pts = series(h.kv, h.clock, sel, step, from, to);
      return { step, start: pts[0]!.t, lines: [{ name, values: pts.map((p) => p.v) }] };
    }));
    expect(drawn.map(({ step, start, lines }) => ({ step, start, lines }))).toEqual(expected);

    // and those are the fixture's counts: its day's totals all fall in the last 48 minutes' window
    const day = decodeBucket(h.kv.get(dayKey('2026-11-29')));
    const recvTotal = [...day].filter(([k]) => k.startsWith('recv:') && !k.includes('@')).reduce((n, [, v]) => n + v, 0);
    expect(recvTotal).toBeGreaterThan(0);
    const sum = (i: number) => drawn[i]!.lines[0]!.values.reduce((a, b) => a + b, 0);
    expect([sum(0), sum(6), sum(12)]).toEqual([recvTotal, recvTotal, recvTotal]);
    expect(sum(1)).toBe([...day].filter(([k]) => /^sent:[^@/]*$/.test(k)).reduce((n, [, v]) => n + v, 0));
    expect(drawn[0]!.label).toBe(`received, per minute, last 48 hours: received ${recvTotal}`);
  });

  it('each graph has a text alternative: it links to its step\'s table, which lists every minute that counted something', async () => {
    const links = await page.$$eval('figure.chart .numbers-link a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([...Array(6).fill('#numbers-minute'), ...Array(6).fill('#numbers-hour'), ...Array(6).fill('#numbers-day')]);
    const table = await page.$$eval('#numbers-minute tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const now = input.time;
    const kinds: Selector[] = [{ kind: 'recv' }, { kind: 'sent' }, { kind: 'deferred' }, { kind: 'bounced' }, { kind: 'smtpd' }, { key: 'held' }];
    const cols = kinds.map((sel) => series(h.kv, h.clock, sel, 'minute', now - 48 * HOUR, now + MIN));
    const counted = cols[0]!.map((p, i) => ({ t: p.t, vs: cols.map((c) => c[i]!.v) })).filter((r) => r.vs.some((v) => v > 0));
    expect(counted.length).toBeGreaterThan(0);
    expect(table).toEqual(counted.map((r) => [new Date(r.t).toISOString().slice(0, 16).replace('T', ' '), ...r.vs.map(String)]));
  });

  it('no console errors, no failed requests, and no request but the page itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    expect(requests).toEqual(['/']);
  });

  it('dark mode (prefers-color-scheme: dark) changes the background and the lines\' colours', async () => {
    const colours = () => page.evaluate(() => ({
      bg: getComputedStyle(document.documentElement).backgroundColor,
      fg: getComputedStyle(document.body).color,
      line: getComputedStyle(document.querySelector('path.line')!).stroke,
    }));
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await colours();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await colours();
    expect(light.bg).toBe('rgb(255, 255, 255)');
    expect(dark.bg).toBe('rgb(21, 24, 28)');
    expect(dark.fg).not.toBe(light.fg);
    expect(dark.line).not.toBe(light.line);
  });

  it('fits a phone: at 390 px wide nothing is wider than the screen', async () => {
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
