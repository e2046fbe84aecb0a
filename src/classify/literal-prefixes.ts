// What every text a regular expression matches must start with, read off the expression itself, so
// the classifier's byte-level first pass follows rules.ts instead of a copy of it. Only a small,
// safe subset is understood: `^`, then literal characters, optional or alternative groups of
// literals; at the first anything else (a class, `\d`, a quantifier on a literal) the prefixes end
// there. An expression outside the subset gives null: no prefix can be relied on.

const META = new Set([...'\\^$.|?*+()[]{}']);
const QUANTIFIER = new Set([...'?*+{']);
const MAX_PREFIXES = 64;

/** The literal prefixes one of which starts every match of `re`, or null when none is known. */
export function literalPrefixes(re: RegExp): string[] | null {
  if (re.flags.includes('i') || re.flags.includes('m')) return null;
  const src = re.source;
  if (src[0] !== '^' || hasTopLevelAlternation(src)) return null;
  let prefixes = [''];
  let i = 1;
  while (i < src.length) {
    const lit = literalAt(src, i);
    if (lit !== null) {
      if (QUANTIFIER.has(src[lit.next] ?? '')) break;
      prefixes = prefixes.map((p) => p + lit.ch);
      i = lit.next;
      continue;
    }
    if (src[i] !== '(') break;
    const group = literalGroup(src, i);
    if (group === null) break;
    const q = src[group.next];
    if (q === '?' && src[group.next + 1] !== '?') {
      prefixes = prefixes.flatMap((p) => [p, ...group.alts.map((a) => p + a)]);
      i = group.next + 1;
    } else if (q === undefined || !QUANTIFIER.has(q)) {
      prefixes = prefixes.flatMap((p) => group.alts.map((a) => p + a));
      i = group.next;
    } else {
      break;
    }
    if (prefixes.length > MAX_PREFIXES) return null;
  }
  prefixes = [...new Set(prefixes)];
  return prefixes.includes('') ? null : prefixes;
}

/** A literal character at i (plain, or an escaped metacharacter): the character and where it ends. */
function literalAt(src: string, i: number): { ch: string; next: number } | null {
  const c = src[i];
  if (c === undefined) return null;
  if (c === '\\') {
    const d = src[i + 1];
    return d !== undefined && META.has(d) ? { ch: d, next: i + 2 } : null;
  }
  return META.has(c) ? null : { ch: c, next: i + 1 };
}

/** `(lit|lit)` or `(?:lit|lit)` at i, every alternative literal: the alternatives and the end. */
function literalGroup(src: string, i: number): { alts: string[]; next: number } | null {
  let j = i + 1;
  if (src[j] === '?') {
    if (src[j + 1] !== ':') return null; // lookarounds, named groups
    j += 2;
  }
  const alts: string[] = [];
  let cur = '';
  for (;;) {
    const c = src[j];
    if (c === ')') return { alts: [...alts, cur], next: j + 1 };
    if (c === '|') {
      alts.push(cur), (cur = ''), j++;
      continue;
    }
    const lit = literalAt(src, j);
    if (lit === null || QUANTIFIER.has(src[lit.next] ?? '')) return null;
    cur += lit.ch;
    j = lit.next;
  }
}

/** Whether `|` splits the whole expression (`^a|b` matches b anywhere). */
function hasTopLevelAlternation(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}
