// What each meaning of rules.ts does to the counters and the queue state, for a line whose header
// and queue id are already parsed. Deterministic in (state, line): the only memory is the QueueState,
// which the caller persists with the counters. Shared by the classifier and the test oracle.
import { isValidName } from './names.js';
import { ID, NONE, NOQUEUE, QUEUE_KINDS, RULES_BY_PROGRAM, appliesTo, type Meaning, type Rule } from './rules.js';
import { markKey, type QueueState } from './queue.js';
import { joinKey } from '../counters/key.js';
import { SELF } from '../counters/counters.js';
import { addressText, domainOf, factText, senderText, sendingDomain, type FactSink } from './facts.js';

export interface Sink {
  add(key: string, n?: number): unknown;
  /** The report's facts: a sink that keeps no history leaves this out, and none are made. */
  readonly fact?: FactSink['fact'];
}

export interface ClassifyOptions {
  /** Deliveries to these (`ip:port` of relay=, or a transport name) are content-filter hops, not mail sent. */
  readonly filterRelays: ReadonlySet<string>;
  /**
   * smtpd services that re-inject filtered mail, not received twice: named as their `recv` label
   * (the syslog_name suffix: `postfix/NAME/smtpd` is NAME, a plain `postfix/smtpd` is `smtp`), of
   * the default instance; `INSTANCE/NAME` of a postmulti instance's (`postfix-out/smtp` for
   * `postfix-out/smtpd`, whose receptions would count in `postfix-out/recv:smtp`).
   */
  readonly filterServices: ReadonlySet<string>;
  /**
   * Queue ids and smtpd processes are one host's: in a log of many hosts (central syslog, --per-host)
   * two hosts' ids and pids must never meet in one piece of state.
   */
  readonly stateByHost?: boolean;
  /**
   * With stateByHost, for one read of logs: the first host seen keeps plain keys and only the
   * others' are prefixed, so a log of one host (nearly every log) builds no key per line. Filled
   * by the classifier; a fresh `{ host: null }` for each read (each half of a split one).
   */
  readonly firstHostPlain?: { host: string | null };
  /** The report's sender and recipient tables keep whole addresses, not only their domains (a privacy choice). */
  readonly addresses?: boolean;
}

export const NO_FILTERS: ClassifyOptions = { filterRelays: new Set(), filterServices: new Set() };
export const BAD_KEY = SELF.badKeys;

/**
 * Meanings whose effect only ends a pending NOQUEUE mark: with none pending their lines change
 * nothing, so the classifier need not look at them (most lines of a log are smtpd connects).
 */
export const NEEDS_MARKS: ReadonlySet<Meaning> = new Set<Meaning>(['session']);

/** Meanings whose effect reads the pid (an smtpd process's NOQUEUE mark): for others it need not be decoded. */
export const READS_PID: ReadonlySet<Meaning> = new Set<Meaning>(['origin', 'pending', 'session']);

interface Context {
  /** The tag's program and service ('' for none), and the pid: one smtpd session's process. */
  program: string;
  service: string;
  pid: string;
  /** The postmulti instance's syslog name in lower case, '' for the default `postfix`. */
  instance: string;
  /** null: `NOQUEUE:`; undefined: no queue-id prefix (the text is the whole message). */
  qid: string | null | undefined;
  text: string;
  state: QueueState;
  out: Sink;
  opts: ClassifyOptions;
}

/**
 * One context, filled anew for each line: a line's effect ends before the next line is read, and an
 * object per counted line was a tenth of the young-generation garbage of a report read from a log.
 */
const line: Context = { program: '', service: '', pid: '', instance: '', qid: undefined, text: '', state: undefined!, out: undefined!, opts: NO_FILTERS };

/** The rules of each program for each queue kind (by its index in QUEUE_KINDS), in table order. */
const RULES_BY_KIND: ReadonlyMap<string, readonly (readonly Rule[])[]> = new Map(
  [...RULES_BY_PROGRAM].map(([p, rules]) => [p, QUEUE_KINDS.map((k) => rules.filter((r) => appliesTo(r, k)))]),
);

/**
 * Counts one line: `qid` null for NOQUEUE, undefined for a message without a queue-id prefix; `text`
 * what follows `QID: ` (the whole message when there is none). `qid` and `pid` are the state's keys
 * (prefixed by the caller with the instance and host they belong to); `instance` is only for the
 * filters, `out` already counts to the instance's keys.
 */
