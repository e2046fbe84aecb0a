// Names read from the log: what may become part of a counter key (the key grammar's label), and
// Postfix's queue ids, each grammar written once: the byte-level classifier builds its tables from
// QUEUE_ID_FORMS, the string test below from the same data.
import { isLabel } from '../counters/key.js';

/** A transport or service name that may become part of a key (never `self`: see key.ts). */
export const isValidName: (name: string) => boolean = isLabel;

export interface QueueIdForm {
  readonly chars: string;
  readonly min: number;
  readonly max: number;
}

/** Postfix's short (hex) and long (`enable_long_queue_ids`: vowel-free base-51 plus `z`) queue ids. */
export const QUEUE_ID_FORMS: readonly QueueIdForm[] = [
  { chars: '0123456789ABCDEF', min: 6, max: 16 },
  { chars: '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz', min: 10, max: 24 },
];

export const MAX_QUEUE_ID = Math.max(...QUEUE_ID_FORMS.map((f) => f.max));

const FORMS = QUEUE_ID_FORMS.map((f) => new RegExp(`^[${f.chars}]{${f.min},${f.max}}$`));

export function isQueueId(s: string): boolean {
  return FORMS.some((re) => re.test(s));
}
