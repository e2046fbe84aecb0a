// postfix-stats: the one executable the package ships (scripts/build-sea.mjs makes it a Node single
// executable). It is all three programs, chosen by the name it was started as, so the package carries
// one embedded Node runtime instead of three (each is ~100 MB):
//   /usr/sbin/postfix-statsd -> postfix-stats      postfix-stats postfix-statsd ARGS...
//   /usr/bin/postfix-stats-get -> postfix-stats    postfix-stats postfix-stats-get ARGS...
// Each program's modules are imported only when it is chosen: snmpd forks the helper per request,
// and it must not pay for loading the daemon's (pino, lmdb, the classifier).
import { basename } from 'node:path';
import { EXIT } from '../src/config/exit-codes.js';
import { VERSION } from '../src/version.js';

type Program = (argv: readonly string[]) => Promise<unknown>;

/** Loading a program's modules fails only when the installation is broken (lmdb.node missing). */
function load<M>(name: string, loader: () => Promise<M>, run: (m: M, argv: readonly string[]) => unknown): Program {
  return async (argv) => {
    let m: M;
    try {
      m = await loader();
    } catch (e) {
      process.stderr.write(`${name}: cannot load: ${(e as Error).message}\n`);
      process.exit(EXIT.osFile);
    }
    return run(m, argv);
  };
}

const PROGRAMS: Record<string, Program> = {
  // The database probe runs the daemon again in a child: by the second form, whatever name it has.
  'postfix-statsd': load('postfix-statsd', () => import('./postfix-statsd.js'), (m, argv) =>
    m.postfixStatsd(argv, [process.execPath, 'postfix-statsd'])),
  'postfix-stats-get': load('postfix-stats-get', () => import('../snmp-helper/postfix-stats-get.js'), (m, argv) => m.postfixStatsGet(argv)),
  'postfix-stats-report': load('postfix-stats-report', () => import('./postfix-stats-report.js'), (m, argv) => m.postfixStatsReport(argv)),
};

const USAGE = `Usage: postfix-stats PROGRAM [ARGS...]
       PROGRAM [ARGS...]          (started through a link named after the program)

One executable for the three programs of postfix-stats:
  postfix-statsd         the daemon: follows the mail log, counts, serves (see postfix-statsd --help)
  postfix-stats-get      answers snmpd from the daemon's snapshot (see postfix-stats-get --help)
  postfix-stats-report   pflogsumm's report, from the daemon's store or from log files

Options:
  -h, --help     this text
  --version      the version
`;

/** Only the table's own names: a link called `constructor` or `toString` is no program. */
function program(name: string): Program | undefined {
  return Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
}

/** process.argv is [executable, executable, args...] in a single executable, as under `node script`. */
function choose(argv0: string, args: readonly string[]): { run: Program; argv: readonly string[] } | string {
  const byName = program(basename(argv0));
  if (byName) return { run: byName, argv: args };
  const first = args[0];
  if (first === undefined) return 'no program given';
  const named = program(first);
  if (named) return { run: named, argv: args.slice(1) };
  return first === '-h' || first === '--help' || first === '--version' ? first : `unknown program: ${first}`;
}

const chosen = choose(process.argv0, process.argv.slice(2));
if (typeof chosen === 'object') {
  chosen.run(chosen.argv).catch((e: unknown) => {
    process.stderr.write(`postfix-stats: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT.software);
  });
} else if (chosen === '--version') {
  process.stdout.write(`postfix-stats ${VERSION}\n`);
} else if (chosen === '-h' || chosen === '--help') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`postfix-stats: ${chosen}\n${USAGE}`);
  process.exitCode = EXIT.usage;
}
