// A section 8 man page in roff from a program's --help text, so the USAGE string each program
// prints stays the one source of truth (scripts/deb/build.mjs runs the packaged executable itself).
//
// The help texts share one shape, which this reads:
//   "Usage: NAME ..." and its indented continuation lines, up to a blank line  -> SYNOPSIS
//   paragraphs of "  -x, --opt ARG   description" lines (the description at a fixed column,
//   continued on lines indented to it)                                          -> OPTIONS
//   a paragraph (or a line within one) starting "Exit codes:"                   -> EXIT STATUS
//   any other paragraph                                                         -> DESCRIPTION
// What --help does not say (the one-line summary, files, see also) is below, per program.

const META = {
  'postfix-statsd': {
    summary: 'count Postfix mail log events into LMDB counters and history',
    files: [
      ['/var/lib/postfix-stats/', 'the LMDB environment (data.mdb, lock.mdb, 0600) and the published snapshot (0644) and history'],
      ['/etc/default/postfix-statsd', 'POSTFIX_STATSD_LOG and POSTFIX_STATSD_OPTS for postfix-statsd.service'],
      ['/usr/lib/systemd/system/postfix-statsd.service', 'the service, run as user postfix-stats'],
    ],
    seeAlso: ['postfix-stats-get(8)', 'postfix-stats-report(8)', 'snmpd.conf(5)', 'systemctl(1)', 'journalctl(1)'],
  },
  'postfix-stats-get': {
    summary: 'print postfix-statsd counters, for snmpd exec, extend, pass and pass_persist',
    files: [
      ['/var/lib/postfix-stats/snapshot', 'the counters postfix-statsd publishes after every commit, the one file read'],
      ['/etc/snmp/snmpd.conf.d/postfix-stats.conf', 'the view lines and commented exec, extend, pass_persist and AgentX lines for snmpd'],
      ['/usr/share/snmp/mibs/POSTFIX-STATS-MIB.txt', 'the MIB of the counter table'],
    ],
    seeAlso: ['postfix-statsd(8)', 'postfix-stats-report(8)', 'snmpd.conf(5)', 'snmpget(1)'],
  },
  'postfix-stats-report': {
    summary: "print pflogsumm's report from postfix-statsd's history or from log files",
    files: [
      ['/var/lib/postfix-stats/', "the daemon's database directory, of which the history is read"],
      ['/usr/lib/systemd/system/postfix-stats-report.timer', 'mails the report of the day before, when enabled'],
    ],
    seeAlso: ['postfix-statsd(8)', 'postfix-stats-get(8)', 'pflogsumm(1)', 'sendmail(1)'],
  },
};

