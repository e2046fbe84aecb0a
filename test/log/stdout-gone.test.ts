// The daemon's log lines go to stdout (journald under systemd). A reader that stops reading, then
// goes away, must cost the daemon its log lines only: it keeps counting, and SIGTERM still ends it.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON, NODE, counters, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

/** A FIFO's write end, non-blocking, with its pipe filled to capacity, and its read end (never read). */
function fullPipe(dir: string): { readonly r: number; readonly w: number } {
  const path = join(dir, 'stdout');
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  const r = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const w = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const chunk = Buffer.alloc(4096, 0x2e);
  for (;;) {
    try {
      writeSync(w, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw e;
    }
  }
  return { r, w };
}

describe('the daemon with a stdout nobody reads', () => {
  it('counts while its stdout pipe is full, and exits on SIGTERM after the reader went away (EPIPE)', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, 'Nov 22 02:43:13 mx1 postfix/qmgr[12]: 1A2B3C4D5E: removed\n'.repeat(100));
    const { r, w } = fullPipe(dir);
    // the daemon's stdout shares the write end's open file: its writes see the full pipe (EAGAIN)
    const d = spawn(NODE, [DAEMON, '--log', log, '--db', db, '--commit-interval', '1'], { stdio: ['ignore', w, 'pipe'] });
    closeSync(w);
    const exited = new Promise<{ code: number | null; signal: string | null }>((res) => d.on('exit', (code, signal) => res({ code, signal })));
    try {
      await waitFor(() => counters(db)['self:lines'] === 100n, 'the 100 lines counted');
      writeFileSync(log, 'Nov 22 02:43:14 mx1 postfix/qmgr[12]: 1A2B3C4D5F: removed\n'.repeat(50), { flag: 'a' });
      await waitFor(() => counters(db)['self:lines'] === 150n, 'the 50 lines appended counted');
      closeSync(r); // the reader is gone: the next write is EPIPE
      d.kill('SIGTERM');
      const hung = new Promise<'hung'>((res) => setTimeout(() => res('hung'), 10_000).unref());
      const end = await Promise.race([exited, hung]);
      expect(end).toEqual({ code: 0, signal: null });
    } finally {
      d.kill('SIGKILL');
    }
  }, 60_000);
});
