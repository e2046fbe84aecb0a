// The HTTP endpoint of postfix-statsd (--http): node:http serving a route table, GET and HEAD only,
// with every resource bounded so that no client can hold the daemon: header bytes, the time to send
// headers and a whole request (a slowloris client that trickles header bytes is cut off), idle
// keep-alive, connections at once, no request bodies. It runs in the daemon's HTTP worker thread
// (http-worker.ts), so a request never waits on a commit and a commit never waits on a request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { lstatSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { formatHttpAddress, type HttpAddress } from './address.js';
import { text, Unavailable, type Answer, type Routes } from './route.js';

export interface HttpLimits {
  /** Request line and headers together. */
  readonly maxHeaderBytes: number;
  /** From the connection (or the end of the last response) to the end of the headers. */
  readonly headersMs: number;
  /** For a whole request. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** How often Node checks the two timeouts above: the cut-off comes up to this much late. */
  readonly checkMs: number;
  /** More connections at once are closed as they arrive. */
  readonly maxConnections: number;
  readonly maxRequestsPerSocket: number;
  /** Request target, query included. */
  readonly maxUrlBytes: number;
}

export const HTTP_LIMITS: HttpLimits = {
  maxHeaderBytes: 8192,
  headersMs: 5000,
  requestMs: 10_000,
  keepAliveMs: 5000,
  checkMs: 500,
  maxConnections: 64,
  maxRequestsPerSocket: 1000,
  maxUrlBytes: 2048,
};

export interface HttpLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HttpServer {
  /** Where it listens, the kernel's port filled in (`127.0.0.1:0` becomes `127.0.0.1:40123`). */
  readonly address: string;
  /** The TCP port it listens on (the kernel's, for port 0); null on a unix socket. */
  readonly port: number | null;
  stop(): Promise<void>;
}

export type Started = { ok: true; server: HttpServer } | { ok: false; error: string };

const ALLOW = 'GET, HEAD';

export async function startHttp(at: HttpAddress, routes: Routes, log: HttpLog): Promise<Started> {
  const limits = HTTP_LIMITS;
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      keepAliveTimeout: limits.keepAliveMs,
      connectionsCheckingInterval: limits.checkMs,
    },
    (req, res) => respond(req, res, dispatch(routes, req, limits, log)),
  );
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // A client that stops reading a response: the socket is closed after this much silence.
  server.timeout = limits.requestMs;
  if (at.kind === 'unix') {
    const stale = await removeStaleSocket(at.path);
    if (stale !== null) return { ok: false, error: stale };
  }
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    const ready = () => (server.off('error', resolve), resolve(null));
    if (at.kind === 'unix') server.listen(at.path, ready);
    else server.listen(at.port, at.host, ready);
  });
  if (listening !== null) return { ok: false, error: `cannot listen on ${formatHttpAddress(at)}: ${listening.message}` };
  server.on('error', (err) => log.error({ err: err.message }, 'http server error'));
  const bound = boundAddress(server, at);
  const address = formatHttpAddress(bound);
  log.info({ http: address }, 'http listening');
  return { ok: true, server: { address, port: bound.kind === 'tcp' ? bound.port : null, stop: () => stop(server, at) } };
}

function boundAddress(server: Server, at: HttpAddress): HttpAddress {
  const a = server.address();
  return at.kind === 'tcp' && a !== null && typeof a === 'object' ? { kind: 'tcp', host: at.host, port: a.port } : at;
}

/**
 * A socket file left by a daemon that was killed is in the way of listen(): removed. One that a
 * process still listens on (another daemon's, with another --db) is in use, as a TCP port would be;
 * anything else is not ours.
 */
async function removeStaleSocket(path: string): Promise<string | null> {
  try {
    if (!lstatSync(path).isSocket()) return `cannot listen on unix:${path}: it exists and is not a socket`;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : `cannot listen on unix:${path}: ${(e as Error).message}`;
  }
  const probe = await new Promise<string>((resolve) => {
    const c = connect({ path });
    const done = (why: string) => (c.destroy(), resolve(why));
    c.once('connect', () => done('listening'));
    c.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    c.setTimeout(1000, () => done('listening')); // accepted but slow: a live server
  });
  if (probe === 'listening') return `cannot listen on unix:${path}: address in use (another process listens on it)`;
  if (probe !== 'ECONNREFUSED') return `cannot listen on unix:${path}: ${probe}`;
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot listen on unix:${path}: ${(e as Error).message}`;
  }
  return null;
}

function stop(server: Server, at: HttpAddress): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      if (at.kind === 'unix') {
        try {
          unlinkSync(at.path);
        } catch {
          // already gone: Node removes it on close
        }
      }
      resolve();
    });
    server.closeAllConnections();
  });
}

function dispatch(routes: Routes, req: IncomingMessage, limits: HttpLimits, log: HttpLog): Answer {
  const url = req.url ?? '';
  // origin-form only: an absolute URL (a proxy request) or `*` names nothing here
  if (!url.startsWith('/')) return text(400, 'bad request target');
  if (Buffer.byteLength(url) > limits.maxUrlBytes) return text(414, 'request target too long');
  const q = url.indexOf('?');
  const route = routes.get(q < 0 ? url : url.slice(0, q));
  if (route === undefined) return text(404, 'not found');
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'only GET and HEAD', { Allow: ALLOW });
  // GET and HEAD carry no body here; rather than read one, the connection is closed after the answer
  if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') return text(400, 'a request body is not accepted', { Connection: 'close' });
  const query = q < 0 ? '' : url.slice(q + 1);
  if (query !== '' && !route.query) return text(400, 'this path takes no query string');
  try {
    return route.answer({ query: new URLSearchParams(query), accept: req.headers.accept ?? '', now: Date.now() });
  } catch (e) {
    if (e instanceof Unavailable) return text(503, e.message, { 'Retry-After': '1' });
    log.error({ err: (e as Error).stack, url: url.slice(0, 200) }, 'http handler failed');
    return text(500, 'internal error');
  }
}

function respond(req: IncomingMessage, res: ServerResponse, a: Answer): void {
  const body = Buffer.from(a.body, 'utf8');
  res.writeHead(a.status, {
    'Content-Type': a.type,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...a.headers,
  });
  // HEAD: the same headers, no body
  res.end(req.method === 'HEAD' ? undefined : body);
}
