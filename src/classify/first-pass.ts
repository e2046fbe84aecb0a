// The classifier's first pass, in bytes: a line whose program has no rule, whose text starts like
// no rule of that program, or whose queue id is no queue id, counts nothing, and most lines of a log
// end here without a string or a regular expression. Every table is built from the rule data
// (rules.ts, names.ts), never written by hand, so the first pass cannot drift from the rules.
import { bytesAt } from '../syslog/bytes.js';
import { NEEDS_MARKS, READS_PID } from './effects.js';
import { literalPrefixes } from './literal-prefixes.js';
import { QUEUE_ID_FORMS } from './names.js';
import { COUNTED_PROGRAMS, QUEUE_KINDS, RULES_BY_PROGRAM, appliesTo, type QueueKind } from './rules.js';

/** The texts some rule of one program may match, for one kind of message. */
export interface TextFilter {
  /** Some rule has no literal prefix: any text may match. */
  readonly any: boolean;
  /** The literal prefixes, by their first byte. */
  readonly byFirstByte: readonly (readonly Uint8Array[] | undefined)[];
}

export interface CountedProgram {
  /** Interned: the name the effects compare against. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Some rule of the program has an effect that reads the pid. */
  readonly readsPid: boolean;
  /** By the index of the message's QueueKind in QUEUE_KINDS, plus MARKS_PENDING when NOQUEUE marks are pending. */
  readonly texts: readonly TextFilter[];
}

/** Added to a queue kind's index (rules.ts ID, NOQUEUE, NONE) when NOQUEUE marks are pending. */
export const MARKS_PENDING = QUEUE_KINDS.length;

function textFilter(program: string, kind: QueueKind, marksPending: boolean): TextFilter {
  const byFirstByte: Uint8Array[][] = [];
  let any = false;
  for (const rule of RULES_BY_PROGRAM.get(program) ?? []) {
    if (!appliesTo(rule, kind) || (!marksPending && NEEDS_MARKS.has(rule.meaning))) continue;
    const prefixes = literalPrefixes(rule.text);
    if (prefixes === null) any = true;
    else for (const p of prefixes) (byFirstByte[p.charCodeAt(0)] ??= []).push(Buffer.from(p, 'latin1'));
  }
  return { any, byFirstByte };
}

/** Counted programs by the length of their name. */
export const PROGRAMS_BY_LENGTH: readonly (readonly CountedProgram[] | undefined)[] = (() => {
  const table: CountedProgram[][] = [];
  for (const name of COUNTED_PROGRAMS) {
    const texts = [false, true].flatMap((marks) => QUEUE_KINDS.map((k) => textFilter(name, k, marks)));
    const readsPid = (RULES_BY_PROGRAM.get(name) ?? []).some((r) => READS_PID.has(r.meaning));
    (table[name.length] ??= []).push({ name, bytes: Buffer.from(name, 'latin1'), readsPid, texts });
  }
  return table;
})();

/** The counted program named by [a, b), or undefined. */
export function countedProgram(buf: Uint8Array, a: number, b: number): CountedProgram | undefined {
  const cands = PROGRAMS_BY_LENGTH[b - a];
  if (cands === undefined) return undefined;
  for (const c of cands) if (bytesAt(buf, a, c.bytes)) return c;
  return undefined;
}

/** Whether the text [p, end) may match some rule the filter stands for. */
export function textMayMatch(f: TextFilter, buf: Uint8Array, p: number, end: number): boolean {
  if (f.any) return true;
  if (p >= end) return false;
  const prefixes = f.byFirstByte[buf[p]!];
  if (prefixes === undefined) return false;
  for (const lit of prefixes) if (p + lit.length <= end && bytesAt(buf, p, lit)) return true;
  return false;
}

// queue ids: one bit per form of names.ts, set for the bytes the form allows
const ID_CLASS = new Uint8Array(256);
QUEUE_ID_FORMS.forEach((form, i) => {
  for (const ch of form.chars) ID_CLASS[ch.charCodeAt(0)]! |= 1 << i;
});
const ALL_FORMS = (1 << QUEUE_ID_FORMS.length) - 1;
const MIN_ID = Math.min(...QUEUE_ID_FORMS.map((f) => f.min));
const MAX_ID = Math.max(...QUEUE_ID_FORMS.map((f) => f.max));

/** names.ts isQueueId on the bytes [a, b). */
export function isQueueIdAt(buf: Uint8Array, a: number, b: number): boolean {
  const n = b - a;
  if (n < MIN_ID || n > MAX_ID) return false;
  let forms = ALL_FORMS;
  for (let i = a; i < b && forms !== 0; i++) forms &= ID_CLASS[buf[i]!]!;
  for (let i = 0; i < QUEUE_ID_FORMS.length; i++) {
    const f = QUEUE_ID_FORMS[i]!;
    if ((forms & (1 << i)) !== 0 && n >= f.min && n <= f.max) return true;
  }
  return false;
}
