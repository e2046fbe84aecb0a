// The guarantee holds from the first second: a daemon idle on an empty log has already committed its
// position, so lines written and rotated away while it is dead (SIGKILL, power loss) are found in the
// rotated copy at the next start instead of being skipped as history.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon, counters, mailCounters, runOnce, waitFor } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

describe('first start', () => {
  it('an idle daemon SIGKILLed on an empty log, the log written and rotated while it is dead: nothing lost', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const lines = readFileSync('fixtures/logs/rfc3339.log', 'utf8').split('\n').filter((l) => l !== '');
    const half = lines.length >> 1;
    writeFileSync(join(dir, 'mail.log.1'), 'an old rotated copy: history, never counted\n');
    writeFileSync(log, '');
    const d = new Daemon(log, db);
    await waitFor(() => (counters(db)['self:commits'] ?? 0n) >= 1n, 'the first commit');
    await d.stop('SIGKILL');

    appendFileSync(log, lines.slice(0, half).join('\n') + '\n');
    renameSync(join(dir, 'mail.log.1'), join(dir, 'mail.log.2'));
    renameSync(log, join(dir, 'mail.log.1'));
    writeFileSync(log, lines.slice(half).join('\n') + '\n');
    const r = runOnce(log, db);
    expect(r.code, r.stderr).toBe(0);

    expect(counters(db)['self:lines']).toBe(BigInt(lines.length));
    expect(counters(db)['self:gaps'] ?? 0n).toBe(0n);
    writeFileSync(join(dir, 'whole.log'), lines.join('\n') + '\n');
    expect(runOnce(join(dir, 'whole.log'), join(dir, 'ref')).code).toBe(0);
    expect(mailCounters(db)).toEqual(mailCounters(join(dir, 'ref')));
  });
});
