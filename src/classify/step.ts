// One log line in, counter increments out. Deterministic in (state, line): the only memory is the
// QueueState, which the caller persists with the counters.
import { parseHeader, type Header } from './header.js';
import { isQueueId, isValidName } from './names.js';
import { COUNTED_PROGRAMS, RULES, type Meaning, type Rule } from './rules.js';
import type { QueueState } from './queue.js';

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
  readonly h: Pick<Header, 'program' | 'service'>;
  readonly qid: string | null;
  readonly text: string;
  readonly state: QueueState;
  readonly out: Sink;
  readonly opts: ClassifyOptions;
}

export function step(state: QueueState, line: string, out: Sink, opts: ClassifyOptions = NO_FILTERS): void {
  const h = parseHeader(line);
  if (h === null || !COUNTED_PROGRAMS.has(h.program)) return;
  const colon = h.msg.indexOf(': ');
  if (colon < 0) return;
  const head = h.msg.slice(0, colon);
  const qid = head === 'NOQUEUE' ? null : isQueueId(head) ? head : undefined;
  if (qid === undefined) return;
  apply(h.program, h.service, qid, h.msg.slice(colon + 2), state, out, opts);
}

/** The rules that name each program, in table order: the same first match as walking all of RULES. */
const RULES_BY_PROGRAM: ReadonlyMap<string, readonly Rule[]> = new Map(
  [...COUNTED_PROGRAMS].map((p) => [p, RULES.filter((r) => r.programs.has(p))]),
);

/**
 * The second half of `step()`, for a line whose header and queue id are already parsed (also by the
 * byte-level fast path in fast.ts): `qid` null for NOQUEUE, `text` what follows `QID: `.
 */
export function apply(program: string, service: string, qid: string | null, text: string, state: QueueState, out: Sink, opts: ClassifyOptions): void {
  const rules = RULES_BY_PROGRAM.get(program);
  if (rules === undefined) return;
  for (const rule of rules) {
    if ((rule.queue === 'id' && qid === null) || (rule.queue === 'noqueue' && qid !== null)) continue;
    if (!rule.text.test(text)) continue;
    EFFECTS[rule.meaning]({ h: { program, service }, qid, text, state, out, opts });
    return;
  }
}

const EFFECTS: Record<Meaning, (c: Context) => void> = {
  origin(c) {
    const service = c.h.program === 'pickup' ? 'local' : c.h.service || 'smtp';
    if (!isValidName(service)) c.out.add(BAD_KEY);
    const counted = isValidName(service) && !c.opts.filterServices.has(service);
    c.state.begin(c.qid!, counted ? service : '');
  },
  queued(c) {
    receive(c);
  },
  expired(c) {
    c.out.add('expired');
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
    if (c.qid !== null && component === 'cleanup') c.state.forget(c.qid);
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
