// One log record in, counter increments out: the only classifier. It reads the record's spans, not a
// text line, so a record from the journal counts exactly as one cut from a syslog line. The
// first-pass tests (first-pass.ts) run on bytes, cheapest first; a record that passes them is
// decoded once and handed to the rule table and its effects (effects.ts).
// A postmulti instance (syslog name `postfix-out`) has queue ids and smtpd processes of its own: its
// state is kept apart, and its counts go to its instance's keys too (counters/instances.ts).
import { PerInstance } from '../counters/instances.js';
import { DEFAULT_INSTANCE } from '../counters/key.js';
import { COLON, SLASH, SP, bytesAt, latin1, spanIs } from '../syslog/bytes.js';
import { identEnd, type IdentParts } from '../syslog/ident.js';
import type { LogRecord } from '../syslog/record.js';
import { NO_FILTERS, apply, type ClassifyOptions, type Sink } from './effects.js';
import { MARKS_PENDING, countedProgram, isQueueIdAt, textMayMatch } from './first-pass.js';
import { ID, NONE, NOQUEUE } from './rules.js';
import { MAX_QUEUE_ID } from './names.js';
import type { QueueState } from './queue.js';

export { NO_FILTERS, type ClassifyOptions, type Sink } from './effects.js';

const NOQUEUE_BYTES = Buffer.from('NOQUEUE', 'latin1');
const parts: IdentParts = { nameEnd: 0, serviceStart: 0, serviceEnd: 0, programStart: 0 };
const perInstance = new PerInstance();

export function classify(state: QueueState, rec: LogRecord, out: Sink, opts: ClassifyOptions = NO_FILTERS): void {
  const buf = rec.buf;
  // the program: the last `/` component of the identifier, a counted one or nothing to do
  let slash = rec.identEnd - 1;
  while (slash >= rec.identStart && buf[slash] !== SLASH) slash--;
  if (slash < rec.identStart) return;
  const program = countedProgram(buf, slash + 1, rec.identEnd);
  if (program === undefined) return;
  // `QID: ` or `NOQUEUE: `: the first `: ` of the message, within a queue id's length
  const msg = rec.msgStart;
  const end = rec.msgEnd;
  let colon = msg;
  const colonMax = Math.min(end - 1, msg + MAX_QUEUE_ID + 1);
  while (colon < colonMax && !(buf[colon] === COLON && buf[colon + 1] === SP)) colon++;
  let queue = NONE;
  if (colon < colonMax) {
    if (colon - msg === NOQUEUE_BYTES.length && bytesAt(buf, msg, NOQUEUE_BYTES)) queue = NOQUEUE;
    else if (isQueueIdAt(buf, msg, colon)) queue = ID;
  }
  const text = queue === NONE ? msg : colon + 2;
  if (!textMayMatch(program.texts[queue + (state.hasMarks ? MARKS_PENDING : 0)]!, buf, text, end)) return;
  if (identEnd(buf, rec.identStart, rec.identEnd, parts) !== rec.identEnd) return;
  const service = parts.serviceStart === parts.serviceEnd ? '' : latin1(buf, parts.serviceStart, parts.serviceEnd);
  let qid = queue === ID ? latin1(buf, msg, colon) : queue === NOQUEUE ? null : undefined;
  let pid = program.readsPid ? latin1(buf, rec.pidStart, rec.pidEnd) : '';
  let sink = out;
  let instance = '';
  // The default instance, nearly every line, costs one comparison: its state and keys are as they
  // were before instances were told apart, so existing databases go on as they are.
  if (parts.nameEnd - rec.identStart !== DEFAULT_INSTANCE.length) {
    // the name as logged: syslog names are case-sensitive, so `postfix-Out` is another instance's state
    const name = latin1(buf, rec.identStart, parts.nameEnd);
    if (typeof qid === 'string') qid = `${name}|${qid}`;
    if (pid !== '') pid = `${name}|${pid}`;
    sink = perInstance.to(out, name);
    if (sink !== out) instance = name.toLowerCase();
  }
  if (opts.stateByHost) {
    // `|` is in no host, syslog name, queue id or pid: `mx1|4F2A1B` can only be mx1's queue id
    // 4F2A1B, `mx1|postfix-out|4F2A1B` that of its instance postfix-out
    const host = hostName(buf, rec.hostStart, rec.hostEnd);
    const first = opts.firstHostPlain;
    if (first === undefined) {
      if (typeof qid === 'string') qid = `${host}|${qid}`;
      if (pid !== '') pid = `${host}|${pid}`;
    } else if ((first.host ??= host) !== host) {
      // `@`, in no syslog name, keeps `@mx2|postfix-out|4F2A1B` apart from the first host's
      // `postfix-out|4F2A1B` whatever the hosts are called
      if (typeof qid === 'string') qid = `@${host}|${qid}`;
      if (pid !== '') pid = `@${host}|${pid}`;
    }
  }
  if (!state.admits(program.name, service, pid, qid)) return;
  apply(program.name, service, pid, qid, latin1(buf, text, end), state, sink, opts, instance);
}

// The last host decoded, by its bytes: most records of a stretch come from one host, and a report
// of a one-host log pays one comparison per counted line, not a string.
let hostMemoBytes: Uint8Array = new Uint8Array(0);
let hostMemo = '';

/** The host of [a, b) in lower case, as state keys name it. */
function hostName(buf: Buffer, a: number, b: number): string {
  if (spanIs(buf, a, b, hostMemoBytes)) return hostMemo;
  hostMemo = latin1(buf, a, b).toLowerCase();
  hostMemoBytes = Buffer.from(buf.subarray(a, b));
  return hostMemo;
}
