// snmpd's pass_persist conversation as a pure state machine: feed it stdin's lines one at a time, write
// what it returns. Each get/getnext asks `snapshot` for fresh rows, so a long-lived helper never
// serves counters older than the request.
import { NONE, NOT_WRITABLE, formatCell } from './pass-format.js';
import { parseOid, type Oid } from './oid.js';
import { getCell, nextCell, type TableRow } from './table.js';

/** Fresh, servable rows, or null when the store cannot be read right now (answered as NONE). */
export type Snapshot = () => readonly TableRow[] | null;

type State = { want: 'command' } | { want: 'oid'; op: 'get' | 'getnext' | 'set' } | { want: 'set-value' };

export class PassPersist {
  private state: State = { want: 'command' };

  constructor(
    private readonly base: Oid,
    private readonly snapshot: Snapshot,
  ) {}

  /** One line of input (without its newline); returns the text to write, possibly empty. */
  feed(line: string): string {
    const s = this.state;
    if (s.want === 'command') {
      const cmd = line.trim().toLowerCase();
      if (cmd === 'ping') return 'PONG\n';
      if (cmd === 'get' || cmd === 'getnext' || cmd === 'set') this.state = { want: 'oid', op: cmd };
      // Anything else (a blank line, an unknown word) is ignored: answering it would shift every
      // later answer by one and desynchronise snmpd for good.
      return '';
    }
    if (s.want === 'oid') {
      if (s.op === 'set') {
        this.state = { want: 'set-value' };
        return '';
      }
      this.state = { want: 'command' };
      const oid = parseOid(line.trim());
      if (oid === null) return NONE;
      const rows = this.snapshot();
      if (rows === null) return NONE;
      return formatCell(s.op === 'get' ? getCell(this.base, rows, oid) : nextCell(this.base, rows, oid));
    }
    // The "TYPE VALUE" line of a set: the table is read-only.
    this.state = { want: 'command' };
    return NOT_WRITABLE;
  }
}
