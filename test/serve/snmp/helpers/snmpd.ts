// A real snmpd for the tests: its own config, persistent dir and port on 127.0.0.1, started in the
// foreground so the test owns the process, and polled with snmpget until it answers.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SNMPD = '/usr/sbin/snmpd';
/** sysUpTime.0: every snmpd answers it, so it tells when the agent is up. */
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

export interface Varbind {
  readonly oid: string;
  /** As snmpget prints it: STRING, Counter64, Counter32, INTEGER, ... or a "No Such ..." text. */
  readonly type: string;
  /** The value, strings unquoted. */
  readonly value: string;
}

/** An unprivileged UDP port the kernel just said is free. */
export async function freePort(kind: 'udp4' | 'tcp' = 'udp4'): Promise<number> {
  if (kind === 'tcp') {
    const { createServer } = await import('node:net');
    return new Promise((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => res(port));
      });
    });
  }
  return new Promise((res, rej) => {
    const s = createSocket('udp4');
    s.once('error', rej);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => res(port));
    });
  });
}

/** Parses snmpget/snmpwalk output printed with -On (one varbind per line; strings may not span lines here). */
export function parseVarbinds(out: string): Varbind[] {
  const binds: Varbind[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\.[0-9.]+) = (?:([A-Za-z0-9-]+): ?)?(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[3]!;
    if (m[2] === undefined) {
      // Two lines carry no type: an empty string prints as "", and "No Such Object available ...".
      binds.push(raw === '""' ? { oid: m[1]!, type: 'STRING', value: '' } : { oid: m[1]!, type: raw, value: '' });
      continue;
    }
    const value = m[2] === 'STRING' && raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    binds.push({ oid: m[1]!, type: m[2], value });
  }
  return binds;
}

export class Snmpd {
  private out = '';
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly proc: ChildProcess,
    readonly exited: Promise<number | null>,
  ) {
    proc.stdout!.on('data', (d) => (this.out += d));
    proc.stderr!.on('data', (d) => (this.out += d));
  }

  /** snmpd's own log (-Lo), for failure messages. */
  get log(): string {
    return this.out;
  }

  /**
   * Starts snmpd with `rocommunity public 127.0.0.1` plus `lines`, and waits until it answers.
   * `port` reuses a port (a restart); otherwise a free one is picked.
   */
  static async start(lines: readonly string[], opts: { port?: number; dir?: string } = {}): Promise<Snmpd> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pfs-snmpd-'));
    const conf = join(dir, 'snmpd.conf');
    // `private` may write, so a SET reaches what serves the OID (which must refuse it)
    writeFileSync(conf, ['rocommunity public 127.0.0.1', 'rwcommunity private 127.0.0.1', ...lines, ''].join('\n'));
    return Snmpd.startConf(conf, { ...opts, dir });
  }

  /**
   * Starts snmpd on the config file `conf` as it is (no line added), with `args` before the
   * listening address (-x for the AgentX socket, -u/-g to drop privileges, ...), and waits until
   * it answers sysUpTime.0 to community public. `dir` (a new temp dir by default) holds the
   * persistent files and the pid file, and is removed by stop().
   */
  static async startConf(
    conf: string,
    opts: { port?: number; dir?: string; args?: readonly string[] } = {},
  ): Promise<Snmpd> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pfs-snmpd-'));
    const port = opts.port ?? (await freePort());
    mkdirSync(join(dir, 'persist'), { recursive: true });
    mkdirSync(join(dir, 'no-mibs'), { recursive: true });
    const argv = ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid'), ...(opts.args ?? []), `udp:127.0.0.1:${port}`];
    const proc = spawn(SNMPD, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No MIB files: the agent needs none, and Debian without snmp-mibs-downloader logs pages of warnings.
      env: { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'persist'), MIBDIRS: join(dir, 'no-mibs'), MIBS: '' },
    });
    const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
    const d = new Snmpd(port, dir, proc, exited);
    let gone = false;
    void exited.then(() => (gone = true));
    const end = Date.now() + 20_000;
    for (;;) {
      if (gone) throw new Error(`snmpd exited at start:\n${d.log}`);
      try {
        await d.get([SYS_UPTIME], { timeout: 0.2 });
        return d;
      } catch (e) {
        if (Date.now() > end) {
          await d.stop();
          throw new Error(`snmpd did not answer on port ${port}: ${(e as Error).message}\n${d.log}`);
        }
      }
    }
  }

  private args(timeout: number): string[] {
    return ['-v2c', '-c', 'public', '-On', '-t', String(timeout), '-r', '0', `127.0.0.1:${this.port}`];
  }

  /** One GET request for all `oids`. Rejects on a timeout or an error status. */
  async get(oids: readonly string[], o: { timeout?: number; version?: '1' | '2c' } = {}): Promise<Varbind[]> {
    const a = this.args(o.timeout ?? 15);
    if (o.version === '1') a[0] = '-v1';
    const { stdout } = await run('snmpget', [...a, ...oids], { env: noMibs(this.dir) });
    return parseVarbinds(stdout);
  }

  /** One GETNEXT request for all `oids`. */
  async next(oids: readonly string[]): Promise<Varbind[]> {
    const { stdout } = await run('snmpgetnext', [...this.args(15), ...oids], { env: noMibs(this.dir) });
    return parseVarbinds(stdout);
  }

  /** One SET with the writing community; its exit code and output, whatever snmpd answered. */
  async set(oid: string, type: string, value: string): Promise<{ code: number; out: string }> {
    const a = this.args(15);
    a[2] = 'private';
    try {
      const { stdout, stderr } = await run('snmpset', [...a, oid, type, value], { env: noMibs(this.dir) });
      return { code: 0, out: `${stdout}${stderr}` };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: x.code ?? -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
    }
  }

  async walk(oid: string, o: { timeout?: number; bulk?: boolean } = {}): Promise<Varbind[]> {
    const { stdout } = await run(o.bulk ? 'snmpbulkwalk' : 'snmpwalk', [...this.args(o.timeout ?? 15), oid], {
      env: noMibs(this.dir),
      maxBuffer: 16 << 20,
    });
    return parseVarbinds(stdout);
  }

  /** The pids of snmpd's running children (pass_persist helpers), from /proc. */
  children(): number[] {
    const ppid = String(this.proc.pid);
    return readdirSync('/proc')
      .filter((n) => /^[0-9]+$/.test(n))
      .filter((n) => {
        try {
          return /^PPid:\s+([0-9]+)$/m.exec(readFileSync(`/proc/${n}/status`, 'utf8'))?.[1] === ppid;
        } catch {
          return false; // exited meanwhile
        }
      })
      .map(Number);
  }

  /** SIGTERM, then wait for the exit; removes the temp dir. */
  async stop(keepDir = false): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await this.exited;
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

function noMibs(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, MIBDIRS: join(dir, 'no-mibs'), MIBS: '' };
}
