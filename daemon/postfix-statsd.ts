// postfix-statsd: wiring and exit codes only. A function, not a script, so that one executable can hold
// all three programs (daemon/postfix-stats.ts); daemon/main.ts runs it under a plain `node`.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { logDestination } from '../src/log/destination.js';
import { EXIT } from '../src/config/exit-codes.js';
import { parseDaemonArgs, USAGE, VERSION } from '../src/config/daemon-options.js';
import { classifier } from '../src/classify/classifier.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { run } from '../src/pipeline/run.js';
import { checkLogPath } from '../src/source/file/check-path.js';
import { openChosen } from '../src/source/choose.js';
import { SourceFailed } from '../src/source/source.js';
import { startAgentx } from '../src/serve/snmp/agentx.js';
import { servable } from '../src/serve/snmp/table.js';
import { HttpWorkerHost } from '../src/serve/http/worker-host.js';
import { SELF } from '../src/counters/counters.js';
import { lockDir } from '../src/store/lock.js';
import { PROBE_FLAG, probe, probeChild } from '../src/store/probe.js';


function fail(code: number, message: string): never {
  process.stderr.write(`postfix-statsd: ${message}\n`);
  process.exit(code);
}

/** `self`: how to run this program again (the database probe runs in a child of its own). */
export async function postfixStatsd(argv: readonly string[], self: readonly string[]): Promise<never> {
  if (argv[0] === PROBE_FLAG) process.exit(await probeChild(argv[1]!));
  const parsed = parseDaemonArgs([...argv]);
  if (!parsed.ok) {
    if (parsed.info === 'error') fail(EXIT.usage, `${parsed.error}\n${USAGE}`);
    process.stdout.write(parsed.info === 'help' ? USAGE : `postfix-statsd ${VERSION}\n`);
    process.exit(EXIT.ok);
  }
  const opts = parsed.options;
  const log = pino({ name: 'postfix-statsd', level: opts.logLevel }, logDestination());
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => stop.abort());
  // Node's default for SIGHUP is to die, and systemd's Restart=on-failure calls that a clean stop:
  // a `kill -HUP` meant as "reload" (as syslog daemons take it) would end the counting for good.
  // There is nothing to reload (rotations are seen as they happen), so it is noted and let be.
  process.on('SIGHUP', () => log.info('SIGHUP: nothing to reload (rotations are followed as they happen); going on'));

  // A log that can never be followed (a FIFO, a device, a directory) is a mistake to report, not to wait
  // on; a missing or unreadable one may yet appear or be fixed, unless --once must read it now.
  const source = opts.source;
  if (source.kind === 'file') {
    for (const path of source.logs) {
      const logCheck = checkLogPath(path);
      if (!logCheck.ok && (logCheck.code === 'not_regular' || opts.once)) fail(EXIT.noInput, `cannot follow --log ${logCheck.message}`);
    }
  }

  try {
    mkdirSync(opts.db, { recursive: true });
  } catch (e) {
    fail(EXIT.ioErr, `cannot create the database directory: ${(e as Error).message}`);
  }
  const lock = await lockDir(opts.db);
  if (!lock.ok) fail(EXIT.tempFail, lock.message);

  const probed = probe(opts.db, self);
  if (!probed.ok) fail(EXIT.ioErr, `cannot open the database: ${probed.message}`);
  const serveHttp = opts.http !== undefined && !opts.once;
  // HTTP (off by default) is served by a worker thread, handed each commit's snapshot, that reads the
  // history from this process's store itself and lets go of it while deleted files are recreated.
  let http: HttpWorkerHost | undefined;
  let pipeline: Pipeline;
  try {
    const open = openChosen(source, { ...opts, warn: (obj, msg) => log.warn(obj, msg) });
    const readers = serveHttp ? { release: () => http?.release() ?? Promise.resolve(true), reopen: () => http?.reopen() } : undefined;
    pipeline = new Pipeline({ ...opts, readers, published: (s) => http?.post(s) }, classifier(opts.classify, opts.perHost), open, log);
  } catch (e) {
    log.fatal({ err: (e as Error).message, db: opts.db }, 'cannot open the database');
    fail(EXIT.ioErr, `cannot open the database: ${(e as Error).message}`);
  }

  // AgentX (off by default): snmpd queries the table here, from the last commit held in memory.
  const agentx = opts.agentx && !opts.once ? startAgentx(opts.agentx, () => servable(pipeline.snapshot.rows), log) : undefined;

  if (serveHttp) {
    const started = await HttpWorkerHost.start({
      address: opts.http!,
      db: opts.db,
      tz: pipeline.clock.tz,
      host: hostname(),
      snapshot: () => pipeline.snapshot,
      log,
      restarting: () => pipeline.count(SELF.httpRestarts),
    });
    if (!started.ok) {
      agentx?.stop();
      await pipeline.close();
      lock.release();
      fail(EXIT.unavailable, started.error);
    }
    http = started.http;
  }

  try {
    const committed = await run(pipeline, { once: opts.once, pollMs: opts.pollMs, stop: stop.signal });
    agentx?.stop();
    await http?.stop();
    lock.release();
    if (!committed) fail(EXIT.ioErr, `the last commit to ${opts.db} failed (see the log); a rerun reads its lines again`);
    log.info({ lines: pipeline.counters.get('self:lines').toString() }, 'stopped');
    process.exit(EXIT.ok);
  } catch (e) {
    if (e instanceof SourceFailed) fail(EXIT.noInput, `${(e as Error).message}; what was read before is committed, a rerun goes on after it`);
    log.fatal({ err: (e as Error).stack }, 'internal error');
    process.exit(EXIT.software);
  }
}