export function apply(
  program: string, service: string, pid: string, qid: string | null | undefined, text: string,
  state: QueueState, out: Sink, opts: ClassifyOptions, instance = '',
): void {
  const rules = RULES_BY_KIND.get(program)?.[qid === undefined ? NONE : qid === null ? NOQUEUE : ID];
  if (rules === undefined) return;
  for (const rule of rules) {
    if (!rule.text.test(text)) continue;
    const c = line;
    c.program = program;
    c.service = service;
    c.pid = pid;
    c.instance = instance;
    c.qid = qid;
    c.text = text;
    c.state = state;
    c.out = out;
    c.opts = opts;
    EFFECTS[rule.meaning](c);
    // the line is done: the context must not keep a finished read's state and sinks reachable
    c.state = undefined!;
    c.out = undefined!;
    return;
  }
}

const EFFECTS: Record<Meaning, (c: Context) => void> = {
  origin(c) {
    const service = c.program === 'pickup' ? 'local' : c.service || 'smtp';
    if (!isValidName(service)) c.out.add(BAD_KEY);
    const counted = isValidName(service) && !c.opts.filterServices.has(c.instance === '' ? service : `${c.instance}/${service}`);
    // the client only where facts are made: a sender without a domain is counted by it (queued)
    const client = c.program === 'smtpd' && c.out.fact !== undefined ? clientValue(c.text) : '';
    c.state.begin(c.qid!, counted ? service : '', client);
    if (c.program === 'smtpd') attachMark(c);
  },
  pending(c) {
    const key = markKey(c.program, c.service, c.pid);
    const m = c.state.getMark(key);
    if (m !== undefined && m.origin !== '') settleMark(c, key, true); // a new transaction: the last one ended
    const next = c.state.getMark(key) ?? c.state.putMark(key);
    if (/^(?:milter-)?hold/.test(c.text)) next.held = true;
    else next.discarded = true;
    c.state.putMark(key, next);
  },
  session(c) {
    // `connect from` with a mark left means its disconnect was never seen: nothing shows the message was accepted
    settleMark(c, markKey(c.program, c.service, c.pid), c.text.startsWith('disconnect') && dataAccepted(c.text));
  },
  queued(c) {
    // A message with no origin line (a bounce or notice Postfix made itself) is tracked from here, so
    // its deliveries know its size; its origin '' never counts it as received.
    const e = c.state.get(c.qid!) ?? (c.out.fact !== undefined ? c.state.begin(c.qid!, '') : undefined);
    if (e !== undefined && e.sender === '') {
      // qmgr's first line of the message: a message deferred and retried says it again
      const m = QUEUED.exec(c.text);
      if (m !== null) {
        const domain = sendingDomain(m[1]!, e.client);
        e.size = Number(m[2]);
        e.sender = c.opts.addresses ? senderText(m[1]!) : domain;
        e.client = '';
        c.state.touch(c.qid!, e);
        if (e.origin !== '' && c.out.fact !== undefined) {
          c.out.fact('senders', '', e.sender, { count: 1, bytes: e.size });
          c.out.fact('senderDomains', '', domain, { count: 1, bytes: e.size });
        }
      }
    }
    receive(c, e);
  },
  expired(c) {
    count(c, 'expired');
    if (c.text.includes('status=force-expired')) count(c, 'expired', 'force');
  },
  removed(c) {
    c.state.forget(c.qid!);
  },
  reject(c) {
    const cls = replyClass(c);
    if (cls === null) return;
    if (c.out.fact !== undefined) rejectFact(c, 'rejects');
    const component = c.program;
    if (component !== 'smtpd') count(c, component, cls);
    if (component !== 'cleanup' || / proto=E?SMTP(?: |:|$)/.test(c.text)) count(c, 'smtpd', cls);
    if (typeof c.qid === 'string' && component === 'cleanup') c.state.forget(c.qid);
  },
  hold(c) {
    const e = receive(c);
    if (e?.held) return;
    count(c, 'held');
    if (e) (e.held = true), c.state.touch(c.qid!, e);
  },
  discard(c) {
    const e = receive(c);
    if (e?.discarded) return;
    count(c, 'discarded');
    if (e) (e.discarded = true), c.state.touch(c.qid!, e);
  },
  delivery(c) {
    const m = DELIVERY.exec(c.text);
    if (m === null) return;
    // indexes, not destructuring: a match array is not iterated as fast as a plain array
    // soft_bounce=yes logs a would-be bounce as SOFTBOUNCE: the recipient stays queued, a deferral
    const to = m[1]!, relay = m[2]!, status = m[3] === 'SOFTBOUNCE' ? 'deferred' : m[3]!, detail = m[4]!;
    const transport = c.program === 'pipe' ? relay : c.service || c.program;
    if (!isValidName(transport)) return void c.out.add(BAD_KEY);
    if (isFilterHop(relay, transport, c.opts)) return;
    count(c, status, transport);
    // local(8)'s "forwarded as QID": a part of sent, what the report's hours leave out of delivered,
    // as its days and pflogsumm do
    const forwarded = status === 'sent' && detail.startsWith('(forwarded as ');
    if (forwarded) count(c, 'forwarded', transport);
    if (c.out.fact !== undefined) deliveryFacts(c, to, transport, status, detail, forwarded);
    if (c.program === 'smtp' || c.program === 'lmtp') {
      const a = ANSWER_IN_DETAIL.exec(detail);
      if (a) count(c, transport, `${a[1]}xx`);
    }
  },
  answer(c) {
    const transport = c.service || c.program;
    if (!isValidName(transport)) return void c.out.add(BAD_KEY);
    count(c, transport, `${c.text.charAt(c.text.indexOf(': ') + 2)}xx`);
  },
  rejectWarning(c) {
    if (c.out.fact !== undefined) rejectFact(c, 'rejectWarnings');
  },
  connectFailure(c) {
    c.out.fact?.('smtpFailures', c.service || c.program, factText(c.text), { count: 1 });
  },
  warning(c) {
    c.out.fact?.('warnings', c.program, factText(c.text.slice('warning: '.length)), { count: 1 });
  },
  fatal(c) {
    c.out.fact?.('fatals', c.program, factText(c.text.slice('fatal: '.length)), { count: 1 });
  },
  panic(c) {
    c.out.fact?.('panics', c.program, factText(c.text.slice('panic: '.length)), { count: 1 });
  },
  master(c) {
    c.out.fact?.('master', '', factText(c.text), { count: 1 });
  },
};

