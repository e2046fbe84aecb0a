// Exactly once, under fire: a writer process appends real fixture lines at full speed while the log is
// rotated every way logrotate and postfix do it, the daemon is SIGKILLed at random moments (also
// while stopped the log rotates, gzip included) and its database is deleted under it. At the end every
// counter must equal what one uninterrupted run over the same lines gives: nothing lost, nothing doubled.
// PFS_TORTURE_KILLS sets the number of kills per scheme (default 50; 500 for a long run); PFS_SEED
// replays a run's choices (the timing differs, so not always its failure).
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon, counters, helper, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';
import { HEAD_BYTES, hashHead } from '../../src/source/file/fingerprint.js';
import { rotate, truncate, type Rotation } from './rotate.js';

const FIXTURES = ['classic.log', 'rfc3339.log', 'maillog_file.log'].map((f) => join('fixtures/logs', f));
const OPTS = ['--commit-lines', '50', '--commit-interval', '5', '--poll-interval', '20', '--rotate-wait', '1000'];

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
}

class Writer {
  readonly proc: ChildProcess;
  private replies: ((m: { total: number }) => void)[] = [];
  readonly ready: Promise<void>;

  constructor(path: string, reference: string, seed: number) {
    this.proc = fork('test/torture/writer.mjs', [path, reference, ...FIXTURES], { env: { ...process.env, PFS_SEED: String(seed) } });
    this.ready = new Promise((res) => this.proc.once('message', () => res()));
    this.proc.on('message', (m: { total?: number }) => {
      if (m.total !== undefined) this.replies.shift()?.(m as { total: number });
    });
  }

  private ask(cmd: string): Promise<number> {
    return new Promise((res) => {
      this.replies.push((m) => res(m.total));
      this.proc.send(cmd);
    });
  }

  pause = () => this.ask('pause');
  hup = () => this.ask('hup');
  stop = () => this.ask('stop');
  resume(): void {
    this.proc.send('resume');
  }
}

// While the daemon recreates a deleted database the new file is briefly too short to open: read 0.
const self = (db: string, key: string) => {
  try {
    return counters(db)[`self:${key}`] ?? 0n;
  } catch {
    return 0n;
  }
};

// One naming scheme per run, as on a real host: logrotate's numbers, or postfix's time stamps.
const SCHEMES: Record<string, { live: Rotation[]; stopped: Exclude<Rotation, 'truncate' | 'copytruncate'>[] }> = {
  logrotate: { live: ['create', 'delaycompress', 'compress', 'copytruncate', 'truncate'], stopped: ['create', 'compress', 'delaycompress'] },
  'postfix logrotate': { live: ['postfix', 'truncate'], stopped: ['postfix'] },
};

const kills = Number(process.env.PFS_TORTURE_KILLS ?? 50);

