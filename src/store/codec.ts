// The on-disk encoding, fixed so that any small reader can decode it: keys are UTF-8 strings with a
// one-letter prefix, counters are 8-byte big-endian unsigned integers, OID indices 4-byte big-endian.
export const COUNTER = 'c:';
export const INDEX = 'i:';
export const QUEUE = 'q:';
export const CURSOR = 'm:cursor';
export const NEXT_INDEX = 'm:next_index';
/** Bumped by every commit: the number of the snapshot published after it. */
export const SEQ = 'm:seq';
/** SHA-256 (hex) of the counters as snapshot rows (src/snapshot/format.ts encodeRows). */
export const SUM = 'm:sum';

export function encodeU64(v: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(v);
  return b;
}

export function decodeU64(b: Uint8Array | undefined): bigint | undefined {
  if (b === undefined || b.length !== 8) return undefined;
  return Buffer.from(b.buffer, b.byteOffset, 8).readBigUInt64BE(0);
}

export function encodeU32(v: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(v);
  return b;
}

export function decodeU32(b: Uint8Array | undefined): number | undefined {
  if (b === undefined || b.length !== 4) return undefined;
  return Buffer.from(b.buffer, b.byteOffset, 4).readUInt32BE(0);
}

export function encodeJson(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v));
}

export function decodeJson(b: Uint8Array | undefined): unknown {
  if (b === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(b).toString('utf8'));
  } catch {
    return undefined;
  }
}
