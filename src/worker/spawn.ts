// Starts a worker thread. Its entry is a file beside the module that starts it, except in the single
// executable, which has no files: there scripts/build-sea.mjs stores each worker's bundle as a SEA
// asset (see its DEFAULT_ASSETS), evaluated as CommonJS. So a worker entry imports only project
// modules, Node's and npm's, and uses no `import.meta` and no top-level await.
import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';

type Sea = typeof import('node:sea');

/** node:sea when this is a single executable. Required, not imported: a CommonJS bundle keeps import(). */
function seaOrNull(): Sea | null {
  try {
    const sea = createRequire(import.meta.url)('node:sea') as Sea;
    return sea.isSea() ? sea : null;
  } catch {
    return null; // a Node before 20.12 has no node:sea, and cannot be a single executable anyway
  }
}

/** `entry`: the compiled file (a URL beside the caller); `asset`: its name in the single executable. */
export function spawnWorker(entry: URL, asset: string, options: WorkerOptions): Worker {
  const sea = seaOrNull();
  return sea === null ? new Worker(entry, options) : new Worker(sea.getAsset(asset, 'utf8'), { ...options, eval: true });
}
