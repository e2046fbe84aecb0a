// lmdb's native code trusts the data file: a file that is not LMDB, or one cut short, crashes the
// process (SIGSEGV/SIGBUS) instead of raising an error. So its meta pages are checked before opening.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
// Meta page layout: page header (24 bytes), then magic, version, address, mapsize, two 48-byte
// database records (the first one's pad holds the page size), last page number, transaction id.
const META = 24;
const PSIZE = META + 24;
const LAST_PG = META + 120;
const TXNID = META + 128;

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
    // A live writer may be extending the file while we look, so judge by the older of the two meta
    // pages, which describes a commit that is fully written: a file shorter than that was cut.
    const older = second.readUInt32LE(META) === MAGIC && second.readBigUInt64LE(TXNID) < head.readBigUInt64LE(TXNID) ? second : head;
    const needed = older.readBigUInt64LE(LAST_PG) * BigInt(psize);
    if (BigInt(fstatSync(fd).size) < needed) return `${path} is truncated (${fstatSync(fd).size} of ${needed} bytes)`;
    return null;
  } finally {
    closeSync(fd);
  }
}
