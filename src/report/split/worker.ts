// The second half's thread: reads its byte range of the log into a SecondHalf and posts the result
// (deferred lines as transferred buffers, the history as a structured clone).
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { SecondHalf, type SecondHalfResult } from './second-half.js';
import type { HalfJob } from './run-half.js';

// A function, not top-level await: the single executable evaluates this file as CommonJS (src/worker/spawn.ts).
async function readHalf(job: HalfJob): Promise<void> {
  const half = new SecondHalf(job.tz, job.opts, job.maxLine);
  const stream = createReadStream(job.path, { start: job.start, highWaterMark: job.chunk });
  for await (const chunk of stream) if (!half.push(chunk as Buffer)) break;
  stream.destroy();
  const r: SecondHalfResult = half.finish();
  parentPort!.postMessage(r, [r.deferredBytes.buffer as ArrayBuffer, r.deferredEnds.buffer as ArrayBuffer, r.deferredTimes.buffer as ArrayBuffer]);
}

void readHalf(workerData as HalfJob);
