// One log record as the classifier sees it, whatever it came from: a syslog line cut into spans by the
// tokenizer, or a journal entry's fields laid into one buffer by the journal source. Spans index
// `buf`, end exclusive. Producers reuse one object from record to record, so a consumer copies what
// it keeps beyond the call.
export interface LogRecord {
  buf: Buffer;
  /** The event's time, in ms since the epoch (UTC); NaN when the source gives none. */
  time: number;
  hostStart: number;
  hostEnd: number;
  /** The syslog identifier, `postfix/submission/smtpd`: syslog name, service, program. */
  identStart: number;
  identEnd: number;
  pidStart: number;
  pidEnd: number;
  /** The message after `ident[pid]: `. */
  msgStart: number;
  msgEnd: number;
}
