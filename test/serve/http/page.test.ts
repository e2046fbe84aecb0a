import { describe, it, expect } from 'vitest';
import { renderStatusPage, type PageInput } from '../../../src/serve/http/page.js';

const EVIL = '<script>alert(1)</script>';
const t0 = Date.parse('2026-11-29T16:00:00Z');

function input(over: Partial<PageInput> = {}): PageInput {
  return {
    rows: [{ key: 'recv:smtp', value: 12n }, { key: 'sent:smtp', value: 18_446_744_073_709_551_615n }],
    seq: 42,
    time: Date.parse('2026-11-29T16:28:15.5Z'),
    host: 'mx1',
    graphs: [
      { title: 'received, per minute', step: 'minute', series: [{ name: 'received', points: [{ t: t0, v: 1 }, { t: t0 + 60_000, v: 2 }] }] },
      { title: 'sent, per minute', step: 'minute', series: [{ name: 'sent', points: [{ t: t0, v: 3 }] }] },
      { title: 'received, per day', step: 'day', series: [{ name: 'received', points: [{ t: t0, v: 3 }] }] },
    ],
    ...over,
  };
}

describe('status page', () => {
  it('one HTML5 document: doctype, charset, viewport for phones, refresh every 60 s, light and dark', () => {
    const html = renderStatusPage(input());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta http-equiv="refresh" content="60">');
    expect(html).toContain('<title>Postfix statistics: mx1</title>');
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)/);
    expect(html).toContain('Commit 42, <time datetime="2026-11-29T16:28:15.500Z">2026-11-29 16:28:15 UTC</time>');
  });

  it('the counters as a table, one row per counter, values as exact as a bigint', () => {
    const html = renderStatusPage(input());
    const body = /<table class="counters">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    expect(body.match(/<tr>/g)).toHaveLength(2);
    expect(body).toContain('<td>sent:smtp</td><td>18446744073709551615</td>');
  });

  it('escapes a hostile counter key and host name: they come from log lines', () => {
    const html = renderStatusPage(input({ host: `"><img src=x onerror=alert(1)>`, rows: [{ key: EVIL, value: 1n }, { key: `a&b'"`, value: 2n }] }));
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('<td>a&amp;b&#39;&quot;</td>');
    expect(html).toContain('<title>Postfix statistics: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</title>');
  });

  it('graphs under one heading per step, in the order given; a kind has the same colour in every graph', () => {
    const html = renderStatusPage(input());
    expect([...html.matchAll(/<h2>(Per \w+)<\/h2>/g)].map((m) => m[1])).toEqual(['Per minute', 'Per day']);
    expect([...html.matchAll(/<svg /g)]).toHaveLength(3);
    expect([...html.matchAll(/class="line (s\d)" data-series="(\w+)"/g)].map((m) => `${m[2]}:${m[1]}`)).toEqual(['received:s0', 'sent:s1', 'received:s0']);
  });

  it('one table of numbers per step, with a column per graph\'s series; each graph links to its step\'s', () => {
    const html = renderStatusPage(input());
    expect([...html.matchAll(/<details id="(numbers-\w+)">/g)].map((m) => m[1])).toEqual(['numbers-minute', 'numbers-day']);
    expect([...html.matchAll(/<a href="#(numbers-\w+)">Numbers<\/a>/g)].map((m) => m[1])).toEqual(['numbers-minute', 'numbers-minute', 'numbers-day']);
    const minute = /<details id="numbers-minute">[\s\S]*?<\/details>/.exec(html)![0];
    expect(minute).toContain('<th scope="col">received</th><th scope="col">sent</th>');
    expect(minute).toContain('<th scope="row">2026-11-29 16:00</th><td>1</td><td>3</td>');
    expect(minute).toContain('<th scope="row">2026-11-29 16:01</th><td>2</td><td>0</td>');
  });

  it('no JavaScript and nothing loaded from elsewhere: no script, no event handler, no http(s) URL', () => {
    const html = renderStatusPage(input({ rows: [{ key: EVIL, value: 1n }] }));
    expect(html).not.toMatch(/<script|javascript:|\son\w+=|https?:|url\(/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.every((r) => r!.startsWith('#') || r === 'data:,')).toBe(true);
  });

  it('no graphs: says so instead of drawing empty sections', () => {
    const html = renderStatusPage(input({ graphs: [] }));
    expect(html).toContain('No history to draw.');
    expect(html).not.toContain('<svg');
  });

  it('every element that is opened is closed (a cheap well-formedness check of the generated markup)', () => {
    const html = renderStatusPage(input({ rows: [{ key: EVIL, value: 1n }] }));
    const VOID = new Set(['meta', 'link', 'br', 'img', 'input', 'hr']);
    const stack: string[] = [];
    for (const m of html.replace(/<style>[\s\S]*?<\/style>/, '').matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
      const [, close, name, self] = m;
      if (name === undefined || VOID.has(name) || self) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });
});
