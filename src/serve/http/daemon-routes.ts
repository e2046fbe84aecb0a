// The daemon's routes: what /, /metrics and /api/* answer, over the last commit the pipeline holds in
// memory (and, for the status page's graphs and /api/history, its own store).
import type { Snapshot } from '../../snapshot/format.js';
import { countersAnswer, historyAnswer, type ReadHistory } from './api.js';
import { CONTENT_TYPE, negotiate, renderMetrics, type MetricsFormat } from './metrics.js';
import { Routes } from './route.js';
import { pageGraphs } from './page-data.js';
import { renderStatusPage } from './page.js';
import { MINUTE_MS } from '../../history/layout.js';

export interface Served {
  /** The last commit's counters (the pipeline's `snapshot`). */
  snapshot(): Snapshot;
  readHistory: ReadHistory;
  /** The name the status page gives the mail host. */
  readonly host: string;
}

export function daemonRoutes(s: Served): Routes {
  // A commit is rendered once per format, however many scrapers ask: an answer costs a lookup.
  let cached: Snapshot | undefined;
  const texts = new Map<MetricsFormat, string>();
  const metrics = (format: MetricsFormat): string => {
    const snap = s.snapshot();
    if (snap !== cached) (cached = snap), texts.clear();
    let t = texts.get(format);
    if (t === undefined) texts.set(format, (t = renderMetrics(snap, format)));
    return t;
  };
  // The page reads 18 series from the store: rendered at most once per commit and minute (its graphs'
  // windows move by the minute), so a reloading browser or a crawler costs a lookup.
  let pageKey = '';
  let page = '';
  const statusPage = (now: number): string => {
    const snap = s.snapshot();
    const key = `${snap.seq} ${Math.floor(now / MINUTE_MS)}`;
    if (key !== pageKey) {
      const graphs = s.readHistory((kv, clock) => pageGraphs(kv, clock, now));
      page = renderStatusPage({ rows: snap.rows, seq: snap.seq, time: snap.time, host: s.host, graphs });
      pageKey = key;
    }
    return page;
  };
  return new Routes()
    .add('/', { query: false, answer: (req) => ({ status: 200, type: 'text/html; charset=utf-8', body: statusPage(req.now) }) })
    .add('/metrics', {
      query: false,
      answer: (req) => {
        const format = negotiate(req.accept);
        return { status: 200, type: CONTENT_TYPE[format], body: metrics(format), headers: { Vary: 'Accept' } };
      },
    })
    .add('/api/counters', { query: false, answer: () => countersAnswer(s.snapshot()) })
    .add('/api/history', { query: true, answer: (req) => historyAnswer(req, s.readHistory) });
}
