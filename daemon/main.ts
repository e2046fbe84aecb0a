#!/usr/bin/env node
// postfix-statsd: wiring and exit codes only.
import { mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { parseDaemonArgs, USAGE, VERSION } from '../src/config/daemon-options.js';
import { Engine } from '../src/engine/engine.js';
import { checkLogPath } from '../src/follow/check-path.js';
import { Waker } from '../src/follow/waker.js';
import { startAgentx } from '../src/snmp/agentx.js';
import { servable } from '../src/snmp/table.js';
import { lockDir } from '../src/store/lock.js';
import { PROBE_FLAG, probe, probeChild } from '../src/store/probe.js';

const EX_USAGE = 64;
const EX_NOINPUT = 66;
const EX_SOFTWARE = 70;
const EX_IOERR = 74;
const EX_TEMPFAIL = 75;

function fail(code: number, message: string): never {
  process.stderr.write(`postfix-statsd: ${message}\n`);
  process.exit(code);
}

if (process.argv[2] === PROBE_FLAG) process.exit(await probeChild(process.argv[3]!));
const parsed = parseDaemonArgs(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.info === 'error') fail(EX_USAGE, `${parsed.error}\n${USAGE}`);
  process.stdout.write(parsed.info === 'help' ? USAGE : `postfix-statsd ${VERSION}\n`);
  process.exit(0);
}
const opts = parsed.options;
const log = pino({ name: 'postfix-statsd', level: opts.logLevel });
let stopping = false;
let waker: Waker | undefined;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    stopping = true;
    waker?.interrupt();
  });
}

// A log that can never be followed (a FIFO, a device, a directory) is a mistake to report, not to wait
// on; a missing or unreadable one may yet appear or be fixed, unless --once must read it now.
const logCheck = checkLogPath(opts.log);
if (!logCheck.ok && (logCheck.code === 'not_regular' || opts.once)) fail(EX_NOINPUT, `cannot follow --log ${logCheck.message}`);

try {
  mkdirSync(opts.db, { recursive: true });
} catch (e) {
  fail(EX_IOERR, `cannot create the database directory: ${(e as Error).message}`);
}
const lock = await lockDir(opts.db);
if (!lock.ok) fail(EX_TEMPFAIL, lock.message);

const probed = probe(opts.db, [process.execPath, ...process.execArgv, process.argv[1]!]);
if (!probed.ok) fail(EX_IOERR, `cannot open the database: ${probed.message}`);
let engine: Engine;
try {
  engine = new Engine(opts, log);
} catch (e) {
  log.fatal({ err: (e as Error).message, db: opts.db }, 'cannot open the database');
  fail(EX_IOERR, `cannot open the database: ${(e as Error).message}`);
}

waker = new Waker(opts.log, opts.pollMs);
// AgentX (off by default): snmpd queries the table here, from the last commit held in memory.
const agentx = opts.agentx && !opts.once ? startAgentx(opts.agentx, () => servable(engine.snapshot.rows), log) : undefined;

try {
  while (!stopping) {
    const n = await engine.poll();
    if (n === 0) {
      if (opts.once) break;
      await waker.wait(Math.min(opts.pollMs, engine.commitDueIn(true) ?? opts.pollMs));
    } else {
      // A backlog resolves every read at once: without a turn of the event loop, SIGTERM would
      // wait for its end (measured: 2.8 s on a 2M-line log).
      await new Promise((r) => setImmediate(r));
    }
  }
  waker.close();
  agentx?.stop();
  const committed = await engine.close();
  lock.release();
  if (!committed) fail(EX_IOERR, `the last commit to ${opts.db} failed (see the log); a rerun reads its lines again`);
  log.info({ lines: engine.counters.get('self:lines').toString() }, 'stopped');
  process.exit(0);
} catch (e) {
  log.fatal({ err: (e as Error).stack }, 'internal error');
  process.exit(EX_SOFTWARE);
}
