// Test entry for `node scripts/build-sea.mjs --selftest`: ESM shaped like tsc's
// output for snmp-helper/main.ts (imports lmdb and a relative .js-style module).
import { open } from 'lmdb';
import { isSea } from 'node:sea';
import { parseArgs } from 'node:util';
import { helperCheck } from './helper.mjs';

function main() {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, key: { type: 'string' }, 'compressed-key': { type: 'string' } },
  });
  const root = open({ path: values.db, readOnly: true });
  const out = { value: root.get(values.key) };
  if (values['compressed-key']) {
    const z = root.openDB({ name: 'z', compression: true });
    const big = z.get(values['compressed-key']);
    out.big = big.length;
    out.bigEnd = big.slice(-3);
  }
  out.isSea = isSea();
  out.importMetaUrl = new URL(import.meta.url).protocol === 'file:';
  out.helper = helperCheck();
  process.stdout.write(JSON.stringify(out) + '\n');
  root.close();
}

main();
