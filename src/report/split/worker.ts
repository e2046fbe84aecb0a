// The second half's thread: reads its byte range of the log into a SecondHalf and posts the result
// (deferred lines as transferred buffers, the history as a structured clone).
import { parentPort, workerData } from 'node:worker_threads';
import { readHalf } from './run-half.js';
import type { HalfJob } from './run-half.js';

// No top-level await: the single executable evaluates this file as CommonJS (src/worker/spawn.ts).
const r = readHalf(workerData as HalfJob);
parentPort!.postMessage(r, [r.deferredBytes.buffer as ArrayBuffer, r.deferredEnds.buffer as ArrayBuffer, r.deferredTimes.buffer as ArrayBuffer]);
