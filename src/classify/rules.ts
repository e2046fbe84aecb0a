// Which Postfix messages count, as data: the program that logs it, whether it names a queue id, the
// shape of its text (anchored at the start), and what it means. effects.ts gives each meaning its
// effect; first-pass.ts derives the byte-level first pass from this table.

export type Meaning =
  | 'origin' // a message starts under this queue id (smtpd `client=`, pickup `uid=`)
  | 'queued' // qmgr took the message into the active queue: it was received
  | 'expired' // qmgr returned the message after maximal_queue_lifetime
  | 'removed' // the queue id is free again
  | 'reject' // a 4xx/5xx answer given to a client (or a message cleanup refused)
  | 'hold'
  | 'discard'
  | 'pending' // smtpd HOLD/DISCARD before the queue file exists: applies to the process's next message
  | 'session' // an smtpd session starts or ends: a pending HOLD/DISCARD no longer applies
  | 'delivery' // one recipient's delivery attempt and its status
  | 'answer' // a remote server's 4xx/5xx answer logged on a line of its own
  // report facts only (src/classify/facts.ts): these change no counter
  | 'rejectWarning' // a restriction in warn_if_reject mode: what would have been rejected
  | 'connectFailure' // the SMTP/LMTP client could not reach a server
  | 'warning'
  | 'fatal'
  | 'panic'
  | 'master'; // master(8)'s own messages: started, reload, terminating

/** What a message starts with: `QID: text`, `NOQUEUE: text`, or neither (the text is the whole message). */
export type QueueKind = 'id' | 'noqueue' | 'none';
export const QUEUE_KINDS: readonly QueueKind[] = ['id', 'noqueue', 'none'];
/** Indexes of the queue kinds, as numbers: the classifier's hot path compares and indexes by these, not strings. */
export const ID = QUEUE_KINDS.indexOf('id');
export const NOQUEUE = QUEUE_KINDS.indexOf('noqueue');
export const NONE = QUEUE_KINDS.indexOf('none');

export interface Rule {
  readonly programs: ReadonlySet<string>;
  /** Which messages the rule reads; 'either': `QID:` or `NOQUEUE:`; 'any': all three. */
  readonly queue: QueueKind | 'either' | 'any';
  readonly text: RegExp;
  readonly meaning: Meaning;
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);
// qmgr logs a recipient's deferral or bounce itself when no delivery agent got it (`relay=none,
// ... status=deferred (unknown mail transport error)`)
const DELIVERY_AGENTS = set('smtp', 'lmtp', 'local', 'virtual', 'pipe', 'discard', 'error', 'retry', 'qmgr');
/** Postfix's daemons and commands that log: any of them may log a warning, fatal error or panic. */
const ALL_PROGRAMS = set(
  ...DELIVERY_AGENTS, 'smtpd', 'postscreen', 'cleanup', 'qmgr', 'pickup', 'master', 'bounce', 'defer', 'trace',
  'trivial-rewrite', 'anvil', 'scache', 'tlsmgr', 'tlsproxy', 'dnsblog', 'proxymap', 'proxywrite', 'verify',
  'flush', 'showq', 'postlogd', 'spawn', 'oqmgr', 'qmqpd', 'postdrop', 'sendmail', 'postsuper', 'postqueue',
  'postfix-script', 'postmulti', 'postmap', 'postalias', 'postconf', 'postlog', 'postkick', 'postcat',
);

export const RULES: readonly Rule[] = [
  { programs: set('smtpd'), queue: 'id', text: /^client=/, meaning: 'origin' },
  { programs: set('pickup'), queue: 'id', text: /^uid=\d+ from=</, meaning: 'origin' },
  { programs: set('qmgr'), queue: 'id', text: /^from=<[^>]*>, size=\d+, nrcpt=\d+ \(queue active\)$/, meaning: 'queued' },
  // force-expired: `postsuper -e` (Postfix 3.5+)
  { programs: set('qmgr'), queue: 'id', text: /^from=<[^>]*>, status=(?:force-)?expired, returned to sender$/, meaning: 'expired' },
  { programs: set('qmgr', 'postsuper'), queue: 'id', text: /^removed$/, meaning: 'removed' },
  { programs: set('smtpd', 'postscreen', 'cleanup'), queue: 'either', text: /^(milter-)?reject: /, meaning: 'reject' },
  // postscreen_pre_queue_limit: `reject: connect from [ip]:port: all screening ports busy`, no NOQUEUE
  { programs: set('postscreen'), queue: 'none', text: /^reject: connect from \S+: all screening ports busy$/, meaning: 'reject' },
  { programs: set('smtpd', 'cleanup'), queue: 'id', text: /^(milter-)?hold: /, meaning: 'hold' },
  { programs: set('smtpd', 'cleanup'), queue: 'id', text: /^(milter-)?discard: /, meaning: 'discard' },
  { programs: set('smtpd'), queue: 'noqueue', text: /^(milter-)?(?:hold|discard): /, meaning: 'pending' },
  { programs: set('smtpd'), queue: 'none', text: /^(?:dis)?connect from /, meaning: 'session' },
  { programs: DELIVERY_AGENTS, queue: 'id', text: /^to=<[^>]*>, (?:orig_to=<[^>]*>, )?relay=/, meaning: 'delivery' },
  { programs: set('smtp', 'lmtp'), queue: 'id', text: /^host \S+ (?:said|refused to talk to me): [45]\d\d[ -]/, meaning: 'answer' },
  { programs: set('smtpd', 'postscreen', 'cleanup'), queue: 'either', text: /^reject_warning: /, meaning: 'rejectWarning' },
  { programs: set('smtp', 'lmtp'), queue: 'none', text: /^connect to /, meaning: 'connectFailure' },
  // header_checks/body_checks WARN: pflogsumm's reject warning, not a program's warning (nor its addresses in one)
  { programs: set('cleanup'), queue: 'id', text: /^warning: (?:header|body|mime-header|nested-header) .*; from=</s, meaning: 'rejectWarning' },
  { programs: ALL_PROGRAMS, queue: 'any', text: /^warning: /, meaning: 'warning' },
  { programs: ALL_PROGRAMS, queue: 'any', text: /^fatal: /, meaning: 'fatal' },
  { programs: ALL_PROGRAMS, queue: 'any', text: /^panic: /, meaning: 'panic' },
  { programs: set('master'), queue: 'none', text: /^(?:daemon started|reload|terminating on signal|stopping the Postfix) /, meaning: 'master' },
];

/** Programs named by some rule: a cheap first test before any regular expression runs. */
export const COUNTED_PROGRAMS: ReadonlySet<string> = new Set(RULES.flatMap((r) => [...r.programs]));

export function appliesTo(rule: Rule, queue: QueueKind): boolean {
  return rule.queue === queue || rule.queue === 'any' || (rule.queue === 'either' && queue !== 'none');
}

/** The rules that name each program, in table order: the same first match as walking all of RULES. */
export const RULES_BY_PROGRAM: ReadonlyMap<string, readonly Rule[]> = new Map(
  [...COUNTED_PROGRAMS].map((p) => [p, RULES.filter((r) => r.programs.has(p))]),
);
