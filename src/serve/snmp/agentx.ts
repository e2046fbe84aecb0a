// postfix-statsd as an AgentX subagent of snmpd: the counter table without a process fork per
// query. The net-snmp package carries the session (Open, Register, Ping, Response encoding); the
// answers come from agentx-answer.ts over the rows of the daemon's last commit, held in its memory, so they are as
// fresh as the last commit. The package never reconnects: when snmpd goes away (restart, crash, not
// yet started) this class opens a new session after a growing delay, and a periodic AgentX ping
// notices a master that stopped answering without closing the connection.
import snmp, { type Subagent } from 'net-snmp';
import type { AgentxAddress } from './agentx-address.js';
import { answerBulk, answerGet, answerNext, type SearchRange } from './agentx-answer.js';
import { PduFramer } from './agentx-framing.js';
import { tableProvider, toVarbind } from './agentx-table.js';
import { parseOid, type Oid } from './oid.js';
import type { TableRow } from './table.js';

export interface AgentxLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AgentxOptions {
  readonly address: AgentxAddress;
  readonly base: Oid;
  /** Fresh, servable rows; null when the store cannot be read now (the last rows are served). */
  readonly rows: () => readonly TableRow[] | null;
  readonly log: AgentxLog;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  readonly pingMs?: number;
}

export type AgentxState = 'connecting' | 'registered' | 'stopped';

/** The parts of the package's request PDU that the answers need. */
interface RequestPdu {
  searchRangeList: { start: string | null; end: string | null }[];
  nonRepeaters?: number;
  maxRepetitions?: number;
  getResponsePduForRequest(): unknown;
}
type Internals = Subagent & {
  onMsg(b: Buffer): void;
  sendResponse(response: unknown, varbinds: unknown[]): void;
  testSet(pdu: unknown): void;
  commitSet(pdu: unknown): void;
  undoSet(pdu: unknown): void;
  cleanupSet(pdu: unknown): void;
};
// AgentX res.error values (RFC 2741 7.2.4, SNMPv2 error-status)
const NOT_WRITABLE = 17;
const COMMIT_FAILED = 14;
const UNDO_FAILED = 15;

export class AgentxTable {
  private sub: Subagent | undefined;
  private retry: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;
  private delay: number;
  private outageLogged = false;
  private last: readonly TableRow[] = [];
  state: AgentxState = 'connecting';
  /** Sessions registered so far: 2 after one snmpd restart. */
  sessions = 0;

  constructor(private readonly o: AgentxOptions) {
    this.delay = o.retryMinMs ?? 250;
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.state = 'stopped';
    clearTimeout(this.retry);
    clearInterval(this.ping);
    const sub = this.sub;
    this.sub = undefined;
    sub?.socket.destroy();
  }

  private rows(): readonly TableRow[] {
    const r = this.o.rows();
    if (r !== null) this.last = r;
    return this.last;
  }

  private connect(): void {
    const { address, base, log } = this.o;
    const sub = snmp.createSubagent({ master: address.host, masterPort: address.port, description: 'postfix-statsd counters' }) as Internals;
    this.sub = sub;
    this.state = 'connecting';
    let gone = false;
    const lost = (why: string): void => {
      if (gone) return;
      gone = true;
      clearInterval(this.ping);
      sub.socket.destroy();
      if (this.sub !== sub || this.state === 'stopped') return;
      this.sub = undefined;
      this.state = 'connecting';
      // One line per outage, not one per retry while snmpd is down.
      if (!this.outageLogged) log.warn({ agentx: `${address.host}:${address.port}`, why }, 'AgentX master unavailable; retrying');
      this.outageLogged = true;
      this.retry = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, this.o.retryMaxMs ?? 5_000);
    };
    sub.on('error', (e: Error) => lost(e.message));
    sub.on('close', () => lost('connection closed'));

    const framer = new PduFramer();
    sub.socket.removeAllListeners('data');
    sub.socket.on('data', (chunk: Buffer) => {
      for (const pdu of framer.push(chunk)) sub.onMsg(pdu);
    });
    this.answerFromTable(sub, base);

    sub.open((err, pdu) => {
      if (err || pdu.error) return lost(`open refused (${err?.message ?? pdu.error})`);
      sub.registerProvider(tableProvider(base), (err2, pdu2) => {
        // 263 duplicateRegistration: another subagent (or a pass line) already serves this OID.
        if (err2 || pdu2.error) return lost(`register refused (${err2?.message ?? pdu2.error})`);
        this.state = 'registered';
        this.sessions++;
        this.delay = this.o.retryMinMs ?? 250;
        this.outageLogged = false;
        log.info({ agentx: `${address.host}:${address.port}`, sessions: this.sessions }, 'AgentX subagent registered');
        this.keepAlive(sub, lost);
      });
    });
  }

  /** Replaces the package's Mib-based answers (see agentx-answer.ts) with the table's. */
  private answerFromTable(sub: Internals, base: Oid): void {
    const ranges = (pdu: RequestPdu): SearchRange[] =>
      pdu.searchRangeList.map((r) => ({ start: parseOid(r.start ?? '') ?? [], end: r.end ? parseOid(r.end) : null }));
    const respond = (pdu: RequestPdu, answers: Parameters<typeof toVarbind>[0][]) =>
      sub.sendResponse(pdu.getResponsePduForRequest(), answers.map(toVarbind));
    sub.getRequest = (pdu) => {
      const rows = this.rows();
      respond(pdu as RequestPdu, ranges(pdu as RequestPdu).map((r) => answerGet(base, rows, r.start)));
    };
    sub.getNextRequest = (pdu) => {
      const rows = this.rows();
      respond(pdu as RequestPdu, ranges(pdu as RequestPdu).map((r) => answerNext(base, rows, r)));
    };
    sub.getBulkRequest = (pdu) => {
      const p = pdu as RequestPdu;
      respond(p, answerBulk(base, this.rows(), ranges(p), p.nonRepeaters ?? 0, p.maxRepetitions ?? 0));
    };
    // The table is read-only (the MIB's MAX-ACCESS): a SET fails its test with notWritable, for its
    // first varbind, as pass and pass_persist answer. The package's own handlers answered noError.
    const refuse = (pdu: unknown, error: number) => {
      const res = (pdu as RequestPdu).getResponsePduForRequest() as { error: number; index: number };
      res.error = error;
      res.index = 1;
      sub.sendResponse(res, []);
    };
    sub.testSet = (pdu) => refuse(pdu, NOT_WRITABLE);
    // never reached after a failed test; answered, should a master send them all the same
    sub.commitSet = (pdu) => refuse(pdu, COMMIT_FAILED);
    sub.undoSet = (pdu) => refuse(pdu, UNDO_FAILED);
    sub.cleanupSet = () => {}; // RFC 2741 7.2.4.4: no response
  }

  /** A master that hangs without closing the socket: an unanswered ping ends the session. */
  private keepAlive(sub: Subagent, lost: (why: string) => void): void {
    let waiting = false;
    this.ping = setInterval(() => {
      if (waiting) return lost('ping unanswered');
      waiting = true;
      sub.ping(() => (waiting = false));
    }, this.o.pingMs ?? 15_000);
    this.ping.unref();
  }
}

/** The daemon's wiring: serve at `cfg` the rows `rows` gives (the last commit's, from memory). */
export function startAgentx(cfg: { address: AgentxAddress; base: Oid }, rows: () => TableRow[] | null, log: AgentxLog): AgentxTable {
  const t = new AgentxTable({ address: cfg.address, base: cfg.base, rows, log });
  t.start();
  return t;
}
