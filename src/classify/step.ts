// One log line in, counter increments out. Deterministic in (state, line): the only memory is the
// QueueState, which the caller persists with the counters.
import { parseHeader, type Header } from './header.js';
import { isQueueId, isValidName } from './names.js';
import { COUNTED_PROGRAMS, RULES, type Meaning, type Rule } from './rules.js';
import { markKey, type QueueState } from './queue.js';

export interface Sink {
  add(key: string, n?: number): unknown;
}

export interface ClassifyOptions {
  /** Deliveries to these (`ip:port` of relay=, or a transport name) are content-filter hops, not mail sent. */
  readonly filterRelays: ReadonlySet<string>;
  /** smtpd services (syslog_name suffix) that re-inject filtered mail: not received twice. */
  readonly filterServices: ReadonlySet<string>;
}

export const NO_FILTERS: ClassifyOptions = { filterRelays: new Set(), filterServices: new Set() };
export const BAD_KEY = 'self:bad_keys';

interface Context {
  readonly h: Pick<Header, 'program' | 'service' | 'pid'>;
  /** null: `NOQUEUE:`; undefined: no queue-id prefix (the text is the whole message). */
  readonly qid: string | null | undefined;
  readonly text: string;
  readonly state: QueueState;
  readonly out: Sink;
  readonly opts: ClassifyOptions;
}

export function step(state: QueueState, line: string, out: Sink, opts: ClassifyOptions = NO_FILTERS): void {
  // relays and log collectors that write CRLF: the `\r` would defeat every `$`-anchored rule
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const h = parseHeader(line);
  if (h === null || !COUNTED_PROGRAMS.has(h.program)) return;
  const colon = h.msg.indexOf(': ');
  const head = colon < 0 ? '' : h.msg.slice(0, colon);
  const qid = head === 'NOQUEUE' ? null : isQueueId(head) ? head : undefined;
  const text = qid === undefined ? h.msg : h.msg.slice(colon + 2);
  apply(h.program, h.service, h.pid, qid, text, state, out, opts);
}

/** The rules that name each program, in table order: the same first match as walking all of RULES. */
const RULES_BY_PROGRAM: ReadonlyMap<string, readonly Rule[]> = new Map(
  [...COUNTED_PROGRAMS].map((p) => [p, RULES.filter((r) => r.programs.has(p))]),
);

/**
 * The second half of `step()`, for a line whose header and queue id are already parsed (also by the
 * byte-level fast path in fast.ts): `qid` null for NOQUEUE, undefined for a message without a
 * queue-id prefix; `text` what follows `QID: ` (the whole message when there is none).
 */
export function apply(
  program: string, service: string, pid: string, qid: string | null | undefined, text: string,
  state: QueueState, out: Sink, opts: ClassifyOptions,
): void {
  const rules = RULES_BY_PROGRAM.get(program);
  if (rules === undefined) return;
  const queue = qid === undefined ? 'none' : qid === null ? 'noqueue' : 'id';
  for (const rule of rules) {
    if (rule.queue !== queue && !(rule.queue === 'either' && queue !== 'none')) continue;
    if (!rule.text.test(text)) continue;
    EFFECTS[rule.meaning]({ h: { program, service, pid }, qid, text, state, out, opts });
    return;
  }
}

