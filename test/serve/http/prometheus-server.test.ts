// A real Prometheus server (Debian's 2.42) scrapes the daemon on loopback every second, negotiating
// the format as it does by default, and its query API returns the fixture's counts.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { counters, waitFor, type Daemon } from '../../helpers/daemon.js';
import { tmp } from '../../helpers/tmp.js';
import { get, startHttpDaemon } from './helpers.js';

const PROMETHEUS = '/usr/bin/prometheus';
const LOG = resolve('fixtures/logs/rfc3339.log');
const EXPECTED: Record<string, number> = JSON.parse(readFileSync(resolve('fixtures/logs/expected.json'), 'utf8'))['rfc3339.log'];
const LINES = readFileSync(LOG, 'utf8').split('\n').length - 1;

/** A port free a moment ago (Prometheus takes no port 0). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

let daemon: Daemon | undefined;
let prom: ChildProcess | undefined;
afterEach(async () => {
  if (prom && prom.exitCode === null) {
    const gone = new Promise((r) => prom!.on('exit', r));
    prom.kill('SIGTERM');
    await gone;
  }
  await daemon?.stop();
  (daemon = undefined), (prom = undefined);
});

describe.skipIf(!existsSync(PROMETHEUS))('a Prometheus server scraping postfix-statsd', () => {
  it('its query API returns expected.json\'s counts for rfc3339.log', async () => {
    const dir = tmp();
    const db = join(dir, 'db');
    const h = await startHttpDaemon(LOG, db);
    daemon = h.daemon;
    await waitFor(() => counters(db)['self:lines'] === BigInt(LINES), 'every line counted');
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: postfix\n    params:\n      module: [postfix]\n    static_configs:\n      - targets: ['127.0.0.1:${h.port}']\n`);
    const port = await freePort();
    let err = '';
    prom = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    prom.stderr!.on('data', (d) => (err += d));
    const query = async (q: string) => {
      const r = await get(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => null);
      if (r === null || r.status !== 200) return null;
      const result = JSON.parse(r.body).data.result as { metric: Record<string, string>; value: [number, string] }[];
      return result.length === 0 ? null : result;
    };
    // wait on Prometheus's own state: the first scrape stored
    let sent: Awaited<ReturnType<typeof query>> = null;
    let asking = false;
    const ask = () => {
      if (!asking) (asking = true), void query('postfix_stats_sent_total{transport="smtp",host="",instance_name=""}').then((r) => ((sent = r), (asking = false)));
      return sent !== null;
    };
    await waitFor(ask, `Prometheus to scrape (its log: ${err.slice(-500)})`, 60_000);
    expect(sent!.map((s) => s.value[1])).toEqual([String(EXPECTED['sent:smtp'])]);
    expect(sent![0]!.metric).toMatchObject({ job: 'postfix', instance: `127.0.0.1:${h.port}`, transport: 'smtp' });
    const out = await query('postfix_stats_sent_total{transport="smtp",instance_name="postfix-out"}');
    expect(out!.map((s) => s.value[1])).toEqual([String(EXPECTED['postfix-out/sent:smtp'])]);
    const rejects = await query('sum(postfix_stats_rejects_total{component="smtpd",instance_name=""})');
    expect(rejects![0]!.value[1]).toBe(String(EXPECTED['smtpd:4xx']! + EXPECTED['smtpd:5xx']!));
    const up = await query('up{job="postfix"}');
    expect(up![0]!.value[1]).toBe('1');
  }, 90_000);
});
