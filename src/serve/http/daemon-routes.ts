// The daemon's routes: what /metrics and /api/* answer, over the last commit the pipeline holds in
// memory (and, for /api/history, its own store). `/` is left to the status page, added by the main.
import type { Snapshot } from '../../snapshot/format.js';
import { countersAnswer, historyAnswer, type ReadHistory } from './api.js';
import { CONTENT_TYPE, negotiate, renderMetrics, type MetricsFormat } from './metrics.js';
import { Routes } from './route.js';

export interface Served {
  /** The last commit's counters (the pipeline's `snapshot`). */
  snapshot(): Snapshot;
  readHistory: ReadHistory;
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
  return new Routes()
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
