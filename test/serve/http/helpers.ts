// HTTP clients for the tests: plain node:http requests, raw sockets for what no client library
// sends, the daemon started with --http on a port the kernel picks, and the exposition parsed back.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Daemon, waitFor } from '../../helpers/daemon.js';

export interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function get(url: string, o: { method?: string; headers?: Record<string, string>; agent?: import('node:http').Agent | false } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers ?? {}, agent: o.agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `raw` as is and resolves with all the server wrote until it closed (or `ms` passed). */
export function raw(host: string, port: number, data: string, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host, () => s.write(data));
    let out = '';
    const timer = setTimeout(() => (s.destroy(), resolve(out)), ms);
    s.on('data', (d) => (out += d));
    s.on('close', () => (clearTimeout(timer), resolve(out)));
    s.on('error', reject);
  });
}

export function opened(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host, () => resolve(s));
    s.on('error', reject);
  });
}

export interface HttpDaemon {
  daemon: Daemon;
  base: string;
  host: string;
  port: number;
}

/** The daemon with --http on 127.0.0.1, port chosen by the kernel and read from its log. */
export async function startHttpDaemon(log: string, db: string, extra: string[] = []): Promise<HttpDaemon> {
  const daemon = new Daemon(log, db, ['--http', '127.0.0.1:0', ...extra]);
  let port = 0;
  await waitFor(() => {
    const m = /"http":"127\.0\.0\.1:(\d+)","msg":"http listening"/.exec(daemon.output);
    if (m) port = Number(m[1]);
    return m !== null;
  }, 'the daemon to listen on HTTP');
  return { daemon, base: `http://127.0.0.1:${port}`, host: '127.0.0.1', port };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: string;
}

/** The samples of a text exposition (both formats), labels unescaped. */
export function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: m[3]! });
  }
  return out;
}

/**
 * The counter key a sample stands for, written out family by family, independent of the code under
 * test (null for the snapshot gauges): the inverse of the README's table of metrics.
 */
export function keyOf(s: Sample): string | null {
  const { host, instance_name: instance, ...l } = s.labels;
  const n = s.name.replace(/^postfix_stats_/, '').replace(/_total$/, '');
  let k: string | null;
  if (n === 'received') k = `recv:${l.service}`;
  else if (n === 'sent' || n === 'forwarded' || n === 'deferred' || n === 'bounced') k = `${n}:${l.transport}`;
  else if (n === 'remote_replies') k = `${l.transport}:${l.class}`;
  else if (n === 'rejects') k = `${l.component}:${l.class}`;
  else if (n === 'held' || n === 'discarded' || n === 'expired') k = n;
  else if (n === 'expired_forced') k = 'expired:force';
  else if (n === 'events') k = l.label === undefined ? l.kind! : `${l.kind}:${l.label}`;
  else if (n.startsWith('self_')) k = `self:${n.slice(5)}`;
  else k = null;
  if (k === null) return null;
  if (host !== undefined) k = `${k}@${host}`;
  return instance === undefined ? k : `${instance}/${k}`;
}

/** key -> value of an exposition, failing on a series that two keys would share. */
export function byKey(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of samples(text)) {
    const k = keyOf(s);
    if (k === null) continue;
    if (m.has(k)) throw new Error(`two series for ${k}`);
    m.set(k, s.value);
  }
  return m;
}
