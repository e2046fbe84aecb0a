// The JSON API: /api/counters (the last commit, from memory) and /api/history (a series of one key or
// of a kind's total, read from the daemon's own store: the one route that reads LMDB, bounded in
// points). Counter values are strings: a u64 is exact in JSON only as text.
import { formatKey, isKind, parseKey } from '../../counters/key.js';
import { RETENTION } from '../../history/apply.js';
import type { DayClock } from '../../history/clock.js';
import type { Kv } from '../../history/kv.js';
import { DAY_MS, HOUR_MS } from '../../history/layout.js';
import { STEPS, series, type Selector, type Step } from '../../history/series.js';
import type { Snapshot } from '../../snapshot/format.js';
import { json, text, type Answer, type Request } from './route.js';


/** The longest range per step is what the history keeps: 2,880 minutes, 9,600 hours, 3,653 days. */
export const MAX_RANGE_MS: Record<Step, number> = { minute: RETENTION.minutesMs, hour: RETENTION.hoursMs, day: RETENTION.dayBuckets * DAY_MS };
/** Without `from`: the last hour of minutes, two days of hours, a month of days. */
const DEFAULT_RANGE_MS: Record<Step, number> = { minute: HOUR_MS, hour: 48 * HOUR_MS, day: 31 * DAY_MS };
const PARAMS = new Set(['key', 'kind', 'step', 'from', 'to']);
const MS = /^(0|[1-9]\d{0,14})$/;
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d{1,9})?)?(Z|([+-])(\d\d):(\d\d))$/;

export function countersAnswer(s: Snapshot): Answer {
  const counters: Record<string, string> = {};
  for (const r of s.rows) counters[r.key] = r.value.toString();
  return json({ seq: s.seq, time: s.time, counters });
}

export type ReadHistory = <T>(f: (kv: Kv, clock: DayClock) => T) => T;

export interface HistoryQuery {
  readonly selector: Selector;
  readonly step: Step;
  readonly from: number;
  readonly to: number;
}

export type ParsedHistoryQuery = { ok: true; query: HistoryQuery } | { ok: false; error: string };

/** Every parameter checked; anything unknown, repeated or malformed is refused, not guessed at. */
export function parseHistoryQuery(q: URLSearchParams, now: number): ParsedHistoryQuery {
  const bad = (error: string): ParsedHistoryQuery => ({ ok: false, error });
  const seen = new Set<string>();
  for (const name of q.keys()) {
    if (!PARAMS.has(name)) return bad(`unknown parameter ${JSON.stringify(name.slice(0, 40))}; known: key, kind, step, from, to`);
    if (seen.has(name)) return bad(`parameter ${name} given twice`);
    seen.add(name);
  }
  const key = q.get('key');
  const kind = q.get('kind');
  if ((key === null) === (kind === null)) return bad('give one of key=KEY (sent:smtp) or kind=KIND (sent)');
  let selector: Selector;
  if (key !== null) {
    const parsed = parseKey(key);
    const formatted = parsed === null ? null : formatKey(parsed);
    if (formatted === null) return bad(`not a counter key: ${JSON.stringify(key.slice(0, 80))}`);
    selector = { key: formatted };
  } else {
    if (!isKind(kind!)) return bad(`not a key kind: ${JSON.stringify(kind!.slice(0, 80))}`);
    selector = { kind: kind! };
  }
  const step = q.get('step');
  if (!(STEPS as readonly (string | null)[]).includes(step)) return bad('step must be minute, hour or day');
  const s = step as Step;
  const to = q.has('to') ? time(q.get('to')!) : now;
  if (to === null) return bad('to must be ms since the epoch or an RFC 3339 time');
  const from = q.has('from') ? time(q.get('from')!) : to - DEFAULT_RANGE_MS[s];
  if (from === null) return bad('from must be ms since the epoch or an RFC 3339 time');
  if (!(from < to)) return bad('from must be before to');
  if (to - from > MAX_RANGE_MS[s]) return bad(`a ${s} series spans at most ${MAX_RANGE_MS[s] / HOUR_MS} hours; use a larger step`);
  return { ok: true, query: { selector, step: s, from, to } };
}

function time(v: string): number | null {
  if (MS.test(v)) return Number(v);
  const m = RFC3339.exec(v);
  if (m === null) return null;
  const t = Date.parse(v);
  if (!Number.isFinite(t) || t < 0) return null;
  // Date.parse rolls impossible fields over (Feb 30 is Mar 2, 24:00 the next day): the time it
  // gives, seen at the offset written, must show the very fields written
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59) return null;
  const at = new Date(t + offsetMin * 60_000);
  const shown = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
  const written = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  return shown.every((n, i) => n === written[i]) ? t : null;
}

/** Points as [t, v] pairs, t the bucket's start in ms since the epoch. */
export function historyAnswer(req: Request, read: ReadHistory): Answer {
  const p = parseHistoryQuery(req.query, req.now);
  if (!p.ok) return text(400, p.error);
  const { selector, step, from, to } = p.query;
  const points = read((kv, clock) => series(kv, clock, selector, step, from, to));
  return json({ ...selector, step, from, to, points: points.map((pt) => [pt.t, pt.v]) });
}

