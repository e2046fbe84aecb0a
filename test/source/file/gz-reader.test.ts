// A compressed rotated copy left before its end (corrupt, renamed again under the follower, a stop)
// must give its descriptor back: a daemon that leaks one per such copy runs out in the end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzReader } from '../../../src/source/file/reader.js';
import { waitFor } from '../../helpers/daemon.js';
import { tmp } from '../../helpers/tmp.js';
import { lines, openFds } from './helpers.js';

async function drain(r: GzReader): Promise<string> {
  let s = '';
  while ((await r.read(1 << 20, (b) => (s += b.toString('latin1')))) > 0);
  return s;
}

/** A copy of 50,000 lines, and the same with 16 bytes of its compressed stream overwritten. */
function copies() {
  const dir = tmp();
  const whole = join(dir, 'whole.gz');
  writeFileSync(whole, gzipSync(lines(0, 50_000)));
  const corrupt = join(dir, 'corrupt.gz');
  writeFileSync(corrupt, gzipSync(lines(0, 50_000)).fill(0xff, 5000, 5016));
  return { whole, corrupt };
}

describe('GzReader', () => {
  it('reads a copy whole, from any offset', async () => {
    const { whole } = copies();
    const all = lines(0, 50_000);
    expect(await drain(new GzReader(whole, 0))).toBe(all);
    expect(await drain(new GzReader(whole, 23_457))).toBe(all.slice(23_457));
  });

  it('reports a corrupt copy as an error of read(), and gives its descriptor back once closed', async () => {
    const { corrupt } = copies();
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      const r = new GzReader(corrupt, 0);
      await expect(drain(r)).rejects.toThrow(/invalid|incorrect|unexpected/);
      r.close();
    }
    await waitFor(() => openFds() <= before, `descriptors back to ${before} (now ${openFds()})`, 5000);
  });

  it('gives its descriptor back when closed unread or half read', async () => {
    const { whole } = copies();
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      const r = new GzReader(whole, 0);
      if (i % 2 === 1) await r.read(4096, () => {});
      r.close();
    }
    await waitFor(() => openFds() <= before, `descriptors back to ${before} (now ${openFds()})`, 5000);
  });
});
