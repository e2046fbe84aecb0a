// Clean Debian roots for the package tests: made with mmdebstrap from deb.debian.org, cached as a
// tarball per suite and package list (outside the repository), unpacked fresh for every run, and
// entered with chroot inside a private mount namespace (unshare -m) that has /proc and /dev: the
// mounts vanish with the namespace, so nothing is left mounted on the host and removing the root
// can never reach the host's /dev.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const CACHE = process.env.PFS_DEB_CACHE ?? '/var/cache/postfix-stats-test';
export const MIRROR = process.env.PFS_DEB_MIRROR ?? 'http://deb.debian.org/debian';

export function have(cmd: string, args = ['--version']): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Whether the mirror carries `suite` (its Release file answers). */
export async function mirrorHas(suite: string): Promise<boolean> {
  try {
    const r = await fetch(`${MIRROR}/dists/${suite}/Release`, { method: 'HEAD', signal: AbortSignal.timeout(30_000) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * The cached tarball of a `variant` root of `suite` with `include` installed, made with
 * mmdebstrap if missing (first run, or a new package list). Returns its path, whether it was
 * made now and how long that took. Asynchronous, so that several suites' roots download at once.
 */
export async function cachedRoot(suite: string, include: readonly string[], variant = 'apt'): Promise<{ tar: string; made: boolean; seconds: number }> {
  const pkgs = [...new Set(include)].sort();
  const key = createHash('sha256').update(`${variant}\n${MIRROR}\n${pkgs.join(',')}`).digest('hex').slice(0, 12);
  mkdirSync(CACHE, { recursive: true });
  const tar = join(CACHE, `${suite}-${variant}-${key}.tar`);
  if (existsSync(tar)) return { tar, made: false, seconds: 0 };
  const t0 = Date.now();
  const tmp = `${tar}.tmp-${process.pid}`;
  const args = ['--quiet', '--format=tar', `--variant=${variant}`, `--include=${pkgs.join(',')}`, suite, tmp, MIRROR];
  const { code, out } = await new Promise<{ code: number | null; out: string }>((res) => {
    const c = spawn('mmdebstrap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => c.kill('SIGTERM'), 900_000);
    c.on('close', (code) => {
      clearTimeout(timer);
      res({ code, out });
    });
  });
  if (code !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`mmdebstrap ${args.join(' ')} failed (${code}):\n${out}`);
  }
  renameSync(tmp, tar);
  return { tar, made: true, seconds: (Date.now() - t0) / 1000 };
}

/** A fresh directory holding the root of `tar`. */
export function unpack(tar: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['-C', dir, '--numeric-owner', '-xpf', tar], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xf ${tar}: ${r.stderr}`);
}

// Run as `sh -c SCRIPT ROOT ARGV...` by unshare: mount /proc (the executable finds itself, and
// its lmdb.node beside it, through /proc/self/exe) and /dev, optionally bring up the loopback of a
// new network namespace, then chroot, optionally as a user (numeric uid:gid, supplementary gids)
// and with a umask. Both mounts are private to the namespace.
const ENTER = `set -e
r=$1; shift
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
if [ -n "$PFS_NETNS" ]; then ip link set lo up; fi
if [ -n "$PFS_UMASK" ]; then umask "$PFS_UMASK"; fi
if [ -n "$PFS_USERSPEC" ]; then exec chroot --userspec="$PFS_USERSPEC" --groups="$PFS_GROUPS" "$r" "$@"; fi
exec chroot "$r" "$@"`;

const ROOT_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: '/root', TERM: 'dumb' };

function unshareArgs(root: string, argv: readonly string[], netns: boolean): string[] {
  return ['--mount', '--propagation', 'private', ...(netns ? ['--net'] : []), '--fork', '/bin/sh', '-c', ENTER, 'enter', root, ...argv];
}

/** Runs argv in the root and waits. */
export interface As {
  /** numeric uid:gid */
  userspec: string;
  /** numeric supplementary gids, comma-separated */
  groups: string;
  umask?: string;
}

function enterEnv(o: { netns?: boolean; as?: As }): Record<string, string> {
  return {
    ...ROOT_ENV,
    ...(o.netns ? { PFS_NETNS: '1' } : {}),
    ...(o.as ? { PFS_USERSPEC: o.as.userspec, PFS_GROUPS: o.as.groups, PFS_UMASK: o.as.umask ?? '' } : {}),
  };
}

export function inRoot(root: string, argv: readonly string[], o: { input?: string; netns?: boolean; timeout?: number; as?: As } = {}): SpawnSyncReturns<string> {
  return spawnSync('unshare', unshareArgs(root, argv, o.netns === true), {
    encoding: 'utf8',
    input: o.input,
    timeout: o.timeout ?? 120_000,
    maxBuffer: 64 << 20,
    env: enterEnv(o),
  });
}

/** A shell script run in the root (its /bin/sh). */
export function shInRoot(root: string, script: string, o: Parameters<typeof inRoot>[2] = {}): SpawnSyncReturns<string> {
  return inRoot(root, ['/bin/sh', '-ec', script], o);
}

/** Starts argv in the root in the background. */
export function spawnInRoot(root: string, argv: readonly string[], o: { netns?: boolean; as?: As } = {}): ChildProcess {
  return spawn('unshare', unshareArgs(root, argv, o.netns === true), { stdio: ['ignore', 'pipe', 'pipe'], env: enterEnv(o) });
}

/**
 * spawnSync's result, without blocking: a long spawnSync (the build, lintian) would stall the
 * vitest worker's event loop past its RPC timeout.
 */
export function run(cmd: string, args: readonly string[], o: { timeout?: number } = {}): Promise<SpawnSyncReturns<string>> {
  return new Promise((res) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => c.kill('SIGTERM'), o.timeout ?? 600_000);
    c.on('error', (error) => res({ pid: 0, output: [], stdout, stderr, status: null, signal: null, error }));
    c.on('close', (status, signal) => {
      clearTimeout(timer);
      res({ pid: c.pid ?? 0, output: [null, stdout, stderr], stdout, stderr, status, signal });
    });
  });
}

export function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** systemd's expansion of an Exec line: ${VAR} stays one word, a word that is $VAR splits on whitespace. */
export function expandExec(line: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const w of line.trim().split(/\s+/)) {
    const whole = /^\$(\w+)$/.exec(w);
    if (whole) out.push(...(env[whole[1]!] ?? '').split(/\s+/).filter(Boolean));
    else out.push(w.replace(/\$\{(\w+)\}/g, (_, v: string) => env[v] ?? ''));
  }
  return out;
}

/** KEY=VALUE lines of an EnvironmentFile (no quoting is used in ours; comments and blanks skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const l of text.split('\n')) {
    const m = /^\s*([A-Za-z_]\w*)=(.*)$/.exec(l);
    if (m) env[m[1]!] = m[2]!.trim();
  }
  return env;
}
