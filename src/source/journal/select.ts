// Which entries are Postfix's. journalctl can only match whole values (SYSLOG_IDENTIFIER=postfix/smtpd),
// but the identifiers are open-ended: every master.cf service name and every `syslog_name` the admin
// sets (`postfix/submission/smtpd`, `postfix-out/smtp`) makes a new one. So selection is by prefix,
// here, on the bytes.

/** A syslog identifier is Postfix's when it is one of the names, or one of them followed by `/`; `postfix-` also as a prefix. */
export class IdentifierFilter {
  private readonly exact: Buffer[];
  private readonly slash: Buffer[];
  private readonly dash = Buffer.from('postfix-');

  /** `names`: syslog_name values configured besides postfix's own (`mx-out` selects `mx-out/smtp`). */
  constructor(names: readonly string[] = []) {
    const all = ['postfix', ...names.filter((n) => n.length > 0 && n !== 'postfix')];
    this.exact = all.map((n) => Buffer.from(n));
    this.slash = all.map((n) => Buffer.from(`${n}/`));
  }

  matches(buf: Buffer, start: number, end: number): boolean {
    const len = end - start;
    if (len <= 0) return false;
    if (startsWith(buf, start, end, this.dash)) return true;
    for (let i = 0; i < this.exact.length; i++) {
      const e = this.exact[i]!;
      if (len === e.length && startsWith(buf, start, end, e)) return true;
      if (startsWith(buf, start, end, this.slash[i]!)) return true;
    }
    return false;
  }
}

function startsWith(buf: Buffer, start: number, end: number, p: Buffer): boolean {
  if (end - start < p.length) return false;
  for (let i = 0; i < p.length; i++) if (buf[start + i] !== p[i]) return false;
  return true;
}
