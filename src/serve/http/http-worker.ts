// The HTTP worker's entry (--http): the server runs in this thread, away from the daemon's main
// thread, whose commits are synchronous LMDB transactions. Each commit's snapshot arrives by message
// and answers /metrics and /api/counters from this thread's own copy (one commit per answer); the
// status page's graphs and /api/history read the store here, in read transactions of this thread.
// The single executable bundles this file alone (its asset `http-worker.cjs`): it may import only
// project modules, Node's and npm's, and uses no import.meta and no top-level await.
import { parentPort, workerData } from 'node:worker_threads';
import { DayClock } from '../../history/clock.js';
import { HistoryReader, StoreReleased } from '../../store/history-reader.js';
import { daemonRoutes } from './daemon-routes.js';
import { Unavailable } from './route.js';
import { startHttp, type HttpLog, type HttpServer } from './server.js';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.js';

const port = parentPort!;
const config = workerData as WorkerConfig;
const send = (m: FromWorker): void => port.postMessage(m);
const log: HttpLog = {
  info: (obj, msg) => send({ type: 'log', level: 'info', obj, msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj, msg }),
};

let snapshot = config.snapshot;
const reader = new HistoryReader(config.db, config.storeOpen);
const clock = new DayClock(config.tz);
const routes = daemonRoutes({
  snapshot: () => snapshot,
  readHistory: (f) => {
    try {
      return reader.read((kv) => f(kv, clock));
    } catch (e) {
      throw e instanceof StoreReleased ? new Unavailable(e.message) : e;
    }
  },
  host: config.host,
});

let server: HttpServer | undefined;
let stopping = false;

/** Ends the thread: nothing of ours is left to keep its event loop alive. */
function end(): void {
  reader.release();
  port.close();
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'snapshot':
      snapshot = m.snapshot;
      break;
    case 'release':
      reader.release();
      send({ type: 'released' });
      break;
    case 'reopen':
      reader.reopen();
      break;
    case 'stop':
      if (stopping) break;
      stopping = true;
      // still starting: it stops once listening (below)
      if (server !== undefined) void server.stop().then(end);
  }
});

void startHttp(config.address, routes, log).then((started) => {
  if (!started.ok) return send({ type: 'failed', error: started.error }), end();
  server = started.server;
  send({ type: 'listening', port: server.port });
  if (stopping) void server.stop().then(end);
});
