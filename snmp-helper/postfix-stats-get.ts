// postfix-stats-get: wiring and exit codes only. Kept to a few imports: snmpd forks it per request
// (exec, extend, pass), and the single executable loads only this program's modules (daemon/postfix-stats.ts).
import { hostname, uptime } from 'node:os';
import { EXIT } from '../src/config/exit-codes.js';
import { USAGE, parseGetArgs } from '../src/serve/snmp/get-args.js';
import { servePassPersist } from '../src/serve/snmp/pass-persist-io.js';
import { runCommand } from '../src/serve/snmp/run-command.js';
import { VERSION } from '../src/version.js';

function fail(code: number, message: string): never {
  process.stderr.write(`postfix-stats-get: ${message}\n`);
  process.exit(code);
}

export function postfixStatsGet(argv: readonly string[]): void {
  const parsed = parseGetArgs(argv);
  if (!parsed.ok) fail(EXIT.usage, `${parsed.error} (see --help)`);
  const cmd = parsed.command;
  if (cmd.kind === 'help' || cmd.kind === 'version') {
    process.stdout.write(cmd.kind === 'help' ? USAGE : `postfix-stats-get ${VERSION}\n`);
    process.exit(EXIT.ok);
  }

  if (cmd.kind === 'pass-persist') {
    // Runs until snmpd closes our stdin (it restarts us when it needs us again).
    servePassPersist(cmd.db, cmd.view, cmd.base, process.stdin, process.stdout, process.stderr).then(
      () => process.exit(EXIT.ok),
      (e: unknown) => fail(EXIT.software, (e as Error).message),
    );
  } else {
    let out;
    try {
      out = runCommand(cmd, { uptimeSeconds: uptime(), hostname: hostname() });
    } catch (e) {
      fail(EXIT.software, (e as Error).message);
    }
    process.stderr.write(out.stderr);
    process.stdout.write(out.stdout);
    process.exit(out.code);
  }
}