const QUEUED = /^from=<([^>]*)>, size=(\d+),/;

/** smtpd's `client=VALUE`, up to a `, ` of later fields (`orig_queue_id=`, `sasl_method=`...), as pflogsumm cuts it. */
function clientValue(text: string): string {
  const comma = text.indexOf(',', 'client='.length);
  return text.slice('client='.length, comma < 0 ? text.length : comma);
}
const DELAY = / delay=(\d+(?:\.\d+)?),/;

/** A delivery's facts: its recipient's domain row, the recipient row, and why it was deferred or bounced. */
function deliveryFacts(c: Context, rawTo: string, transport: string, status: string, detail: string, forwarded: boolean): void {
  const fact = c.out.fact!;
  const domain = domainOf(rawTo);
  const d = DELAY.exec(c.text);
  const delay = d === null ? undefined : Number(d[1]);
  const e = c.state.get(c.qid!);
  if (status === 'sent') {
    // a forward's copy is a message of its own, whose deliveries fill the tables; counting this hop
    // too would show the recipient and its bytes twice (as pflogsumm does not)
    if (forwarded) return fact('messages', '', 'forwarded', { count: 1 });
    const bytes = e?.size ?? 0;
    fact('recipientDomains', '', domain, { count: 1, bytes, delay, sent: true });
    fact('recipients', '', c.opts.addresses ? addressText(rawTo) : domain, { count: 1, bytes });
  } else if (status === 'deferred') {
    fact('recipientDomains', '', domain, { defers: 1, delay });
    fact('deferrals', transport, reason(detail), { count: 1 });
    if (e !== undefined && !e.deferred) {
      e.deferred = true;
      c.state.touch(c.qid!, e);
      fact('messages', '', 'deferred', { count: 1 });
    }
  } else {
    fact('bounces', transport, reason(detail), { count: 1 });
  }
}

/** The `(...)` after a delivery status, without its parentheses. */
function reason(detail: string): string {
  const inner = detail.startsWith('(') && detail.endsWith(')') ? detail.slice(1, -1) : detail;
  return factText(inner);
}

