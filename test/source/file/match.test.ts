// Is a compressed copy the one holding a saved position? Wrongly "no" re-reads the copy from its
// start after a restart (counted twice); these are the copies real disks and busy relays make.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { holdsCursor } from '../../../src/source/file/match.js';
import { HEAD_BYTES, hashHead } from '../../../src/source/file/fingerprint.js';
import type { Position } from '../../../src/source/file/cursor.js';
import { tmp } from '../../helpers/tmp.js';
import { lines } from './helpers.js';

const at = (text: Buffer, offset: number): Position => ({
  dev: 0, ino: 0, offset, head: hashHead(text, HEAD_BYTES), headLen: HEAD_BYTES, tail: '',
});
const copy = (name: string, gz: Buffer) => {
  const path = join(tmp(), name);
  writeFileSync(path, gz);
  return { path, gz: true };
};

describe('holdsCursor on a compressed copy', () => {
  it('knows a copy damaged past its first KiB by its intact head', () => {
    const text = Buffer.from(lines(0, 20_000));
    const gz = gzipSync(text).fill(0xff, 5000, 5016);
    expect(holdsCursor(copy('mail.log.1.gz', gz), at(text, 1000))).toBe(true);
    // and not one whose head itself is damaged
    const bad = gzipSync(text).fill(0xff, 20, 36);
    expect(holdsCursor(copy('mail.log.1.gz', bad), at(text, 1000))).toBe(false);
  });

  it('refuses a copy its trailer shows shorter than the position, but not when that length may have wrapped at 4 GiB', () => {
    const text = Buffer.from(lines(0, 20_000));
    expect(holdsCursor(copy('mail.log.1.gz', gzipSync(text)), at(text, text.length))).toBe(true);
    expect(holdsCursor(copy('mail.log.1.gz', gzipSync(text)), at(text, text.length + 1))).toBe(false);
    // Over 4 MiB that does not compress: as large as a 4 GiB log's copy may be. Its trailer says
    // what a log of 2^32 + 1000 bytes says (1000): it may have wrapped, so the head decides.
    const big = Buffer.concat([text, randomBytes(5 << 20)]);
    const gz = gzipSync(big);
    gz.writeUInt32LE(1000, gz.length - 4);
    expect(holdsCursor(copy('mail.log.1.gz', gz), at(big, 2_000_000))).toBe(true);
  });
});
