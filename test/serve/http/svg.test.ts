import { describe, it, expect } from 'vitest';
import { numbersTable, renderChart } from '../../../src/serve/http/svg.js';

const M = 60_000;
const t0 = Date.parse('2026-11-29T16:00:00Z');
const pts = (vs: number[]) => vs.map((v, i) => ({ t: t0 + i * M, v }));

/** Each line's name and values as the svg carries them. */
function lines(svg: string): { name: string; values: number[] }[] {
  return [...svg.matchAll(/<path class="line s\d" data-series="([^"]*)" data-values="([^"]*)"/g)].map((m) => ({
    name: m[1]!, values: m[2] === '' ? [] : m[2]!.split(' ').map(Number),
  }));
}

describe('svg chart', () => {
  it('one <path> per series, each point\'s value recoverable from data-values, the first time from data-start', () => {
    const svg = renderChart({ title: 'mail', step: 'minute', series: [{ name: 'received', points: pts([0, 3, 0, 7]) }, { name: 'sent', points: pts([1, 1, 1, 2]) }] }, 'n');
    expect(lines(svg)).toEqual([{ name: 'received', values: [0, 3, 0, 7] }, { name: 'sent', values: [1, 1, 1, 2] }]);
    expect(svg).toContain(`data-start="${t0}"`);
    expect(svg).toContain('data-step="minute"');
  });

  it('is an image to assistive technology, labelled with the title and totals; its numbers are a table of the buckets that counted', () => {
    const series = [{ name: 'received', points: pts([0, 3, 0, 7]) }];
    const svg = renderChart({ title: 'mail', step: 'minute', series }, 'n');
    expect(svg).toMatch(/<svg [^>]*role="img"[^>]*aria-label="mail: received 10"/);
    // the buckets that counted something, by local time, with the rest said to be 0
    const table = numbersTable('minute', 'UTC', series);
    expect(table).toMatch(/^<table/);
    expect(table).toContain('<caption>2 of 4 minutes counted something; the others are 0</caption>');
    expect(table).toContain('<th scope="row">2026-11-29 16:01</th><td>3</td>');
    expect(table).toContain('<th scope="row">2026-11-29 16:03</th><td>7</td>');
    expect(table).not.toContain('16:02</th>');
  });

  it('links to the page\'s table of the step instead of repeating the numbers', () => {
    const svg = renderChart({ title: 'mail', step: 'minute', series: [{ name: 'received', points: pts([0, 3]) }] }, 'numbers-minute');
    expect(svg).toContain('<a href="#numbers-minute">Numbers</a>');
    expect(svg).not.toContain('<table');
  });

  it('the y axis is labelled with nice ticks up to the rounded top; the highest point touches the top', () => {
    const svg = renderChart({ title: 't', step: 'minute', series: [{ name: 'a', points: pts([0, 8]) }] }, 'n');
    const labels = [...svg.matchAll(/text-anchor="end">(\d+)</g)].map((m) => Number(m[1]));
    expect(labels).toEqual([0, 2, 4, 6, 8]);
    const d = /data-values="0 8" d="([^"]*)"/.exec(svg)![1]!;
    expect(d).toMatch(/^M44 176L\S+ 10$/);
  });

  it('a flat stretch is drawn as its two ends: 2880 quiet minutes are not 2880 path points', () => {
    const vs = new Array<number>(2880).fill(0);
    vs[1000] = 5;
    const svg = renderChart({ title: 't', step: 'minute', series: [{ name: 'a', points: pts(vs) }] }, 'n');
    const d = /d="(M[^"]*)"/.exec(svg.slice(svg.indexOf('class="line')))![1]!;
    expect(d.split(/[ML]/).filter(Boolean)).toHaveLength(5);
    expect(lines(svg)[0]!.values).toEqual(vs);
  });

  it('escapes a hostile title, series name and zone', () => {
    const evil = '<script>alert("x")</script>&';
    const svg = renderChart({ title: evil, step: 'hour', series: [{ name: evil, points: pts([1]) }] }, 'n');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(svg).not.toContain('"x"');
  });

  it('no points: an empty chart with an axis, a table saying nothing was counted', () => {
    const series = [{ name: 'a', points: [] }];
    const svg = renderChart({ title: 't', step: 'day', series }, 'n');
    expect(lines(svg)).toEqual([{ name: 'a', values: [] }]);
    expect(svg).not.toContain('NaN');
    expect(numbersTable('day', 'UTC', series)).toContain('nothing counted in these 0 days');
  });

  it('day buckets are labelled by the local day of the zone given', () => {
    // 2026-11-28 in Asia/Tokyo starts at 15:00 UTC the day before
    const t = Date.parse('2026-11-27T15:00:00Z');
    const table = numbersTable('day', 'Asia/Tokyo', [{ name: 'a', points: [{ t, v: 4 }] }]);
    expect(table).toContain('>2026-11-28</th><td>4</td>');
    expect(table).toContain('<th scope="col">day (Asia/Tokyo)</th>');
  });

  it('no script, no URL of any kind: its one link is to the numbers on the same page', () => {
    const svg = renderChart({ title: 't', step: 'minute', series: [{ name: 'a', points: pts([1, 2, 3]) }] }, 'numbers-minute');
    const rest = svg.replace('<a href="#numbers-minute">', '');
    expect(rest).not.toMatch(/<script|href=|src=|url\(|https?:|xlink/i);
    expect(numbersTable('minute', 'UTC', [{ name: 'a', points: pts([1, 2, 3]) }])).not.toMatch(/<script|href=|src=|url\(|https?:|xlink/i);
  });
});
