// What the helper accepts as a key on its command line: the text form of key.ts, nothing else.
import { parseKey } from './key.js';

export function isCounterKey(key: string): boolean {
  return parseKey(key) !== null;
}
