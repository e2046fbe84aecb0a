// The one grammar of counter keys. A key names what is counted (`kind`), of what (`label`) and, once
// counting per host exists, where (`host`); its text form `kind[:label][@host]` is what the store,
// the snapshot file, `--list` and the SNMP table carry. Kind and label come from log text, so only
// short, plain names are allowed: nothing that could be a path, a separator or another key.

export interface Key {
  readonly kind: string;
  readonly label?: string;
  readonly host?: string;
}

/** Kind and label: the only regex source of a name; names.ts and keys.ts are built on it. */
export const NAME_SOURCE = '[a-z0-9_.-]{1,32}';
/** DNS-ish: labels of letters, digits and inner dashes joined by single dots, 63 bytes at most. */
const HOST_SOURCE = '(?=[a-z0-9.-]{1,63}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*';

const NAME = new RegExp(`^${NAME_SOURCE}$`);
const HOST = new RegExp(`^${HOST_SOURCE}$`);
const TEXT = new RegExp(`^(${NAME_SOURCE})(?::(${NAME_SOURCE}))?(?:@([A-Za-z0-9.-]{1,63}))?$`);

/** The daemon's own namespace: `self:` keys are exempt from the key cap, so no log text may reach it. */
export const SELF_KIND = 'self';

/** A name a key may start with. `.` and `..` are refused wherever a key could end up as a path. */
export function isKind(s: string): boolean {
  return NAME.test(s) && s !== '.' && s !== '..';
}

/** A name from the log: any kind but `self`, since a log-made label can also become a kind (`relay:4xx`). */
export function isLabel(s: string): boolean {
  return isKind(s) && s !== SELF_KIND;
}

/** A host as a key carries it: lower case. Syslog host names are case-insensitive. */
export function normaliseHost(s: string): string | null {
  const h = s.toLowerCase();
  return HOST.test(h) ? h : null;
}

/** The key of a well-formed text form (its host put in lower case), or null. */
export function parseKey(s: string): Key | null {
  const m = TEXT.exec(s);
  if (m === null) return null;
  const [, kind = '', label, rawHost] = m;
  if (!isKind(kind) || (label !== undefined && !isLabel(label))) return null;
  if (rawHost === undefined) return label === undefined ? { kind } : { kind, label };
  const host = normaliseHost(rawHost);
  if (host === null) return null;
  return label === undefined ? { kind, host } : { kind, label, host };
}

/** The text form of a key, or null when a part is outside the grammar. */
export function formatKey(k: Key): string | null {
  if (!isKind(k.kind) || (k.label !== undefined && !isLabel(k.label))) return null;
  if (k.host === undefined) return joinKey(k.kind, k.label);
  const host = normaliseHost(k.host);
  return host === null ? null : joinKey(k.kind, k.label, host);
}

/**
 * The text form of parts already checked (isKind, isLabel, normaliseHost): for the classifier,
 * which checks each name from the log once, where the check decides what the line counts, and
 * builds several keys of it on every counted line.
 */
export function joinKey(kind: string, label?: string, host?: string): string {
  const s = label === undefined ? kind : `${kind}:${label}`;
  return host === undefined ? s : `${s}@${host}`;
}

/** For keys the program itself names (never log text): a typo fails at start-up, not at a count. */
export function mustFormatKey(k: Key): string {
  const s = formatKey(k);
  if (s === null) throw new RangeError(`not a counter key: ${JSON.stringify(k)}`);
  return s;
}
