// The daemon's routes: what /, /metrics and /api/* answer, over the last commit handed to the HTTP
// worker (and, for the status page's graphs and /api/history, the daemon's store read in the worker).
import type { Snapshot } from '../../snapshot/format.js';
import { countersAnswer, historyAnswer, type ReadHistory } from './api.js';
import { CONTENT_TYPE, negotiate, renderMetrics, type MetricsFormat } from './metrics.js';
import { Routes } from './route.js';
import { pageGraphs } from './page-data.js';
import { renderStatusPage } from './page.js';
import { MINUTE_MS } from '../../history/layout.js';

export interface Served {
  /** The last commit's counters, as the main thread posted them. */
  snapshot(): Snapshot;
  readHistory: ReadHistory;
  /** The name the status page gives the mail host. */
  readonly host: string;
}

/** How old the status page may get while newer commits exist. */
const PAGE_MS = 5000;

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
  // The page reads 18 series from the store and takes a few hundred ms to draw on a busy host. It is
  // drawn again when the minute changes (its graphs' windows move by the minute) or when a newer
  // commit exists and the page is PAGE_MS old: during a backlog, commits come every 100 ms, and a
  // page per commit would keep the worker drawing, every other answer waiting behind it (the counting
  // goes on in the main thread either way). It always says which commit it shows.
  let drawn = { seq: -1, minute: -1, at: 0 };
  let page = '';
  const statusPage = (now: number): string => {
    const snap = s.snapshot();
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== drawn.minute || (snap.seq !== drawn.seq && now - drawn.at >= PAGE_MS)) {
      const graphs = s.readHistory((kv, clock) => pageGraphs(kv, clock, now));
      page = renderStatusPage({ rows: snap.rows, seq: snap.seq, time: snap.time, host: s.host, graphs });
      drawn = { seq: snap.seq, minute, at: now };
    }
    return page;
  };
  return new Routes()
    .add('/', { query: false, answer: (req) => ({ status: 200, type: 'text/html; charset=utf-8', body: statusPage(req.now) }) })
    .add('/metrics', {
      // taken and ignored: a Prometheus job's `params:` (as for multi-target exporters) adds one
      query: true,
      answer: (req) => {
        const format = negotiate(req.accept);
        return { status: 200, type: CONTENT_TYPE[format], body: metrics(format), headers: { Vary: 'Accept' } };
      },
    })
    .add('/api/counters', { query: false, answer: () => countersAnswer(s.snapshot()) })
    .add('/api/history', { query: true, answer: (req) => historyAnswer(req, s.readHistory) });
}
