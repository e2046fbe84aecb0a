// Where the daemon's log lines go: stdout (journald under systemd), written asynchronously, so a
// reader that stops reading never stalls the counting. What must not follow is a hang at exit:
// pino's own stdout stream flushes at exit until every line is written, which with sonic-boom 4 was
// forever once the reader had gone (EPIPE) or took nothing more (EAGAIN): measured, a daemon that
// logged 'stopped' after SIGTERM and never exited (test/log/stdout-gone.test.ts). Here a write error
// ends the logging, never the daemon, and on a non-blocking stdout the exit's flush gives up after a
// bound. A blocking stdout whose reader is alive but never reads still holds the exit until it
// reads: a write in flight on libuv's thread pool is waited for at exit whatever JavaScript does
// (measured); under systemd, TimeoutStopSec ends that wait, after the last commit.
import sonicBoom from 'sonic-boom';

// a CommonJS module: its class is module.exports, whose SonicBoom property is the class itself
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;

/** The longest the exit waits for a stdout that takes nothing: this many of sonic-boom's 100 ms retries. */
const EXIT_RETRIES = 20;
/** Bytes of log lines held for a reader that stopped reading; newer lines are dropped beyond it. */
const MAX_HELD = 4 << 20;

/** A pino destination on `fd`, flushed (within a bound) when the process exits. */
export function logDestination(fd = 1): SonicBoom {
  const dest = new SonicBoom({ fd, sync: false, maxLength: MAX_HELD });
  dest.on('error', () => {
    // EPIPE (the reader is gone) or worse: what is left to log is lost, the daemon goes on
    dest.write = () => true;
    dest.flushSync = () => {};
  });
  process.on('exit', () => {
    (dest as SonicBoom & { maxWriteRetries: number }).maxWriteRetries = EXIT_RETRIES;
    try {
      dest.flushSync();
    } catch {
      // the reader is gone or takes nothing: these last lines are lost, not the exit
    }
  });
  return dest;
}
