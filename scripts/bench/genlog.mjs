// Builds a large, realistic Postfix log from the real-Postfix fixtures: whole copies of the fixture logs
// (cycling classic, rfc3339, maillog_file, so the mix of lines and timestamp forms stays the same), each
// copy with timestamps shifted past the previous one and every queue id rewritten (same length, same
// alphabet) so that ids are unique per copy. Every copy then counts exactly what expected.json says.
// With a time span (`o.startS`, `o.spanS`), the copies are spread evenly over it instead of following
// each other, and `o.rfc3339` writes every timestamp in RFC 3339 so that a log longer than a year
// names its years (history and reports over months of days).
//   node scripts/bench/genlog.mjs OUT LINES [SPAN_DAYS]   (or import { generate })
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = ['classic.log', 'rfc3339.log', 'maillog_file.log'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SHORT_ID = /^[0-9A-F]{6,16}$/;
const LONG_ID = /^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,24}$/;
const SHORT_ALPHA = '0123456789ABCDEF';
const LONG_ALPHA = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';
const CLASSIC = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(\.\d+)? /;
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) /;
/** First copy starts here (UTC); a 1-digit day exercises `Nov  2` / `Nov 02`. */
const BASE = Date.UTC(2026, 10, 2, 0, 0, 0) / 1000;

const pad2 = (n) => (n < 10 ? '0' : '') + n;

/** One fixture as templates: per line its time offset, its timestamp form and its text split at queue ids. */
function load(dir, name) {
  const lines = readFileSync(join(dir, name), 'latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const ids = new Set();
  for (const l of lines) {
    const m = /\]: ([0-9A-Za-z]+): /.exec(l);
    if (m && (SHORT_ID.test(m[1]) || LONG_ID.test(m[1]))) ids.add(m[1]);
  }
  const idList = [...ids];
  const index = new Map(idList.map((id, i) => [id, i]));
  const idRe = new RegExp(`\\b(${idList.map((s) => s.replace(/[^0-9A-Za-z]/g, '')).join('|')})\\b`, 'g');
  let first = null;
  const out = [];
  for (const l of lines) {
    let t, form, frac = '', zone = '', rest;
    let m = RFC3339.exec(l);
    if (m) {
      t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
      form = 'rfc3339';
      frac = m[7] ?? '';
      zone = m[8];
      rest = l.slice(m[0].length);
    } else if ((m = CLASSIC.exec(l))) {
      t = Date.UTC(2026, MONTHS.indexOf(m[1]), +m[2], +m[3], +m[4], +m[5]) / 1000;
      form = m[2].startsWith(' ') || name === 'classic.log' ? 'classic' : 'zero';
      frac = m[6] ?? '';
      rest = l.slice(m[0].length);
    } else {
      throw new Error(`${name}: no timestamp: ${l}`);
    }
    first ??= t;
    // split the rest of the line at queue ids: even slots text, odd slots id numbers
    const parts = [];
    let last = 0;
    for (const mm of rest.matchAll(idRe)) {
      parts.push(rest.slice(last, mm.index), index.get(mm[0]));
      last = mm.index + mm[0].length;
    }
    parts.push(rest.slice(last));
    out.push({ dt: t - first, form, frac, zone, parts });
  }
  return { name, lines: out, ids: idList, span: out[out.length - 1].dt + 1 };
}

function stamp(t, form, frac, zone) {
  const d = new Date(t * 1000);
  const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${frac}`;
  if (form === 'rfc3339') return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${hms}${zone}`;
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${form === 'classic' && day < 10 ? ' ' + day : pad2(day)} ${hms}`;
}

/** Id number `n` written in `orig`'s alphabet and length (unique per (copy, id) for any sane copy count). */
function rewriteId(orig, n) {
  const alpha = SHORT_ID.test(orig) ? SHORT_ALPHA : LONG_ALPHA;
  const chars = orig.split('');
  // keep the first character, encode n in the others from the end
  for (let i = chars.length - 1; i >= 1 && n > 0; i--) {
    chars[i] = alpha[n % alpha.length];
    n = Math.floor(n / alpha.length);
  }
  if (n > 0) throw new Error('too many copies for the queue id length');
  return chars.join('');
}

/**
 * Writes whole fixture copies to `out` until at least `minLines` lines. Returns the line and byte
 * counts and the counters the log must produce (expected.json summed over the copies).
 */
export function generate(fixtureDir, out, minLines, o = {}) {
  const fixtures = FIXTURES.map((f) => load(fixtureDir, f));
  const expectedAll = JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8'));
  let span = Math.max(...fixtures.map((f) => f.span)) + 5;
  const start = o.startS ?? BASE;
  if (o.spanS !== undefined) {
    let n = 0;
    for (let l = 0; l < minLines; n++) l += fixtures[n % fixtures.length].lines.length;
    // the last copy ends where the span does
    span = Math.max(span, Math.floor((o.spanS - span) / Math.max(1, n - 1)));
  }
  const maxIds = Math.max(...fixtures.map((f) => f.ids.length));
  const fd = openSync(out, 'w');
  const expected = {};
  let lines = 0, bytes = 0, copy = 0;
  let chunk = [];
  const flush = () => {
    const b = Buffer.from(chunk.join(''), 'latin1');
    writeSync(fd, b);
    bytes += b.length;
    chunk = [];
  };
  while (lines < minLines) {
    const f = fixtures[copy % fixtures.length];
    const base = start + copy * span;
    const ids = f.ids.map((id, i) => rewriteId(id, (copy + 1) * maxIds + i));
    let lastT = -1, lastStamp = '', lastKey = '';
    for (const l of f.lines) {
      const t = base + l.dt;
      const [form, zone] = o.rfc3339 && l.form !== 'rfc3339' ? ['rfc3339', '+00:00'] : [l.form, l.zone];
      const key = form + l.frac + zone;
      if (t !== lastT || key !== lastKey) (lastStamp = stamp(t, form, l.frac, zone)), (lastT = t), (lastKey = key);
      let s = lastStamp + ' ';
      const p = l.parts;
      for (let i = 0; i < p.length; i++) s += i & 1 ? ids[p[i]] : p[i];
      chunk.push(s + '\n');
    }
    lines += f.lines.length;
    for (const [k, v] of Object.entries(expectedAll[f.name])) expected[k] = (expected[k] ?? 0) + v;
    copy++;
    if (chunk.length > 50_000) flush();
  }
  flush();
  closeSync(fd);
  return { lines, bytes, copies: copy, expected, firstS: start, lastS: start + (copy - 1) * span + fixtures[(copy - 1) % fixtures.length].span };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, n, days] = process.argv.slice(2);
  // with SPAN_DAYS: RFC 3339 stamps, the span ending 10 minutes ago
  const o = days === undefined ? {} : { rfc3339: true, spanS: Number(days) * 86_400, startS: Math.floor(Date.now() / 1000) - 600 - Number(days) * 86_400 };
  const r = generate(new URL('../../fixtures/logs', import.meta.url).pathname, out, Number(n ?? 2_000_000), o);
  console.log(JSON.stringify({ lines: r.lines, bytes: r.bytes, copies: r.copies }));
}
