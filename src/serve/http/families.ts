// Which Prometheus family and labels a counter key is exported as, derived from the key model
// (parseKey's kind, label, host, instance), never from the key's text. Totals carry neither `host`
// nor `instance_name`; a per-host key (`sent:smtp@mx1`) carries `host`, a postmulti instance's key
// (`postfix-out/sent:smtp`) carries `instance_name` (`instance` is Prometheus's own label for the
// scrape target). Each key maps to one series of one family, and no two keys to the same series.
import { SELF_KIND, type Key } from '../../counters/key.js';

export interface Family {
  /** Without the `_total` a counter's samples carry (OpenMetrics names the family without it). */
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  /** Families are printed in this order, then by name. */
  readonly rank: number;
}

export interface Series {
  readonly family: Family;
  readonly labels: readonly (readonly [string, string])[];
}

const P = 'postfix_stats_';
const counter = (rank: number, name: string, help: string): Family => ({ name: P + name, type: 'counter', help, rank });

export const FAMILIES = {
  received: counter(0, 'received', 'Messages that entered the queue, by smtpd service (smtp, submission) or local for sendmail(1) (key recv:SERVICE).'),
  sent: counter(1, 'sent', 'Recipients delivered (status=sent), by transport (key sent:TRANSPORT).'),
  forwarded: counter(1, 'forwarded', 'Of the recipients sent, those local(8) forwarded to another address ("forwarded as QID"), by transport (key forwarded:TRANSPORT; a part of postfix_stats_sent_total).'),
  deferred: counter(2, 'deferred', 'Recipients deferred (status=deferred), by transport (key deferred:TRANSPORT).'),
  bounced: counter(3, 'bounced', 'Recipients bounced (status=bounced), by transport (key bounced:TRANSPORT).'),
  remoteReplies: counter(4, 'remote_replies', 'Delivery attempts answered by the remote SMTP/LMTP server with a 4xx or 5xx reply (key TRANSPORT:4xx, TRANSPORT:5xx).'),
  rejects: counter(5, 'rejects', '4xx/5xx rejects given to clients, by component: smtpd (all of them), postscreen, cleanup (keys smtpd:4xx, postscreen:5xx, ...).'),
  held: counter(6, 'held', 'Messages put on hold (key held).'),
  discarded: counter(7, 'discarded', 'Messages discarded (key discarded).'),
  expired: counter(8, 'expired', 'Messages returned after maximal_queue_lifetime or expired with postsuper -e (key expired).'),
  expiredForced: counter(9, 'expired_forced', 'Of the expired messages, those expired by hand with postsuper -e (key expired:force; a part of postfix_stats_expired_total).'),
  events: counter(10, 'events', 'Counters of kinds no other family covers, by key kind and label.'),
} as const;

/** The report the daemon's own counters get; others (from an older or newer version) get a generic one. */
const SELF_HELP: Record<string, string> = {
  lines: 'Log lines read.',
  bad_lines: 'Lines skipped: too long or holding NUL bytes.',
  bad_keys: 'Counts refused because a name from the log was not a valid key part.',
  dropped_keys: 'Counts refused because --max-keys was reached.',
  rotations: 'Log rotations followed.',
  truncations: 'Log truncations seen.',
  gaps: 'Times log data was lost before it could be read.',
  gap_bytes: 'Bytes of log data lost before they could be read.',
  commits: 'Commits to the store.',
  queue_evictions: 'Queue ids forgotten because --max-queue was reached.',
  db_recreated: 'Times the database files were removed and recreated from memory.',
  store_errors: 'Failed writes to the store.',
  publish_errors: 'Failed publications of the snapshot file.',
  bad_hosts: 'Records whose syslog host was not a valid host name.',
  mixed_hosts: 'Records of a syslog host other than the first, counted without --per-host in one state with it.',
  dropped_hosts: 'Counts not kept per host because --max-hosts was reached.',
  log_unreadable: 'Times the log could not be read.',
};

const REJECT_COMPONENTS = new Set(['smtpd', 'postscreen', 'cleanup']);
const REPLY_CLASSES = new Set(['4xx', '5xx']);
const BY_TRANSPORT: Record<string, Family> = { sent: FAMILIES.sent, forwarded: FAMILIES.forwarded, deferred: FAMILIES.deferred, bounced: FAMILIES.bounced };
/** A metric name part: key labels may hold `.` and `-`, which metric names may not. */
const NAME_PART = /^[a-z][a-z0-9_]*$/;

const selfFamilies = new Map<string, Family>();
function selfFamily(label: string): Family {
  let f = selfFamilies.get(label);
  if (f === undefined) {
    f = counter(20, `self_${label}`, `The daemon's own counter self:${label}. ${SELF_HELP[label] ?? ''}`.trim());
    selfFamilies.set(label, f);
  }
  return f;
}

export function seriesOf(k: Key): Series {
  const s = familyOf(k);
  const where: [string, string][] = [];
  if (k.host !== undefined) where.push(['host', k.host]);
  if (k.instance !== undefined) where.push(['instance_name', k.instance]);
  return { family: s.family, labels: [...s.labels, ...where] };
}

function familyOf({ kind, label }: Key): Series {
  if (label === undefined) {
    if (kind === 'held') return { family: FAMILIES.held, labels: [] };
    if (kind === 'discarded') return { family: FAMILIES.discarded, labels: [] };
    if (kind === 'expired') return { family: FAMILIES.expired, labels: [] };
  } else if (kind === SELF_KIND) {
    if (NAME_PART.test(label)) return { family: selfFamily(label), labels: [] };
  } else if (kind === 'recv') {
    return { family: FAMILIES.received, labels: [['service', label]] };
  } else if (BY_TRANSPORT[kind] !== undefined) {
    return { family: BY_TRANSPORT[kind], labels: [['transport', label]] };
  } else if (kind === 'expired' && label === 'force') {
    return { family: FAMILIES.expiredForced, labels: [] };
  } else if (REPLY_CLASSES.has(label) && kind !== 'expired' && kind !== 'held' && kind !== 'discarded') {
    return REJECT_COMPONENTS.has(kind)
      ? { family: FAMILIES.rejects, labels: [['component', kind], ['class', label]] }
      : { family: FAMILIES.remoteReplies, labels: [['transport', kind], ['class', label]] };
  }
  return { family: FAMILIES.events, labels: label === undefined ? [['kind', kind]] : [['kind', kind], ['label', label]] };
}
