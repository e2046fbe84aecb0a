// lmdb's native code trusts the data file: a file that is not LMDB, or one cut short, crashes the
// process (SIGSEGV/SIGBUS) instead of raising an error. So its meta pages are checked before opening.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
// Meta page layout: page header (24 bytes), then magic, version, address, mapsize, two 48-byte
// database records (the first one's pad holds the page size; each ends with its root page number),
// last page number, transaction id.
const META = 24;
const PSIZE = META + 24;
const MAIN_ROOT = META + 112;
const LAST_PG = META + 120;
const TXNID = META + 128;
const NO_PAGE = 0xffffffffffffffffn;

/** null when `path` looks like a whole LMDB data file, else why not. */
export function checkDataFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return (e as Error).message;
  }
  try {
    const head = Buffer.alloc(META + 136);
    if (readSync(fd, head, 0, head.length, 0) < head.length) return `${path} is too short to be an LMDB file`;
    if (head.readUInt32LE(META) !== MAGIC) return `${path} is not an LMDB data file`;
    const psize = head.readUInt32LE(PSIZE);
    if (psize < 512 || psize > 65536 || (psize & (psize - 1)) !== 0) return `${path} has an invalid page size`;
    const second = Buffer.alloc(head.length);
    readSync(fd, second, 0, second.length, psize);
    // No one else writes the file while the daemon looks (it holds the directory's lock), so judge by
    // the meta page LMDB will use, the newer one: its pages 0 to last_pg must all be there.
    const newer = second.readUInt32LE(META) === MAGIC && second.readBigUInt64LE(TXNID) > head.readBigUInt64LE(TXNID) ? second : head;
    const lastPg = newer.readBigUInt64LE(LAST_PG);
    const root = newer.readBigUInt64LE(MAIN_ROOT);
    if (root !== NO_PAGE && root > lastPg) return `${path} is damaged (its root page lies past its last page)`;
    const needed = (lastPg + 1n) * BigInt(psize);
    const size = BigInt(fstatSync(fd).size);
    if (size < needed) return `${path} is truncated (${size} of ${needed} bytes)`;
    return null;
  } finally {
    closeSync(fd);
  }
}