// `reject: RCPT from host[ip]: 550 5.1.1 <addr>: Recipient address rejected: text; from=<s> to=<r> proto=ESMTP helo=<h>`:
// the envelope after `; ` has only the parts the session had (`; proto=SMTP helo=<h>` for EHLO,
// `; to=<r> proto=SMTP` for VRFY), comma-separated in postscreen's; cleanup's milter replies
// (`milter-reject: END-OF-MESSAGE from host[ip]: 5.7.1 text; from=<s> ...`) have this layout too.
// (`s`: a CR inside a hostile line must not make `.` stop short of the end: each try is then linear)
const CLIENT_REJECT = /^(?:milter-)?reject(?:_warning)?: (\S+) from \S+: (?:[45]\d\d )?(?:[45]\.\d{1,3}\.\d{1,3} )?(?:<[^>]*>: )?(.*?)(?:; (?:from=<|to=<|proto=|helo=<).*)?$/s;
// cleanup's header/body checks: `reject: header Subject: text from host[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 reply`,
// `... from local; from=<s>: 5.7.1 reply` for sendmail(1) mail (no to= before `-t` recipients are known),
// and a WARN action's `warning: header ...`, whose reply text may be empty (the checked text is
// shown then, as pflogsumm shows it). Matched from the last envelope, found by lastIndexOf: one
// regular expression over the whole line backtracks quadratically on a hostile one.
const CLEANUP_CHECK = /^(?:milter-)?(?:reject|reject_warning|warning): (\S+) (.*) from \S+$/s;
const CLEANUP_ENVELOPE = /^; from=<[^>]*>(?: to=<[^>]*>)?(?: proto=\S+)?(?: helo=<[^>]*>)?(?:: (?:[45]\d\d )?(?:[45]\.\d{1,3}\.\d{1,3} ?)?(.*))?$/s;
/** cleanup's header/body check layout (`reject: header ...`), not its milter replies' (`milter-reject: END-OF-MESSAGE from ...`). */
const isCleanupCheck = (c: Context): boolean => c.program === 'cleanup' && /^[a-z_-]+: [a-z]/.test(c.text);

/** A reject (or reject_warning) by its stage (`RCPT`, `CONNECT`, `header`, `body`...; postscreen's own) and reason. */
function rejectFact(c: Context, table: 'rejects' | 'rejectWarnings'): void {
  if (isCleanupCheck(c)) {
    const env = c.text.lastIndexOf('; from=<');
    const what = env < 0 ? null : CLEANUP_CHECK.exec(c.text.slice(0, env));
    const reply = env < 0 ? null : CLEANUP_ENVELOPE.exec(c.text.slice(env));
    if (what === null || reply === null) return;
    return c.out.fact!(table, factText(what[1]!), factText(reply[1] || what[2]!), { count: 1 });
  }
  const m = CLIENT_REJECT.exec(c.text);
  if (m === null) return;
  const stage = c.program === 'postscreen' ? 'postscreen' : factText(m[1]!);
  c.out.fact!(table, stage, factText(m[2] || m[1]!), { count: 1 });
}

/**
 * Adds one to the key `kind[:label]`. Every name from the log that reaches here was checked by the
 * effect with isValidName (the key grammar's label), where the check decides what the line counts;
 * the other parts are this file's own constants.
 */
function count(c: Context, kind: string, label?: string): void {
  c.out.add(label === undefined ? joinKey(kind) : labelledKey(kind, label));
}

/**
 * Keys by kind and label, each built once: a counted line's label is a string just decoded from
 * the log, and a key joined from it anew must be hashed again by the counters' map (about 4% of a
 * backlog's time). Few labels exist (transports, services, reply classes); past LABELS_CACHED of
 * one kind, as a hostile log could make, keys are joined as before.
 */
const KEYS = new Map<string, Map<string, string>>();
const LABELS_CACHED = 256;

function labelledKey(kind: string, label: string): string {
  let byLabel = KEYS.get(kind);
  if (byLabel === undefined) KEYS.set(kind, (byLabel = new Map()));
  let key = byLabel.get(label);
  if (key === undefined) {
    key = joinKey(kind, label);
    if (byLabel.size < LABELS_CACHED) byLabel.set(label, key);
  }
  return key;
}

