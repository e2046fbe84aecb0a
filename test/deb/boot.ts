// A Debian root booted with its own systemd as PID 1, for the package test that needs the real
// thing: postinst's deb-systemd-invoke starting the service, the unit's sandbox (ProtectSystem,
// the syscall filter, its own mount namespace) around the single executable, prerm stopping it.
// No container manager runs here (systemd-nspawn needs a host booted with systemd), so: new PID,
// mount, network, UTS and IPC namespaces (unshare), the root bind-mounted on itself (systemd sets
// up a service's mount namespace only below a real mount point: a plain chroot gives 226/NAMESPACE),
// /proc, /sys and /dev mounted in, the loopback up, then chroot and exec systemd. Killing PID 1
// ends the namespace with every process and mount in it.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const BOOT = `set -e
r=$1
mount --bind "$r" "$r"
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount --rbind /dev "$r/dev"
ip link set lo up
cd "$r"
exec chroot . /lib/systemd/systemd --system`;

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: '/root', TERM: 'dumb', SYSTEMD_PAGER: '' };

export class Booted {
  private constructor(
    private readonly unshare: ChildProcess,
    /** systemd's pid as the host sees it. */
    readonly pid: number,
  ) {}

  /** Boots `root`; resolves once systemd runs as PID 1 of its namespace and answers systemctl. */
  static async boot(root: string, o: { ready?: (b: Booted) => boolean; timeoutMs?: number } = {}): Promise<Booted> {
    const u = spawn('unshare', ['--pid', '--fork', '--mount', '--propagation', 'private', '--net', '--uts', '--ipc', '/bin/sh', '-c', BOOT, 'boot', root], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: ENV,
    });
    let out = '';
    u.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    u.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + (o.timeoutMs ?? 60_000);
    let booted: Booted | undefined;
    for (;;) {
      if (u.exitCode !== null || u.signalCode !== null) throw new Error(`booting ${root} failed (${u.exitCode ?? u.signalCode}):\n${out}`);
      if (booted === undefined) {
        const children = `/proc/${u.pid}/task/${u.pid}/children`;
        const pid = existsSync(children) ? Number(readFileSync(children, 'utf8').trim().split(/\s+/)[0]) : 0;
        if (pid > 0 && readFileSync(`/proc/${pid}/comm`, 'utf8') === 'systemd\n') booted = new Booted(u, pid);
      }
      if (booted !== undefined && booted.run(['systemctl', 'is-system-running']).stdout.trim().match(/^(initializing|starting|running|degraded)$/)) {
        if (!o.ready || o.ready(booted)) return booted;
      }
      if (Date.now() > deadline) {
        booted?.kill();
        throw new Error(`${root}: systemd not up after ${o.timeoutMs ?? 60_000} ms:\n${out}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** argv inside: every namespace of PID 1, its root and its working directory. */
  run(argv: readonly string[], o: { input?: string; timeout?: number } = {}): SpawnSyncReturns<string> {
    return spawnSync('nsenter', ['-t', String(this.pid), '-m', '-p', '-n', '-u', '-i', '-r', '-w', ...argv], {
      encoding: 'utf8',
      input: o.input,
      timeout: o.timeout ?? 120_000,
      env: ENV,
    });
  }

  /** Polls `cond` until true (the system's own state: no fixed waits), or throws after `ms`. */
  async until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms\n${this.run(['journalctl', '--no-pager', '-n', '40']).stdout}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** PID 1 killed: the kernel kills the rest of its namespace, whose mounts then go too. */
  kill(): Promise<void> {
    if (this.unshare.exitCode !== null || this.unshare.signalCode !== null) return Promise.resolve();
    const gone = new Promise<void>((res) => this.unshare.once('exit', () => res()));
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      this.unshare.kill('SIGKILL');
    }
    return gone;
  }
}
