// Starts the HTTP worker's thread. In the single executable there is no file to point a Worker at:
// the SEA build bundles dist/src/serve/http/http-worker.js as the asset `http-worker.cjs`, evaluated
// as CommonJS; anywhere else the compiled file beside this one is the entry.
import { Worker } from 'node:worker_threads';

type Sea = typeof import('node:sea');

/** node:sea as the bundle (CommonJS: require, since a SEA's main script may not import()) or this ES module can load it. */
async function loadSea(): Promise<Sea | null> {
  try {
    return typeof require === 'function' ? (require('node:sea') as Sea) : await import('node:sea');
  } catch {
    return null; // Node 20 before 20.12 has no node:sea, and cannot be a single executable anyway
  }
}

export async function spawnHttpWorker(workerData: unknown): Promise<Worker> {
  const sea = await loadSea();
  if (sea !== null && typeof sea.isSea === 'function' && sea.isSea()) return new Worker(sea.getAsset('http-worker.cjs', 'utf8'), { eval: true, workerData });
  return new Worker(new URL('./http-worker.js', import.meta.url), { workerData });
}