describe('torture', () => {
  it.each(Object.keys(SCHEMES))('counts every line exactly once through %s rotations, SIGKILLs and a deleted database', async (scheme) => {
    const chosen = SCHEMES[scheme]!;
    // Narrowing a failure down: PFS_TORTURE_LIVE=create,compress limits the live rotations,
    // PFS_TORTURE_STOPPED=0 the rotations while stopped, PFS_TORTURE_DBDEL=0 the database deletions.
    const rotations = process.env.PFS_TORTURE_LIVE ? (process.env.PFS_TORTURE_LIVE.split(',') as Rotation[]) : chosen.live;
    const stopped = process.env.PFS_TORTURE_STOPPED === '0' ? [] : chosen.stopped;
    const seed = Number(process.env.PFS_SEED ?? Date.now() % 100_000);
    const rand = rng(seed);
    console.log(`torture: seed ${seed} (replay with PFS_SEED=${seed})`);
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, '');
    const whole = join(dir, 'whole.log');
    const writer = new Writer(log, whole, seed);
    await writer.ready;
    const done: Record<string, number> = {};
    const journal: string[] = [];
    const note = (what: string) => {
      done[what] = (done[what] ?? 0) + 1;
      journal.push(`${Date.now()} ${what}`);
    };
    let d = new Daemon(log, db, OPTS);
    const daemons = [d];
    // On a failure: the directory listing, what the test did when, and every daemon's log.
    const dump = () => {
      const to = join(process.env.PFS_TORTURE_DUMP ?? tmpdir(), `pfs-torture-${seed}-${scheme.replace(' ', '-')}.txt`);
      // size, inode and head fingerprint (as the follower computes it) of each file
      const files = readdirSync(dir)
        .map((f) => {
          const st = statSync(join(dir, f));
          if (!st.isFile()) return `${f} ${st.size}`;
          const raw = readFileSync(join(dir, f));
          const text = f.endsWith('.gz') ? gunzipSync(raw) : raw;
          return `${f} ${st.size} ino ${st.ino} head ${hashHead(text, Math.min(text.length, HEAD_BYTES))}`;
        })
        .join('\n');
      writeFileSync(to, `${files}\n===\n${journal.join('\n')}\n===\n${daemons.map((x) => `pid ${x.proc.pid}, ${x.diagnostics}\n${x.output}`).join('\n---\n')}`);
      console.log(`torture: failed; directory, journal and daemon logs in ${to}; last steps:\n${journal.slice(-10).join('\n')}`);
    };
    // Before its first commit the daemon has no position, and a first start reads only the current file.
    await waitFor(() => self(db, 'lines') > 0n, 'first commit');

    async function rotateLive(how: Rotation): Promise<void> {
      if (how === 'copytruncate') {
        // Lines written between copy and truncate would be lost whoever reads: pause the writer.
        // And the copy can only be matched to a position once the daemon saw the file's first
        // bytes: let it catch up (the README lists this copytruncate race among the limits).
        const total = await writer.pause();
        await waitFor(() => self(db, 'lines') === BigInt(total), 'daemon caught up before copytruncate').catch((e) => {
          throw new Error(`${e.message}: ${total} written, ${self(db, 'lines')} read`);
        });
        rotate(log, how);
        writer.resume();
      } else if (how === 'truncate') {
        // Plain truncation destroys what was not read yet: truncate only once all was read.
        const total = await writer.pause();
        await waitFor(() => self(db, 'lines') === BigInt(total), 'daemon caught up before truncation').catch((e) => {
          const viaHelper = helper(['--db', db, 'self:lines']).stdout.trim();
          dump();
          throw new Error(`${e.message}: ${total} written, ${self(db, 'lines')} read (helper: ${viaHelper}), ${JSON.stringify(done)}\n${d.output.slice(-3000)}`);
        });
        const seen = self(db, 'truncations');
        const had = statSync(log).size > 0;
        truncate(log);
        // Killed before it saw the truncation, the daemon could not tell it from lost lines (a gap).
        // (Truncating an empty file changes nothing there is to see.)
        if (had) await waitFor(() => self(db, 'truncations') > seen, 'truncation seen');
        writer.resume();
      } else {
        const compress = rotate(log, how);
        await writer.hup();
        compress();
      }
      note(`rotation ${how}`);
    }

    async function restart(): Promise<void> {
      await d.stop('SIGKILL');
      note('SIGKILL');
      if (stopped.length > 0 && rand(4) === 0) {
        // Rotations while stopped: the restarted daemon must finish each rotated copy, in order.
        for (let i = 1 + rand(3); i > 0; i--) {
          const compress = rotate(log, stopped[rand(stopped.length)]!);
          await writer.hup();
          compress();
          note('rotation while stopped');
        }
      }
      d = new Daemon(log, db, OPTS);
      daemons.push(d);
      journal.push(`${Date.now()} start ${d.proc.pid}`);
    }

    let total: number;
    try {
      let last = 'start';
      while ((done.SIGKILL ?? 0) < kills) {
        if (process.env.PFS_TORTURE_CHECK) {
          // Debugging aid: after each step, everything written so far must be counted.
          const total = await writer.pause();
          await waitFor(() => self(db, 'lines') === BigInt(total), `catch-up after ${last}`).catch((e) => {
            throw new Error(`${e.message}, now ${JSON.stringify(done)}: ${total} written, ${self(db, 'lines')} read\n${d.output.slice(-4000)}`);
          });
          writer.resume();
        }
        const action = rand(10);
        last = JSON.stringify(done);
        if (action < 4) {
          if (rand(4) !== 0) await waitFor(() => d.output.includes('"msg":"started"'), 'daemon up');
          await new Promise((r) => setTimeout(r, rand(150))); // a random moment, not a wait for anything
          await restart();
        } else if (action < 9) {
          const how = rotations[rand(rotations.length)]!;
          if (how === 'truncate') await waitFor(() => d.output.includes('"msg":"started"'), 'daemon up');
          await rotateLive(how);
          if (rand(3) === 0) await restart(); // killed in the middle of a rotation
        } else if (process.env.PFS_TORTURE_DBDEL !== '0') {
          await waitFor(() => d.output.includes('"msg":"started"'), 'daemon up');
          const before = self(db, 'db_recreated');
          rmSync(join(db, 'data.mdb'), { force: true });
          rmSync(join(db, 'lock.mdb'), { force: true });
          await waitFor(() => self(db, 'db_recreated') > before, 'database recreated');
          note('database deleted');
        }
      }

      total = await writer.stop();
      await waitFor(() => self(db, 'lines') >= BigInt(total), `all ${total} lines counted`, 60_000);
    } catch (e) {
      dump();
      throw e;
    }
    await d.stop('SIGTERM');
    expect(runOnce(whole, join(dir, 'ref')).code).toBe(0);
    const want = mailCounters(join(dir, 'ref'));
    const got = mailCounters(db);
    let lost = 0;
    let doubled = 0;
    for (const k of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const diff = (got[k] ?? 0) - (want[k] ?? 0);
      if (diff < 0) lost -= diff;
      else doubled += diff;
    }
    const lines = Number(self(db, 'lines'));
    console.log(
      `torture (${scheme}): ${total} lines written, ${lines} read; ${JSON.stringify(done)}; ` +
        `self:gaps ${self(db, 'gaps')}; counts lost ${lost}, counts doubled ${doubled}`,
    );
    const warnings = daemons.flatMap((x) => x.output.split('\n').filter((l) => l.includes('"level":40') || l.includes('"level":50')));
    if (self(db, 'gaps') > 0n) console.log(`torture: warnings\n${warnings.join('\n')}`);
    expect(lines).toBe(total);
    expect(got).toEqual(want);
    expect(self(db, 'gaps')).toBe(0n);
  }, Math.max(120_000, kills * 2_000)); // 500 kills took 118 s in the postfix scheme, over 120 s in the other
});
