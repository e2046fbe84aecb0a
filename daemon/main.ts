#!/usr/bin/env node
// postfix-statsd: wiring and exit codes only.
import { pino } from 'pino';
import { parseDaemonArgs, USAGE } from '../src/config/daemon-options.js';
import { Engine } from '../src/engine/engine.js';
import { Waker } from '../src/follow/waker.js';
import { startAgentx } from '../src/snmp/agentx.js';

const EX_USAGE = 64;
const EX_SOFTWARE = 70;
const EX_IOERR = 74;

const parsed = parseDaemonArgs(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.help) process.stdout.write(USAGE);
  else process.stderr.write(`postfix-statsd: ${parsed.error}\n${USAGE}`);
  process.exit(parsed.help ? 0 : EX_USAGE);
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

let engine: Engine;
try {
  engine = new Engine(opts, log);
} catch (e) {
  log.fatal({ err: (e as Error).message, db: opts.db }, 'cannot open the database');
  process.exit(EX_IOERR);
}

waker = new Waker(opts.log, opts.pollMs);
const readerCheck = setInterval(() => engine.readerCheck(), 60_000);
readerCheck.unref();
// AgentX (off by default): snmpd queries the table here instead of forking postfix-stats-get.
const agentx = opts.agentx && !opts.once ? startAgentx(opts.agentx, opts.db, log) : undefined;

try {
  while (!stopping) {
    const n = await engine.poll();
    if (n === 0) {
      if (opts.once) break;
      await waker.wait(Math.min(opts.pollMs, engine.commitDueIn(true) ?? opts.pollMs));
    }
  }
  waker.close();
  agentx?.stop();
  await engine.close();
  log.info({ lines: engine.counters.get('self:lines').toString() }, 'stopped');
  process.exit(0);
} catch (e) {
  log.fatal({ err: (e as Error).stack }, 'internal error');
  process.exit(EX_SOFTWARE);
}
