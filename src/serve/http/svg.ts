// A line chart drawn on the server as inline SVG, so the status page needs no script and loads
// nothing else. Colours come from classes the page's <style> defines for light and dark (CHART_CSS);
// text and axes use currentColor. Each line carries its values (`data-values`, with the svg's
// `data-start`), and a table beside it gives every counted bucket as text.
import type { Point, Step } from '../../history/series.js';
import { escapeHtml as esc } from '../../report/html.js';
import { niceTicks, parts, timeTicks } from './ticks.js';

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly Point[];
  /** Which of the palette's colours (mod its size): the same kind keeps its colour from chart to chart. */
  readonly tone?: number;
}

export interface Chart {
  readonly title: string;
  readonly step: Step;
  readonly series: readonly ChartSeries[];
  /** The zone of the time labels (default UTC). */
  readonly tz?: string;
}

export const TONES = 6;

/** For the page's <style>: light colours, dark ones under prefers-color-scheme (contrast >= 3:1 on each background). */
export const CHART_CSS = `
.chart{margin:0;min-width:0}
.chart svg{display:block;width:100%;height:auto;overflow:visible;font-size:13px}
.chart .grid{stroke:currentColor;stroke-opacity:.15}
.chart .axis{fill:none;stroke:currentColor;stroke-opacity:.6}
.chart text{fill:currentColor}
.chart .line{fill:none;stroke-width:1.5;stroke-linejoin:round}
.legend{display:flex;flex-wrap:wrap;gap:.2em 1em;margin:.2em 0;padding:0;list-style:none;font-size:.9em}
.swatch{display:inline-block;width:.9em;height:.25em;margin-right:.3em;vertical-align:middle}
:root{--c0:#1f5fbf;--c1:#19803d;--c2:#b35c00;--c3:#c0262d;--c4:#7a3fb8;--c5:#5c6770}
@media (prefers-color-scheme:dark){:root{--c0:#7fb2ff;--c1:#6fd48f;--c2:#ffad5c;--c3:#ff7f84;--c4:#c49bff;--c5:#b7c2cc}}
${Array.from({ length: TONES }, (_, i) => `.s${i}{stroke:var(--c${i});background:var(--c${i})}`).join('\n')}
`;

const W = 480, H = 200;
const L = 44, R = 10, T = 10, B = 24;
const STEP_MS: Record<Step, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * A <figure>: the title, the svg, the legend with totals, and a link to `numbersId`, the table of
 * numbers the page holds for all charts of a step (numbersTable): one table per chart made a busy
 * host's page megabytes (2880 minutes per kind).
 */
export function renderChart(c: Chart, numbersId: string): string {
  const tz = c.tz ?? 'UTC';
  const times = [...new Set(c.series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const from = times[0] ?? 0;
  // the last bucket is drawn its whole width: a day of a year is 1/365 of the axis, not 0
  const to = times.length ? times[times.length - 1]! + STEP_MS[c.step] : 1;
  let max = 0;
  for (const s of c.series) for (const p of s.points) if (p.v > max) max = p.v;
  const y = niceTicks(max);
  const px = (t: number) => L + ((t - from) / (to - from)) * (W - L - R);
  const py = (v: number) => H - B - (v / y.top) * (H - T - B);
  const totals = c.series.map((s) => s.points.reduce((n, p) => n + p.v, 0));
  const label = `${c.title}: ${c.series.map((s, i) => `${s.name} ${totals[i]}`).join(', ')}`;

  const out: string[] = [`<figure class="chart">`, `<figcaption><strong>${esc(c.title)}</strong></figcaption>`];
  out.push(`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" data-start="${from}" data-step="${c.step}" data-tz="${esc(tz)}">`);
  out.push(`<title>${esc(label)}</title>`);
  for (const v of y.ticks) {
    const yy = r(py(v));
    out.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}"/><text x="${L - 4}" y="${yy}" dy=".35em" text-anchor="end">${v}</text>`);
  }
  for (const tick of timeTicks(from, to, tz)) {
    const xx = r(px(tick.t));
    out.push(`<line class="grid" x1="${xx}" x2="${xx}" y1="${T}" y2="${H - B}"/><text x="${xx}" y="${H - B + 16}" text-anchor="middle">${esc(tick.label)}</text>`);
  }
  out.push(`<path class="axis" d="M${L} ${T}V${H - B}H${W - R}"/>`);
  c.series.forEach((s, i) => {
    out.push(`<path class="line s${(s.tone ?? i) % TONES}" data-series="${esc(s.name)}" data-values="${s.points.map((p) => p.v).join(' ')}" d="${linePath(s.points, px, py)}"/>`);
  });
  out.push('</svg>');
  out.push('<ul class="legend">' + c.series.map((s, i) =>
    `<li><span class="swatch s${(s.tone ?? i) % TONES}"></span>${esc(s.name)}: ${totals[i]}</li>`).join('') + '</ul>');
  out.push(`<p class="numbers-link"><a href="#${esc(numbersId)}">Numbers</a></p>`, '</figure>');
  return out.join('\n');
}

const r = (n: number): number => Math.round(n * 10) / 10;

/** The points as one path; a point level with both neighbours adds nothing, and a quiet day is mostly that. */
function linePath(points: readonly Point[], px: (t: number) => number, py: (v: number) => number): string {
  const d: string[] = [];
  points.forEach((p, i) => {
    const prev = points[i - 1], next = points[i + 1];
    if (prev && next && prev.v === p.v && next.v === p.v) return;
    d.push(`${d.length ? 'L' : 'M'}${r(px(p.t))} ${r(py(p.v))}`);
  });
  return d.join('');
}

/** The text alternative: the buckets where any series counted something (the rest are 0, and said to be). */
export function numbersTable(step: Step, tz: string, series: readonly ChartSeries[]): string {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const byT = series.map((s) => new Map(s.points.map((p) => [p.t, p.v])));
  const rows = times.filter((t) => byT.some((m) => (m.get(t) ?? 0) !== 0));
  const when = stamp(step, tz);
  const head = `<tr><th scope="col">${step} (${esc(tz)})</th>${series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join('')}</tr>`;
  // a row per counted bucket, kept short: a busy host has one for every minute of 48 hours
  const body = rows.map((t) => `<tr><th scope="row">${esc(when(t))}</th>${byT.map((m) => `<td>${m.get(t) ?? 0}</td>`).join('')}</tr>`);
  const caption = rows.length ? `${rows.length} of ${times.length} ${step}s counted something; the others are 0` : `nothing counted in these ${times.length} ${step}s`;
  return `<table class="numbers"><caption>${esc(caption)}</caption><thead>${head}</thead><tbody>${body.join('\n')}</tbody></table>`;
}

function stamp(step: Step, tz: string): (t: number) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (t) => {
    const p = parts(fmt, t);
    const day = `${p.year}-${p.month}-${p.day}`;
    return step === 'day' ? day : `${day} ${p.hour}:${p.minute}`;
  };
}