const DELIVERY = /^to=<([^>]*)>, (?:orig_to=<[^>]*>, )?relay=([^,]*), (?:[a-z_]+=[^ ,]*, )*?status=(sent|deferred|bounced|SOFTBOUNCE) (.*)$/;
const ANSWER_IN_DETAIL = /^\(host \S+ (?:said|refused to talk to me): ([45])\d\d[ -]/;
// smtpd and postscreen: `reject: RCPT from host[ip]: 550 5.1.1 ...`; milters give only `5.7.1`.
const CLIENT_REPLY = /^(?:milter-)?reject: \S+ from \S+: (?:([45])\d\d|([45])\.\d{1,3}\.\d{1,3}) /;
// cleanup: `... from host[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 text` (header text comes first,
// so the answer is found after the last envelope part, never inside the quoted header; no to= yet
// for `sendmail -t` mail).
const CLEANUP_REPLY = /; from=<[^>]*>(?: to=<[^>]*>)?(?: proto=\S+)?(?: helo=<[^>]*>)?: (?:([45])\d\d|([45])\.\d{1,3}\.\d{1,3})(?: |$)/;
// postscreen's own refusals carry no code: it answers each with 421 (postscreen.c; the pre-queue
// limit's is logged without NOQUEUE, in lower case)
const POSTSCREEN_421 = /^reject: (?:CONNECT|connect) from \S+: (?:too many connections|all server ports busy|all screening ports busy)$/;

function replyClass(c: Context): string | null {
  let m: RegExpExecArray | null;
  if (isCleanupCheck(c)) {
    const env = c.text.lastIndexOf('; from=<');
    m = env < 0 ? null : CLEANUP_REPLY.exec(c.text.slice(env));
  } else {
    m = CLIENT_REPLY.exec(c.text);
  }
  if (m === null) return c.program === 'postscreen' && POSTSCREEN_421.test(c.text) ? '4xx' : null;
  return `${m[1] ?? m[2]}xx`;
}

/**
 * smtpd logs an access-map HOLD/DISCARD of the first recipient as `NOQUEUE:` (pending mark), then opens
 * the queue file (`QID: client=`), whose queue id the mark takes. Whether that message was then
 * accepted shows only at the session's end (or when the next transaction starts): a client may QUIT
 * after RCPT or vanish during DATA, and the held or discarded message never existed.
 */
function attachMark(c: Context): void {
  if (!c.state.hasMarks) return; // nearly always: no string is built for a key that cannot be there
  const key = markKey(c.program, c.service, c.pid);
  const m = c.state.getMark(key);
  if (m === undefined) return;
  if (m.origin !== '') return void settleMark(c, key, true); // a second message in the session, no HOLD/DISCARD of its own
  m.origin = c.qid!;
  c.state.putMark(key, m);
}

/** Ends `key`'s mark; `accepted`: count its message held / discarded (and received) now. */
function settleMark(c: Context, key: string, accepted: boolean): void {
  const m = c.state.takeMark(key);
  if (m === undefined || m.origin === '' || !accepted) return;
  const at: Context = { ...c, qid: m.origin };
  if (m.held) EFFECTS.hold(at);
  if (m.discarded) EFFECTS.discard(at);
}

/**
 * The DATA (or BDAT) verdicts of smtpd's session statistics (Postfix 3.0+): `data=1` all accepted,
 * `data=0/1` some refused or cut off, none without any DATA. The marked message is the last of the
 * session, so a refusal counts against it; a line without statistics (older Postfix) cannot say.
 */
function dataAccepted(text: string): boolean {
  if (!/ commands=\d/.test(text)) return true;
  const m = / (?:data|bdat)=(\d+)(?:\/(\d+))?(?: |$)/.exec(text);
  return m !== null && m[1] !== '0' && (m[2] === undefined || m[1] === m[2]);
}

/** `e`: the message's entry when the caller has already looked it up. */
function receive(c: Context, e = c.state.get(c.qid!)) {
  if (e === undefined || e.received) return e;
  e.received = true;
  c.state.touch(c.qid!, e);
  if (e.origin !== '') count(c, 'recv', e.origin);
  return e;
}

function isFilterHop(relay: string, transport: string, opts: ClassifyOptions): boolean {
  if (opts.filterRelays.size === 0) return false;
  if (opts.filterRelays.has(transport)) return true;
  const m = /\[([^\]]+)\]:(\d+)$/.exec(relay);
  return m !== null && opts.filterRelays.has(`${m[1]}:${m[2]}`);
}
