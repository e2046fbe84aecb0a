// The status page: one HTML document with the graphs and the counters, for a browser or a phone.
// No script and nothing loaded from elsewhere (the graphs are inline SVG); it reloads itself every
// minute. Keys and host names come from log lines, so every piece of text is escaped.
import type { Step } from '../../history/series.js';
import { escapeHtml as esc } from '../../report/html.js';
import { CHART_CSS, numbersTable, renderChart, type Chart } from './svg.js';

export interface PageInput {
  readonly rows: readonly { readonly key: string; readonly value: bigint }[];
  /** The commit the counters show, and when it was made (ms since the epoch). */
  readonly seq: number;
  readonly time: number;
  readonly host: string;
  readonly graphs: readonly Graph[];
}

/** A graph of the page: svg.ts's chart, before the page gives each kind its colour. */
export type Graph = Chart;

export const REFRESH_SECONDS = 60;

const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1a1a1a;--muted:#555d66;--rule:#d9dde1;--head:#f2f4f6}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e6e8eb;--muted:#a3acb5;--rule:#39404a;--head:#20252b}}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;padding:12px;max-width:1400px;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:1.3em;margin:0}
h2{font-size:1.1em;margin:1.2em 0 .4em;border-bottom:1px solid var(--rule)}
.meta,caption,.legend{color:var(--muted)}
.meta{margin:.2em 0}
nav a{color:inherit;margin-right:1em}
.graphs{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));gap:16px 24px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
caption{text-align:left;font-size:.9em}
th,td{padding:2px 8px;border-bottom:1px solid var(--rule);text-align:right}
thead th{background:var(--head)}
.counters th:first-child,.counters td:first-child{text-align:left}
.counters td:first-child{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.table{overflow-x:auto}
details{margin-top:.3em;max-height:24em;overflow:auto}
.numbers-link{margin:.2em 0;font-size:.9em}
.numbers-link a{color:inherit}
${CHART_CSS}`;

const HEADINGS: Record<Step, string> = { minute: 'Per minute', hour: 'Per hour', day: 'Per day' };

export function renderStatusPage(p: PageInput): string {
  const when = new Date(p.time).toISOString();
  const title = `Postfix statistics: ${p.host}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="refresh" content="${REFRESH_SECONDS}">`,
    '<meta name="color-scheme" content="light dark">',
    // an empty icon in the page: a browser would otherwise ask for /favicon.ico on every load
    '<link rel="icon" href="data:,">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">Commit ${p.seq}, <time datetime="${when}">${when.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>. This page reloads every minute.</p>`,
    '<nav><a href="#graphs">Graphs</a><a href="#counters">Counters</a></nav>',
    '</header>',
    '<main>',
    `<section id="graphs" aria-label="Graphs">${graphSections(p.graphs)}</section>`,
    counters(p.rows),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Graphs under a heading per step, in the order given, then one table of that step's numbers for
 * all of them (each graph links to it); a kind has the same colour in every graph.
 */
function graphSections(graphs: readonly Graph[]): string {
  const names = [...new Set(graphs.flatMap((g) => g.series.map((s) => s.name)))];
  const tone = (g: Graph): Graph => ({ ...g, series: g.series.map((s) => ({ ...s, tone: names.indexOf(s.name) })) });
  const out: string[] = [];
  for (const group of runs(graphs)) {
    const step = group[0]!.step;
    const tz = group[0]!.tz ?? 'UTC';
    const id = `numbers-${step}`;
    out.push(`<h2>${HEADINGS[step]}</h2>`, '<div class="graphs">', ...group.map((g) => renderChart(tone(g), id)), '</div>');
    out.push(`<details id="${id}"><summary>Numbers ${HEADINGS[step].toLowerCase()}</summary>${numbersTable(step, tz, group.flatMap((g) => g.series))}</details>`);
  }
  if (graphs.length === 0) out.push('<h2>Graphs</h2>', '<p class="meta">No history to draw.</p>');
  return out.join('\n');
}

/** The graphs cut where the step changes. */
function runs(graphs: readonly Graph[]): Graph[][] {
  const out: Graph[][] = [];
  for (const g of graphs) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0]!.step === g.step) last.push(g);
    else out.push([g]);
  }
  return out;
}

function counters(rows: PageInput['rows']): string {
  const body = rows.map((r) => `<tr><td>${esc(r.key)}</td><td>${r.value}</td></tr>`).join('\n');
  return [
    '<section id="counters" aria-labelledby="counters-h">',
    '<h2 id="counters-h">Counters</h2>',
    '<div class="table"><table class="counters">',
    `<caption>${rows.length} counters</caption>`,
    '<thead><tr><th scope="col">key</th><th scope="col">value</th></tr></thead>',
    `<tbody>\n${body}\n</tbody>`,
    '</table></div>',
    '</section>',
  ].join('\n');
}
