// A command line read as pflogsumm's Perl Getopt::Long (default configuration) reads it, rewritten
// for parseArgs, so that a cron line written for pflogsumm means the same here. Measured against
// Debian's perl with pflogsumm 1.1.5's option table: a long option may follow one dash or two
// (`-detail 5`), be abbreviated to any unique prefix (`--iso`, `-p`), be written in any case
// (`-D yesterday`, `--Detail 2`) and with `_` for `-`; a value may follow `=` (`-d=today`, `--h=5`);
// an exact name wins over a longer one (`-d`, though `deferral-detail` starts with d); a string
// option takes the next argument as its value even when it starts with a dash.
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type GetoptResult = { readonly ok: true; readonly args: string[] } | { readonly ok: false; readonly error: string };

/**
 * `options`: parseArgs' table, whose long names and short letters are the names looked up;
 * `optionalValue`: options whose `=value` is dropped (Getopt's `:i`, which parseArgs cannot
 * express). Arguments after `--`, an option's value, `-` itself, and anything that names no option
 * are passed on unchanged, so parseArgs still takes `-d2026-11-29` and words its own errors.
 */
export function getoptArgv(argv: readonly string[], options: Options, optionalValue: ReadonlySet<string> = new Set()): GetoptResult {
  const longs = Object.keys(options);
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short === undefined ? [] : [o.short])));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][A-Za-z0-9_-]*)(=.*)?$/s.exec(a);
    if (m === null) {
      out.push(a);
      continue;
    }
    const name = m[1]!.toLowerCase().replaceAll('_', '-');
    const value = m[2]?.slice(1);
    const letter = shorts.has(name) ? longs.find((l) => options[l]!.short === name)! : null;
    // a letter of its own (`-d`, `--h`) is exact, before any long name it starts
    const found = letter ?? resolve(name, longs);
    if (found === null) {
      // one dash and no long name: parseArgs' letters with an attached value (`-h5`, `-dtoday`)
      out.push(a);
      continue;
    }
    if (typeof found !== 'string') return { ok: false, error: `option ${a.replace(/=.*$/s, '')} is ambiguous: ${found.map((n) => `--${n}`).join(', ')}` };
    // a string option's value is the next argument whatever it looks like (`-d -q` is d = "-q")
    const v = value ?? (options[found]!.type === 'string' && i + 1 < argv.length ? argv[++i] : undefined);
    out.push(`--${found}${v === undefined || optionalValue.has(found) ? '' : `=${v}`}`);
  }
  return { ok: true, args: out };
}

/** The long name `name` is or uniquely starts, every name it starts when several, or null. */
function resolve(name: string, longs: readonly string[]): string | string[] | null {
  if (longs.includes(name)) return name;
  const starts = longs.filter((l) => l.startsWith(name));
  if (starts.length === 1) return starts[0]!;
  return starts.length === 0 ? null : starts;
}
