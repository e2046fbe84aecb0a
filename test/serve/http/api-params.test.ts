// /api/history's parameters and /api/counters's shape, and --http's grammar: what is accepted,
// what is refused with a reason.
import { describe, expect, it } from 'vitest';
import { countersAnswer, historyAnswer, MAX_RANGE_MS, parseHistoryQuery } from '../../../src/serve/http/api.js';
import { parseHttpAddress } from '../../../src/serve/http/address.js';
import { parseDaemonArgs } from '../../../src/config/daemon-options.js';
import { DayClock } from '../../../src/history/clock.js';
import { MemoryKv } from '../../../src/history/kv.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const q = (s: string) => parseHistoryQuery(new URLSearchParams(s), NOW);
const err = (s: string) => {
  const r = q(s);
  return r.ok ? 'accepted' : r.error;
};

describe('/api/history parameters', () => {
  it('accepts key or kind, a step, and ms or RFC 3339 times; defaults to a recent range', () => {
    expect(q('key=sent:smtp&step=minute')).toEqual({ ok: true, query: { selector: { key: 'sent:smtp' }, step: 'minute', from: NOW - 3_600_000, to: NOW } });
    expect(q('kind=sent&step=day&from=2026-01-01T00:00:00Z&to=1790000000000')).toMatchObject({ ok: true, query: { from: Date.UTC(2026, 0, 1), to: 1_790_000_000_000 } });
    expect(q('key=postfix-out/sent:smtp@MX1&step=hour')).toMatchObject({ ok: true, query: { selector: { key: 'postfix-out/sent:smtp@mx1' } } });
  });

  it('refuses unknown, repeated, missing and malformed parameters', () => {
    expect(err('key=sent:smtp')).toMatch(/step/);
    expect(err('step=hour')).toMatch(/one of key/);
    expect(err('key=sent:smtp&kind=sent&step=hour')).toMatch(/one of key/);
    expect(err('key=sent:smtp&step=hour&x=1')).toMatch(/unknown parameter/);
    expect(err('key=sent:smtp&step=hour&step=day')).toMatch(/twice/);
    expect(err('key=../../etc&step=hour')).toMatch(/not a counter key/);
    expect(err('kind=SENT&step=hour')).toMatch(/not a key kind/);
    expect(err('kind=sent&step=week')).toMatch(/step/);
    expect(err('kind=sent&step=hour&from=yesterday')).toMatch(/from must be/);
    expect(err('kind=sent&step=hour&to=1e12')).toMatch(/to must be/);
    expect(err('kind=sent&step=hour&from=2000&to=1000')).toMatch(/before/);
  });

  it('refuses a time no calendar has (Feb 30, Apr 31, hour 24, minute 60), never rolled over into another day', () => {
    for (const t of ['2026-02-30T00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00Z', '2026-11-30T24:00:00Z', '2026-11-30T10:60Z', '2026-13-01T00:00Z', '2026-11-30T10:00+24:00']) {
      expect([t, err(`kind=sent&step=hour&from=${encodeURIComponent(t)}&to=1790000000000`)]).toEqual([t, expect.stringMatching(/from must be/)]);
    }
    // leap day, offsets either way, fractions: the instant written
    expect(q('kind=sent&step=day&from=2028-02-29T23:30:00.5-02:00&to=1900000000000')).toMatchObject({ ok: true, query: { from: Date.UTC(2028, 2, 1, 1, 30, 0, 500) } });
    expect(q('kind=sent&step=day&from=2026-12-01T00:30%2B01:00&to=1900000000000')).toMatchObject({ ok: true, query: { from: Date.UTC(2026, 10, 30, 23, 30) } });
  });

  it('caps the range: 48 h of minutes, 400 days of hours, 10 years of days', () => {
    for (const [step, max] of Object.entries(MAX_RANGE_MS)) {
      expect(err(`kind=sent&step=${step}&from=0&to=${max}`)).toBe('accepted');
      expect(err(`kind=sent&step=${step}&from=0&to=${max + 1}`)).toMatch(/at most/);
    }
    expect(MAX_RANGE_MS).toEqual({ minute: 48 * 3_600_000, hour: 400 * 86_400_000, day: 3653 * 86_400_000 });
  });

  it('answers points as [t, v] pairs, 400 on a bad query', () => {
    const read = <T>(f: (kv: MemoryKv, c: DayClock) => T) => f(new MemoryKv(), new DayClock('UTC'));
    const ok = historyAnswer({ query: new URLSearchParams('kind=sent&step=hour&from=0&to=7200000'), accept: '', now: NOW }, read);
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { kind: 'sent', step: 'hour', from: 0, to: 7_200_000, points: [[0, 0], [3_600_000, 0]] }]);
    expect(historyAnswer({ query: new URLSearchParams('kind=sent'), accept: '', now: NOW }, read).status).toBe(400);
  });
});

describe('/api/counters', () => {
  it('seq, time, and values as strings, exact beyond 2^53', () => {
    const a = countersAnswer({ seq: 3, time: 5, rows: [{ key: 'sent:smtp', index: 1, value: (1n << 64n) - 1n }] });
    expect(JSON.parse(a.body)).toEqual({ seq: 3, time: 5, counters: { 'sent:smtp': '18446744073709551615' } });
  });
});

describe('--http', () => {
  it('HOST:PORT, [v6]:PORT, unix:/path; nothing else', () => {
    expect(parseHttpAddress('127.0.0.1:9156')).toEqual({ ok: true, address: { kind: 'tcp', host: '127.0.0.1', port: 9156 } });
    expect(parseHttpAddress('[::1]:0')).toEqual({ ok: true, address: { kind: 'tcp', host: '::1', port: 0 } });
    expect(parseHttpAddress('localhost:80')).toEqual({ ok: true, address: { kind: 'tcp', host: 'localhost', port: 80 } });
    expect(parseHttpAddress('unix:/run/pfs/http.sock')).toEqual({ ok: true, address: { kind: 'unix', path: '/run/pfs/http.sock' } });
    for (const bad of ['9156', ':9156', '127.0.0.1', '127.0.0.1:65536', 'unix:rel/path', `unix:/${'a'.repeat(120)}`, 'http://127.0.0.1:9156', '']) {
      expect([bad, parseHttpAddress(bad).ok]).toEqual([bad, false]);
    }
  });

  it('is off by default, parsed when given, a usage error when malformed', () => {
    const base = ['--log', '/var/log/mail.log'];
    const off = parseDaemonArgs(base);
    expect(off.ok && off.options.http).toBe(undefined);
    const on = parseDaemonArgs([...base, '--http', '127.0.0.1:9156']);
    expect(on.ok && on.options.http).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9156 });
    const bad = parseDaemonArgs([...base, '--http', '9156']);
    expect(!bad.ok && bad.info === 'error' && bad.error).toMatch(/--http "9156": expected HOST:PORT/);
  });
});
