// Redraws scripts/status-page.png, the README's picture of the status page: the fixture log's
// history rendered as the daemon would, shot in chromium 1200 px wide. Needs `npx tsc` (dist/) and
// /usr/bin/chromium. Usage: node scripts/status-page-shot.mjs [light|dark]
import puppeteer from 'puppeteer-core';
import { dayKey, decodeBucket } from '../dist/src/history/layout.js';
import { historyFromLogs } from '../dist/src/report/from-logs.js';
import { renderStatusPage } from '../dist/src/serve/http/page.js';
import { pageGraphs } from '../dist/src/serve/http/page-data.js';

const scheme = process.argv[2] ?? 'light';
const h = await historyFromLogs(['fixtures/logs/rfc3339.log'], 'UTC');
const now = h.newest + 1000;
const day = decodeBucket(h.kv.get(dayKey(h.clock.dayOf(h.newest))));
const rows = [...day].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, value: BigInt(v) }));
const html = renderStatusPage({ rows, seq: 1, time: now, host: 'mx1', graphs: pageGraphs(h.kv, h.clock, now) });

const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.setContent(html, { waitUntil: 'load' });
  // the first screen and a bit: headings, the minute and hour graphs
  await page.screenshot({ path: `scripts/status-page${scheme === 'dark' ? '-dark' : ''}.png`, clip: { x: 0, y: 0, width: 1200, height: 1100 } });
} finally {
  await browser.close();
}
console.log(`${html.length} bytes of HTML`);
