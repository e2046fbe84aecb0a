// The one grammar of counter keys. A key names what is counted (`kind`), of what (`label`), by which
// Postfix instance (`instance`, a postmulti instance's syslog name) and where (`host`); its text form
// `[instance/]kind[:label][@host]` is what the store, the snapshot file, `--list` and the SNMP table
// carry. The instance is written as the log's own tag starts (`postfix-out/smtp[123]` counts in
// `postfix-out/sent:smtp`); `/` appears nowhere else in a key. Kind and label come from log text,
// so only short, plain names are allowed: nothing that could be a path, a separator or another key.

export interface Key {
  readonly kind: string;
  readonly label?: string;
  readonly host?: string;
  /** A syslog name other than the default `postfix` (`postfix-out`); absent for the default instance. */
  readonly instance?: string;
}

/** Kind and label: the only regex source of a name; names.ts and keys.ts are built on it. */
export const NAME_SOURCE = '[a-z0-9_.-]{1,32}';
/** DNS-ish: labels of letters, digits and inner dashes joined by single dots, 63 bytes at most. */
const HOST_SOURCE = '(?=[a-z0-9.-]{1,63}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*';

/** The default instance's syslog name: its counts have no instance part. */
export const DEFAULT_INSTANCE = 'postfix';
/** A syslog name as Postfix allows it in a tag (ident.ts reads the same), in lower case. */
const INSTANCE_SOURCE = 'postfix[a-z0-9_.-]{0,32}';

const NAME = new RegExp(`^${NAME_SOURCE}$`);
const HOST = new RegExp(`^${HOST_SOURCE}$`);
const INSTANCE = new RegExp(`^${INSTANCE_SOURCE}$`);
const TEXT = new RegExp(`^(?:([A-Za-z0-9_.-]{7,39})/)?(${NAME_SOURCE})(?::(${NAME_SOURCE}))?(?:@([A-Za-z0-9.-]{1,63}))?$`);

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

/**
 * An instance as a key carries it: lower case (Postfix's syslog names are case-sensitive, but keys
 * are lower case throughout), or null for anything else, the default `postfix` included: the
 * default instance's counts are in the plain keys, never under a name of their own.
 */
export function normaliseInstance(s: string): string | null {
  const i = s.toLowerCase();
  return INSTANCE.test(i) && i !== DEFAULT_INSTANCE ? i : null;
}

/** The key of a well-formed text form (its host and instance put in lower case), or null. */
export function parseKey(s: string): Key | null {
  const m = TEXT.exec(s);
  if (m === null) return null;
  const [, rawInstance, kind = '', label, rawHost] = m;
  return checked({
    kind,
    ...(label === undefined ? {} : { label }),
    ...(rawHost === undefined ? {} : { host: rawHost }),
    ...(rawInstance === undefined ? {} : { instance: rawInstance }),
  });
}

/** The text form of a key, or null when a part is outside the grammar. */
export function formatKey(k: Key): string | null {
  const c = checked(k);
  return c === null ? null : joinKey(c.kind, c.label, c.host, c.instance);
}

/** `k` with host and instance normalised, or null. The daemon's own `self:` keys have no instance. */
function checked(k: Key): Key | null {
  if (!isKind(k.kind) || (k.label !== undefined && !isLabel(k.label))) return null;
  let out: Key = k.label === undefined ? { kind: k.kind } : { kind: k.kind, label: k.label };
  if (k.host !== undefined) {
    const host = normaliseHost(k.host);
    if (host === null) return null;
    out = { ...out, host };
  }
  if (k.instance !== undefined) {
    const instance = normaliseInstance(k.instance);
    if (instance === null || k.kind === SELF_KIND) return null;
    out = { ...out, instance };
  }
  return out;
}

/**
 * The text form of parts already checked (isKind, isLabel, normaliseHost): for the classifier,
 * which checks each name from the log once, where the check decides what the line counts, and
 * builds several keys of it on every counted line.
 */
export function joinKey(kind: string, label?: string, host?: string, instance?: string): string {
  const s = label === undefined ? kind : `${kind}:${label}`;
  const h = host === undefined ? s : `${s}@${host}`;
  return instance === undefined ? h : `${instance}/${h}`;
}

/**
 * Whether a key (in text form) is a total: no host part, no instance part. Per-host and per-instance
 * keys are parts of the totals, so whatever sums keys (a report, a graph) sums only these.
 */
export function isTotalKey(key: string): boolean {
  return !key.includes('@') && !key.includes('/');
}

/** Whether a total key (text form) is of `kind`: the kind itself, or `kind:label`. */
export function isOfKind(key: string, kind: string): boolean {
  return key.startsWith(kind) && (key.length === kind.length || key.charCodeAt(kind.length) === 0x3a);
}

/** For keys the program itself names (never log text): a typo fails at start-up, not at a count. */
export function mustFormatKey(k: Key): string {
  const s = formatKey(k);
  if (s === null) throw new RangeError(`not a counter key: ${JSON.stringify(k)}`);
  return s;
}