const EFFECTS: Record<Meaning, (c: Context) => void> = {
  origin(c) {
    const service = c.h.program === 'pickup' ? 'local' : c.h.service || 'smtp';
    if (!isValidName(service)) c.out.add(BAD_KEY);
    const counted = isValidName(service) && !c.opts.filterServices.has(service);
    c.state.begin(c.qid!, counted ? service : '');
    if (c.h.program === 'smtpd') attachMark(c);
  },
  pending(c) {
    const key = markKey(c.h.program, c.h.service, c.h.pid);
    const m = c.state.getMark(key);
    if (m !== undefined && m.origin !== '') settleMark(c, key, true); // a new transaction: the last one ended
    const next = c.state.getMark(key) ?? c.state.putMark(key);
    if (/^(?:milter-)?hold/.test(c.text)) next.held = true;
    else next.discarded = true;
    c.state.putMark(key, next);
  },
  session(c) {
    // `connect from` with a mark left means its disconnect was never seen: nothing shows the message was accepted
    settleMark(c, markKey(c.h.program, c.h.service, c.h.pid), c.text.startsWith('disconnect') && dataAccepted(c.text));
  },
  queued(c) {
    receive(c);
  },
  expired(c) {
    c.out.add('expired');
    if (c.text.includes('status=force-expired')) c.out.add('expired:force');
  },
  removed(c) {
    c.state.forget(c.qid!);
  },
  reject(c) {
    const cls = replyClass(c);
    if (cls === null) return;
    const component = c.h.program;
    if (component !== 'smtpd') c.out.add(`${component}:${cls}`);
    if (component !== 'cleanup' || / proto=E?SMTP /.test(c.text)) c.out.add(`smtpd:${cls}`);
    if (typeof c.qid === 'string' && component === 'cleanup') c.state.forget(c.qid);
  },
  hold(c) {
    const e = receive(c);
    if (e?.held) return;
    c.out.add('held');
    if (e) (e.held = true), c.state.touch(c.qid!, e);
  },
  discard(c) {
    const e = receive(c);
    if (e?.discarded) return;
    c.out.add('discarded');
    if (e) (e.discarded = true), c.state.touch(c.qid!, e);
  },
  delivery(c) {
    const m = DELIVERY.exec(c.text);
    if (m === null) return;
    const [, relay = '', status = '', detail = ''] = m;
    const transport = c.h.program === 'pipe' ? relay : c.h.service || c.h.program;
    if (!isValidName(transport)) return void c.out.add(BAD_KEY);
    if (isFilterHop(relay, transport, c.opts)) return;
    c.out.add(`${status}:${transport}`);
    if (c.h.program === 'smtp' || c.h.program === 'lmtp') {
      const a = ANSWER_IN_DETAIL.exec(detail);
      if (a) c.out.add(`${transport}:${a[1]}xx`);
    }
  },
  answer(c) {
    const transport = c.h.service || c.h.program;
    if (!isValidName(transport)) return void c.out.add(BAD_KEY);
    c.out.add(`${transport}:${c.text.charAt(c.text.indexOf(': ') + 2)}xx`);
  },
};

const DELIVERY = /^to=<[^>]*>, (?:orig_to=<[^>]*>, )?relay=([^,]*), (?:[a-z_]+=[^ ,]*, )*?status=(sent|deferred|bounced) (.*)$/;
const ANSWER_IN_DETAIL = /^\(host \S+ (?:said|refused to talk to me): ([45])\d\d[ -]/;
// smtpd and postscreen: `reject: RCPT from host[ip]: 550 5.1.1 ...`; milters give only `5.7.1`.
const CLIENT_REPLY = /^(?:milter-)?reject: \S+ from \S+: (?:([45])\d\d|([45])\.\d{1,3}\.\d{1,3}) /;
// cleanup: `... from host[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 text` (header text comes first,
// so the answer is found after the last envelope part, never inside the quoted header).
const CLEANUP_REPLY = /; from=<[^>]*> to=<[^>]*>(?: proto=\S+)?(?: helo=<[^>]*>)?: (?:([45])\d\d|([45])\.\d{1,3}\.\d{1,3})(?: |$)/;

function replyClass(c: Context): string | null {
  let m: RegExpExecArray | null;
  if (c.h.program === 'cleanup') {
    const env = c.text.lastIndexOf('; from=<');
    m = env < 0 ? null : CLEANUP_REPLY.exec(c.text.slice(env));
  } else {
    m = CLIENT_REPLY.exec(c.text);
  }
  if (m === null) return null;
  return `${m[1] ?? m[2]}xx`;
}

/**
 * smtpd logs an access-map HOLD/DISCARD of the first recipient as `NOQUEUE:` (pending mark), then opens
 * the queue file (`QID: client=`), whose queue id the mark takes. Whether that message was then
 * accepted shows only at the session's end (or when the next transaction starts): a client may QUIT
 * after RCPT or vanish during DATA, and the held or discarded message never existed.
 */
function attachMark(c: Context): void {
  const key = markKey(c.h.program, c.h.service, c.h.pid);
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

function receive(c: Context) {
  const e = c.state.get(c.qid!);
  if (e === undefined || e.received) return e;
  e.received = true;
  c.state.touch(c.qid!, e);
  if (e.origin !== '') c.out.add(`recv:${e.origin}`);
  return e;
}

function isFilterHop(relay: string, transport: string, opts: ClassifyOptions): boolean {
  if (opts.filterRelays.size === 0) return false;
  if (opts.filterRelays.has(transport)) return true;
  const m = /\[([^\]]+)\]:(\d+)$/.exec(relay);
  return m !== null && opts.filterRelays.has(`${m[1]}:${m[2]}`);
}
