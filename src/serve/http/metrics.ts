// /metrics: one commit's counters in Prometheus's text format 0.0.4, or OpenMetrics 1.0.0 for a
// scraper that asks for it. Values are the snapshot's u64s printed exactly (Prometheus reads them as
// float64, exact up to 2^53); every series of one answer comes from the same commit.
import { parseKey } from '../../counters/key.js';
import type { Snapshot } from '../../snapshot/format.js';
import { seriesOf, type Family } from './families.js';

export type MetricsFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPE: Record<MetricsFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

const GAUGES: readonly Family[] = [
  { name: 'postfix_stats_snapshot_sequence', type: 'gauge', help: 'The commit these values are from; grows by one per commit.', rank: 30 },
  { name: 'postfix_stats_snapshot_timestamp_seconds', type: 'gauge', help: 'When that commit was made, in seconds since the epoch (commits happen only while lines arrive).', rank: 31 },
];

/**
 * OpenMetrics when the Accept header lists application/openmetrics-text (version 1.0.0 or none) with a
 * q above 0 and no lower than the classic format's (text/plain 0.0.4, else text/*, else *\/*), as
 * Prometheus 2.x sends it by default; otherwise the classic text format, which every scraper reads.
 * Prometheus configured to prefer the classic format (`scrape_protocols`) ranks it higher.
 */
export function negotiate(accept: string): MetricsFormat {
  // the q of each format, -1 where no range names it; the classic format by its most specific range
  let openMetrics = -1, textPlain = -1, textAny = -1, any = -1;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const p = new Map(params.map((s) => [s.slice(0, s.indexOf('=')).trim(), s.slice(s.indexOf('=') + 1).trim()] as const));
    const q = p.has('q') ? Number(p.get('q')) : 1;
    if (!(q >= 0 && q <= 1)) continue;
    const version = p.get('version');
    if (type === 'application/openmetrics-text' && (version === undefined || version === '1.0.0')) openMetrics = Math.max(openMetrics, q);
    // (text 1.0.0, Prometheus 3's, reads 0.0.4 as it is: names here are plain ASCII)
    else if (type === 'text/plain' && (version === undefined || version === '0.0.4' || version === '1.0.0')) textPlain = Math.max(textPlain, q);
    else if (type === 'text/*') textAny = Math.max(textAny, q);
    else if (type === '*/*') any = Math.max(any, q);
  }
  const classic = textPlain >= 0 ? textPlain : textAny >= 0 ? textAny : any;
  // a tie goes to OpenMetrics, which a client naming it asked for by name
  return openMetrics > 0 && openMetrics >= classic ? 'openmetrics' : 'prometheus';
}

/** Label values as both formats escape them: backslash, double quote, newline. */
export function escapeLabel(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text: 0.0.4 escapes backslash and newline; OpenMetrics also the double quote. */
function escapeHelp(v: string, f: MetricsFormat): string {
  return v.replace(f === 'openmetrics' ? /[\\"\n]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function renderMetrics(snap: Snapshot, format: MetricsFormat): string {
  const groups = new Map<Family, string[]>();
  const sample = (f: Family, labels: readonly (readonly [string, string])[], value: string) => {
    let lines = groups.get(f);
    if (lines === undefined) groups.set(f, (lines = []));
    const name = f.type === 'counter' ? `${f.name}_total` : f.name;
    const l = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
    lines.push(`${name}${l} ${value}\n`);
  };
  for (const row of snap.rows) {
    const key = parseKey(row.key);
    // the snapshot holds only keys the daemon formatted; one that does not parse is not exported
    if (key === null) continue;
    const s = seriesOf(key);
    sample(s.family, s.labels, row.value.toString());
  }
  sample(GAUGES[0]!, [], String(snap.seq));
  sample(GAUGES[1]!, [], (snap.time / 1000).toFixed(3));
  const families = [...groups.keys()].sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let out = '';
  for (const f of families) {
    // 0.0.4 names a counter's family with its _total; OpenMetrics without it
    const name = format === 'prometheus' && f.type === 'counter' ? `${f.name}_total` : f.name;
    out += `# HELP ${name} ${escapeHelp(f.help, format)}\n# TYPE ${name} ${f.type}\n`;
    for (const line of groups.get(f)!) out += line;
  }
  return format === 'openmetrics' ? `${out}# EOF\n` : out;
}