/** Escape text for roff: backslashes, a leading control character, and hyphens as minus signs where they start a word. */
function esc(s) {
  return s
    .replace(/\\/g, '\\e')
    .replace(/(^|[\s[|(=,"'`])(-+)/g, (_, pre, dashes) => pre + dashes.replace(/-/g, '\\-'))
    .replace(/^([.'])/, '\\&$1');
}

/** An option term: option names bold, their arguments italic. */
function term(t) {
  return t
    .split(/(\s+|,\s*)/)
    .map((w) => (/^\s*$|^,/.test(w) ? w : /^-/.test(w) ? `\\fB${esc(w)}\\fR` : `\\fI${esc(w)}\\fR`))
    .join('');
}

function paragraphs(lines) {
  const out = [];
  let cur = [];
  for (const l of lines) {
    if (l.trim() === '') {
      if (cur.length) out.push(cur);
      cur = [];
    } else if (/^Exit codes:/.test(l) && cur.length) {
      out.push(cur);
      cur = [l];
    } else cur.push(l);
  }
  if (cur.length) out.push(cur);
  return out;
}

const isOptionLine = (l) => /^ {1,4}-/.test(l);

/** "  --log FILE     text" lines -> [{term, text}], the description column found from continuation lines. */
function options(par) {
  const conts = par.filter((l) => !isOptionLine(l)).map((l) => /^ */.exec(l)[0].length);
  // The column where descriptions start: that of continuation lines, else after the term's run of spaces.
  const col = conts.length ? Math.min(...conts) : undefined;
  const opts = [];
  for (const l of par) {
    if (isOptionLine(l)) {
      let t;
      let d;
      if (col !== undefined && l.length > col && l[col - 1] === ' ') {
        t = l.slice(0, col).trim();
        d = l.slice(col).trim();
      } else {
        const m = /^\s*(\S.*?)(?:\s{2,}(.*))?$/.exec(l);
        t = m[1];
        d = m[2] ?? '';
      }
      opts.push({ term: t, text: [d] });
    } else opts[opts.length - 1].text.push(l.trim());
  }
  return opts;
}

/**
 * @param {{name: string, section: number, help: string, version: string, date: string}} o
 * @returns {string} the page, in roff (man macros)
 */
export function manPage({ name, section, help, version, date }) {
  const meta = META[name];
  if (!meta) throw new Error(`no man page metadata for ${name}`);
  const lines = help.replace(/\n+$/, '').split('\n');
  const pars = paragraphs(lines);
  const usage = pars.shift();
  if (!usage || !/^Usage: /.test(usage[0])) throw new Error(`${name}: --help does not start with Usage:`);
  // More synopsis lines after a blank one ("       NAME -h | --help | --version")
  while (pars[0]?.every((l) => /^\s{2,}\S/.test(l)) && pars[0][0].trim().startsWith(`${name} `)) usage.push('', ...pars.shift());

  const desc = [];
  const opts = [];
  const exit = [];
  for (const p of pars) {
    if (p.every((l) => isOptionLine(l) || /^ {6,}\S/.test(l)) && isOptionLine(p[0])) opts.push(...options(p));
    else if (/^Exit codes:/.test(p[0])) exit.push(p.join(' ').replace(/^Exit codes:\s*/, ''));
    else desc.push(p);
  }

  const out = [];
  out.push(`.\\" Generated by scripts/deb/man.mjs from \`${name} --help\`; do not edit.`);
  out.push(`.TH ${name.toUpperCase().replace(/-/g, '\\-')} ${section} "${date}" "postfix\\-stats ${version}" "System Administration"`);
  out.push('.SH NAME', `${esc(name)} \\- ${esc(meta.summary)}`);
  out.push('.SH SYNOPSIS', '.nf');
  const indent = 'Usage: '.length;
  for (const l of usage) out.push(esc(l.startsWith('Usage: ') ? l.slice(indent) : l.slice(Math.min(indent, /^ */.exec(l)[0].length))));
  out.push('.fi');
  out.push('.SH DESCRIPTION');
  desc.forEach((p, i) => {
    if (i > 0) out.push('.PP');
    // An indented paragraph (an example, a list) keeps its lines.
    if (p.some((l) => /^\s/.test(l))) out.push('.nf', ...p.map(esc), '.fi');
    else out.push(esc(p.join(' ')));
  });
  if (opts.length) {
    out.push('.SH OPTIONS');
    for (const o of opts) out.push('.TP', term(o.term), esc(o.text.join(' ').trim()));
  }
  if (exit.length) {
    out.push('.SH EXIT STATUS');
    // "0 ok, 64 bad usage, ..." -> one tagged paragraph per code
    const text = exit.join(' ');
    const parts = text.split(/,\s+(?=\d+\s)|^(?=\d+\s)/).filter(Boolean);
    if (parts.length > 1 && parts.every((p) => /^\d+\s/.test(p))) {
      for (const p of parts) {
        const m = /^(\d+)\s+(.*)$/s.exec(p.trim());
        out.push('.TP', `.B ${m[1]}`, esc(m[2].replace(/\.$/, '')));
      }
    } else out.push(esc(text));
  }
  out.push('.SH FILES');
  for (const [f, d] of meta.files) out.push('.TP', `.I ${esc(f)}`, esc(d));
  out.push('.SH SEE ALSO');
  out.push(meta.seeAlso.map((s) => {
    const m = /^(.*)\((\d)\)$/.exec(s);
    return `.BR ${esc(m[1])} (${m[2]})`;
  }).join(',\n'));
  out.push('.PP', `/usr/share/doc/postfix\\-stats/README.Debian`);
  return out.join('\n') + '\n';
}
