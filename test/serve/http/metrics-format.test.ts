// /metrics as text: every key kind lands in its family with the right labels, values are exact
// u64s, label values are escaped, and OpenMetrics is what a scraper asking for it gets.
import { describe, expect, it } from 'vitest';
import { escapeLabel, negotiate, renderMetrics } from '../../../src/serve/http/metrics.js';
import type { Snapshot } from '../../../src/snapshot/format.js';
import { byKey, samples } from './helpers.js';

const snap = (keys: Record<string, bigint>): Snapshot => ({
  seq: 42,
  time: 1_700_000_000_123,
  rows: Object.entries(keys).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value], i) => ({ key, index: i + 1, value })),
});

const ALL = {
  'recv:smtp': 1n, 'recv:local': 2n, 'sent:smtp': 3n, 'sent:legal': 4n, 'deferred:smtp': 5n, 'bounced:lmtp': 6n,
  'smtp:4xx': 7n, 'lmtp:5xx': 8n, 'relay:4xx': 9n, 'smtpd:5xx': 10n, 'postscreen:4xx': 11n, 'cleanup:5xx': 12n,
  held: 13n, discarded: 14n, expired: 15n, 'expired:force': 16n, 'self:lines': 17n, 'self:gap_bytes': 18n,
  'sent:smtp@mx1.example': 19n, 'postfix-out/sent:smtp': 20n, 'postfix-out/held@mx1': 21n, 'weird:thing': 22n, 'self:odd.name': 23n,
  'recv': 24n,
};

describe('families', () => {
  it('every key is one series of its family, and the series map back to exactly the keys', () => {
    const text = renderMetrics(snap(ALL), 'prometheus');
    const got = byKey(text);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(Object.entries(ALL).map(([k, v]) => [k, String(v)])));
  });

  it('labels: transport/service/component/class; host and instance_name only where the key has them', () => {
    const s = samples(renderMetrics(snap(ALL), 'prometheus'));
    const find = (name: string, value: string) => s.find((x) => x.name === name && x.value === value)?.labels;
    expect(find('postfix_stats_received_total', '2')).toEqual({ service: 'local' });
    expect(find('postfix_stats_remote_replies_total', '9')).toEqual({ transport: 'relay', class: '4xx' });
    expect(find('postfix_stats_rejects_total', '11')).toEqual({ component: 'postscreen', class: '4xx' });
    expect(find('postfix_stats_sent_total', '19')).toEqual({ transport: 'smtp', host: 'mx1.example' });
    expect(find('postfix_stats_sent_total', '20')).toEqual({ transport: 'smtp', instance_name: 'postfix-out' });
    expect(find('postfix_stats_held_total', '21')).toEqual({ host: 'mx1', instance_name: 'postfix-out' });
    expect(find('postfix_stats_expired_forced_total', '16')).toEqual({});
    expect(find('postfix_stats_self_gap_bytes_total', '18')).toEqual({});
    expect(find('postfix_stats_events_total', '22')).toEqual({ kind: 'weird', label: 'thing' });
    expect(find('postfix_stats_events_total', '23')).toEqual({ kind: 'self', label: 'odd.name' });
  });

  it('every family has HELP and TYPE once, before its samples, which are contiguous', () => {
    const text = renderMetrics(snap(ALL), 'prometheus');
    const seen = new Set<string>();
    let current = '';
    for (const line of text.trimEnd().split('\n')) {
      const t = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (t) {
        expect(seen.has(t[1]!)).toBe(false);
        seen.add(t[1]!), (current = t[1]!);
      } else if (!line.startsWith('# HELP')) expect(line.split(/[{ ]/)[0]).toBe(current);
    }
    expect(seen.has('postfix_stats_sent_total')).toBe(true);
    expect(text).toContain('postfix_stats_snapshot_sequence 42\n');
    expect(text).toContain('postfix_stats_snapshot_timestamp_seconds 1700000000.123\n');
  });

  it('u64 values are printed exactly, 2^64-1 included', () => {
    const text = renderMetrics(snap({ 'sent:smtp': (1n << 64n) - 1n, 'recv:smtp': (1n << 53n) + 1n }), 'prometheus');
    expect(text).toContain('postfix_stats_sent_total{transport="smtp"} 18446744073709551615\n');
    expect(text).toContain('postfix_stats_received_total{service="smtp"} 9007199254740993\n');
  });

  it('a key that does not parse is not exported', () => {
    const text = renderMetrics(snap({ 'Not A Key': 1n, 'sent:smtp': 2n }), 'prometheus');
    expect(samples(text).map((s) => s.value)).toEqual(['2', '42', '1700000000.123']);
  });
});

describe('format', () => {
  it('label values escape backslash, double quote and newline', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('OpenMetrics: family names without _total, samples with it, # EOF last', () => {
    const text = renderMetrics(snap(ALL), 'openmetrics');
    expect(text).toMatch(/# TYPE postfix_stats_sent counter\n/);
    expect(text).toMatch(/\npostfix_stats_sent_total\{transport="smtp"\} 3\n/);
    expect(text).toMatch(/# TYPE postfix_stats_snapshot_sequence gauge\npostfix_stats_snapshot_sequence 42\n/);
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(text.match(/# EOF/g)).toHaveLength(1);
    const prom = renderMetrics(snap(ALL), 'prometheus');
    expect(prom).toMatch(/# TYPE postfix_stats_sent_total counter\n/);
    expect(prom).not.toContain('# EOF');
    expect(samples(text)).toEqual(samples(prom));
  });

  it('negotiation: OpenMetrics for Prometheus 2.x\'s Accept, the text format otherwise', () => {
    const prometheus2 = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    expect(negotiate(prometheus2)).toBe('openmetrics');
    expect(negotiate('application/openmetrics-text')).toBe('openmetrics');
    expect(negotiate('Application/OpenMetrics-Text; Version=1.0.0; q=0.9')).toBe('openmetrics');
    expect(negotiate('')).toBe('prometheus');
    expect(negotiate('*/*')).toBe('prometheus');
    expect(negotiate('text/plain;version=0.0.4')).toBe('prometheus');
    expect(negotiate('application/openmetrics-text;q=0')).toBe('prometheus');
    expect(negotiate('application/openmetrics-text;version=0.0.1')).toBe('prometheus');
  });

  it('negotiation follows the client\'s q-values: Prometheus told to prefer the classic format gets it', () => {
    // Prometheus with scrape_protocols: [PrometheusText0.0.4, OpenMetricsText1.0.0]
    expect(negotiate('text/plain;version=0.0.4;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.4')).toBe('prometheus');
    expect(negotiate('text/plain;q=1, application/openmetrics-text;q=0.1')).toBe('prometheus');
    expect(negotiate('text/*;q=0.9, application/openmetrics-text;q=0.5')).toBe('prometheus');
    expect(negotiate('application/openmetrics-text;q=0.5, */*;q=0.1')).toBe('openmetrics');
    expect(negotiate('application/openmetrics-text, text/plain')).toBe('openmetrics');
    expect(negotiate('application/openmetrics-text;q=2')).toBe('prometheus');
    // Prometheus 3 preferring its text format 1.0.0
    expect(negotiate('text/plain;version=1.0.0;escaping=allow-utf-8;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1')).toBe('prometheus');
  });
});
