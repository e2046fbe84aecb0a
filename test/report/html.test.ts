import { describe, it, expect } from 'vitest';
import type { ReportContext } from '../../src/report/context.js';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { DEFAULT_LAYOUT, type Layout } from '../../src/report/pflogsumm-options.js';
import { renderText } from '../../src/report/text.js';
import { row, summary } from './summary-fixture.js';

const ctx: ReportContext = {
  label: '2026-11-29', source: { kind: 'store', db: '/var/lib/postfix-stats' }, hostLimit: -1, userLimit: -1, filterRelays: [], filterServices: [],
};

/** A Summary whose log-made text is hostile in every table a renderer prints. */
function hostile() {
  const s = summary();
  const evil = '<script>alert("x")</script><img src=http://evil.test/p.png>&';
  return {
    ...s,
    tables: {
      ...s.tables,
      rejects: [row(`Recipient address rejected: ${evil}`, 3, { group: `RCPT<b onmouseover='x'>` })],
      senders: [row(`"><a href="http://evil.test/">@ok.test`, 2)],
      recipientDomains: [row(evil, 1)],
      master: [row(evil, 1)],
    },
  };
}

describe('html report', () => {
  it('escapes log text: a <script> in a reject reason, a group, an address, a domain', () => {
    const html = renderHtml(hostile(), ctx);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a /i);
    expect(html).not.toMatch(/<b /i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('RCPT&lt;b onmouseover=&#39;x&#39;&gt; (total: 3)');
  });

  it('escapeHtml turns each of & < > " \' into an entity, & first', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('loads nothing: no src=, no link to http, no script, no <style>, no <link>', () => {
    const html = renderHtml(hostile(), ctx);
    // Tag names and attributes only (what a mail client acts on), not escaped text.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    for (const t of tags) {
      expect(t).not.toMatch(/\bsrc=|\bhref=|^<(script|style|link|img|iframe|object)/i);
    }
    expect(html.startsWith('<!DOCTYPE html>\n<html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('styles are inline: every table cell carries its own style', () => {
    const html = renderHtml(summary(), ctx);
    const cells = html.match(/<t[dh][ >]/g) ?? [];
    const styled = html.match(/<t[dh] (?:colspan="\d+" )?style="/g) ?? [];
    expect(cells.length).toBeGreaterThan(50);
    expect(styled.length).toBe(cells.length);
  });

  it('has the text report\'s sections, in the same order, also as pflogsumm\'s layout flags change them', () => {
    const s = summary({ tables: { ...summary().tables, panics: [] } });
    const layouts: Layout[] = [
      DEFAULT_LAYOUT,
      { detail: { deferral: 1, bounce: 0, reject: 2, smtp: -1, warning: 0 }, quiet: true, problemsFirst: true, isoDates: true },
    ];
    for (const layout of layouts) {
      const c = { ...ctx, layout };
      const titles = renderText(s, c).split('\n').filter((l, i, a) => (/^-+$/.test(a[i + 1] ?? '') && l !== '') || /: none$/.test(l)).map((l) => l.trimEnd().replace(/: none$/, ''));
      const html = renderHtml(s, c);
      const h2 = [...html.matchAll(/<h2 [^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(h2).toEqual(titles);
    }
    expect(renderHtml(s, { ...ctx, layout: layouts[1]! })).toContain('smtp (top 1) (total: 76)');
  });

  it('prints the same bounds as the text: >= for a capped count, exact numbers without', () => {
    const html = renderHtml(summary(), ctx);
    expect(html).toMatch(/>&gt;=24<\/td><td [^>]*>recipients</);
    expect(html).toMatch(/>17<\/td><td [^>]*>rejected \(4%\)</);
  });

  it('keeps lines short for mail (the longest line is one table row)', () => {
    const lines = renderHtml(summary(), ctx).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(998);
  });
});
