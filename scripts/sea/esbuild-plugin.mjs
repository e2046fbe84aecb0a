// esbuild plugin that makes lmdb (and friends) bundle into a CommonJS script
// suitable as the main script of a Node single executable application.
//
//  * every bare `import`/`import()` of a package is resolved as if it were a
//    `require()`, so dual packages contribute their CommonJS build (lmdb ->
//    lmdb/dist/index.cjs, msgpackr -> msgpackr/dist/node.cjs) instead of their
//    ESM build (which relies on import.meta.url / createRequire(import.meta.url));
//    one copy of each package ends up in the bundle;
//  * `node-gyp-build-optional-packages` (lmdb's native loader, which searches
//    node_modules relative to a directory) is replaced by lmdb-addon-loader.cjs,
//    which dlopen()s `lmdb.node` from beside the executable;
//  * `msgpackr-extract` (optional native string extractor) is replaced by an
//    empty module, msgpackr then uses its JavaScript decoder;
//  * lmdb's compression dictionary (read with fs from lmdb/dict/dict.txt when a
//    database uses `compression`) is inlined into the bundle.
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ADDON_LOADER = path.join(here, 'lmdb-addon-loader.cjs');
const EMPTY = path.join(here, 'empty.cjs');

/** Replace `<callee>( ... '<marker>' ... )` (balanced parentheses) with `replacement`. */
function replaceCallContaining(source, callee, marker, replacement) {
  const at = source.indexOf(marker);
  if (at < 0) return null;
  const start = source.lastIndexOf(callee + '(', at);
  if (start < 0) return null;
  let depth = 0;
  for (let i = start + callee.length; i < source.length; i++) {
    const c = source[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      if (source.indexOf(marker, i) === at) return null; // marker was not inside the call
      return source.slice(0, start) + replacement + source.slice(i + 1);
    }
  }
  return null;
}

export function seaPlugin() {
  return {
    name: 'postfix-stats-sea',
    setup(build) {
      build.onResolve({ filter: /^node-gyp-build-optional-packages$/ }, () => ({ path: ADDON_LOADER }));
      build.onResolve({ filter: /^msgpackr-extract$/ }, () => ({ path: EMPTY }));

      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.seaRequireResolve) return undefined;
        if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
        if (isBuiltin(args.path)) return undefined;
        const r = await build.resolve(args.path, {
          kind: 'require-call',
          importer: args.importer,
          resolveDir: args.resolveDir,
          namespace: args.namespace,
          pluginData: { seaRequireResolve: true },
        });
        if (r.errors.length > 0) return undefined; // ESM-only package: resolve normally
        return { path: r.path, external: r.external, namespace: r.namespace, sideEffects: r.sideEffects, suffix: r.suffix };
      });

      build.onLoad({ filter: /[\\/]lmdb[\\/]dist[\\/]index\.cjs$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const lmdbRoot = path.resolve(path.dirname(args.path), '..');
        const dict = await readFile(path.join(lmdbRoot, 'dict', 'dict.txt'));
        const patched = replaceCallContaining(
          source,
          'fs.readFileSync',
          "'./dict/dict.txt'",
          `Buffer.from(${JSON.stringify(dict.toString('base64'))}, 'base64')`,
        );
        if (patched === null) {
          throw new Error(
            `${args.path}: could not find the read of ./dict/dict.txt to inline; lmdb changed, update scripts/sea/esbuild-plugin.mjs`,
          );
        }
        if (!/loadNAPI__default\["default"\]\(dirName\)|require\('node-gyp-build-optional-packages'\)/.test(patched)) {
          throw new Error(`${args.path}: lmdb no longer loads its addon through node-gyp-build-optional-packages; update scripts/sea/`);
        }
        return { contents: patched, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}
