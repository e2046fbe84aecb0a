// Whether a log input was in a form the report reads, told apart from a log with nothing of Postfix
// in it: a report of zeros is right for a quiet day of other programs' lines (as pflogsumm's), and
// numbers that may be wrong for text in another form (journalctl -o short-full, docker logs -t,
// busybox syslogd, a binary file), which gets exit 65 quoting its first line instead. Both halves of
// a split read keep one each, so a split read and a read in order decide alike.
import { MAX_FACT_TEXT, factText } from '../classify/facts.js';
import { bytesAt } from '../syslog/bytes.js';
import { startsLikeSyslog } from '../syslog/tokenize.js';

export interface Form {
  /** Some line is a syslog line in a form the tokenizer reads, Postfix's or another program's. */
  readonly stamped: boolean;
  /** The first line that is not (nor empty, nor a journalctl `-- ` note), as a report shows log text; null: none. */
  readonly foreign: string | null;
}

const JOURNAL_NOTE = Buffer.from('-- ', 'latin1');
/** Bytes of a foreign line decoded for the error: at most 3 per UTF-16 unit, factText then cuts it. */
const QUOTED = 3 * MAX_FACT_TEXT + 3;

export class InputForm implements Form {
  stamped = false;
  foreign: string | null = null;

  /** A line the classifier took as a Postfix record (`record`) or not; `nul`: it holds a NUL byte (never read). */
  line(buf: Buffer, start: number, end: number, record: boolean, nul: boolean): void {
    // until the first readable line, each other line is looked at again: what is it?
    if (this.stamped) return;
    if (record || (!nul && startsLikeSyslog(buf, start, end))) this.stamped = true;
    else if (this.foreign === null && end > start && !bytesAt(buf, start, JOURNAL_NOTE)) {
      this.foreign = factText(buf.toString('latin1', start, Math.min(end, start + QUOTED)));
    }
  }

  /** A line over the reader's limit, skipped whole. */
  longLine(maxLine: number): void {
    this.foreign ??= `(a line of more than ${maxLine} bytes)`;
  }

  /** This part's form followed by `later`'s (the second half of a split read), as one read in order would have it. */
  then(later: Form): Form {
    // in order, nothing is looked at after the first readable line
    return { stamped: this.stamped || later.stamped, foreign: this.stamped ? this.foreign : this.foreign ?? later.foreign };
  }

  get value(): Form {
    return { stamped: this.stamped, foreign: this.foreign };
  }
}
