// The shipped mrtg.cfg, run once by Debian's mrtg against the helper's --mrtg mode: MRTG's own log
// must hold recv:smtp and sent:smtp as counted from the fixture, and its page must exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_SEA, helper, runOnce } from '../../helpers/daemon.js';
import { example } from './helpers/examples.js';

const want = (JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>)['rfc3339.log']!;
const dir = mkdtempSync(join(tmpdir(), 'pfs-mrtg-'));
const db = join(dir, 'db');
beforeAll(() => expect(runOnce('fixtures/logs/rfc3339.log', db).code).toBe(0));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MRTG', () => {
  it('postfix-stats-get --mrtg prints in, out, uptime, name', () => {
    const r = helper(['--db', db, '--mrtg', 'recv:smtp', 'sent:smtp'], HELPER_SEA);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${want['recv:smtp']}\\n${want['sent:smtp']}\\n(\\d+ days?, )?\\d+:\\d\\d:\\d\\d\\npostfix on .+\\n$`));
  });

  it("examples/mrtg.cfg run once by mrtg records the fixture's recv:smtp and sent:smtp", () => {
    const work = join(dir, 'www');
    const cfg = join(dir, 'mrtg.cfg');
    writeFileSync(cfg, example('mrtg.cfg', { db, workDir: work }));
    mkdirSync(work);
    const r = spawnSync('mrtg', ['--logging', join(work, 'mrtg.log'), cfg], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    // MRTG's data log: first line "<unix time> <in counter> <out counter>", the raw numbers it read.
    const first = readFileSync(join(work, 'postfix-smtp.log'), 'utf8').split('\n')[0]!;
    expect(first).toMatch(new RegExp(`^\\d+ ${want['recv:smtp']} ${want['sent:smtp']}$`));
    expect(existsSync(join(work, 'postfix-smtp.html'))).toBe(true);
    expect(readFileSync(join(work, 'mrtg.log'), 'utf8')).not.toMatch(/ERROR/);
  });
});
