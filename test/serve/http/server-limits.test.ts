// The HTTP server's contract, in-process with the shipped limits (HTTP_LIMITS): methods, paths,
// queries, bodies, and the bounds that keep a client from holding the daemon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { HTTP_LIMITS, startHttp, type HttpServer } from '../../../src/serve/http/server.js';
import { Routes, text } from '../../../src/serve/http/route.js';
import { get, opened, raw } from './helpers.js';

const quiet = { info() {}, error() {} };
const routes = () =>
  new Routes()
    .add('/metrics', { query: false, answer: () => text(200, 'ok') })
    .add('/api/history', { query: true, answer: (r) => text(200, `q=${r.query.get('a')}`) })
    .add('/boom', { query: false, answer: () => { throw new Error('handler bug'); } });

let server: HttpServer;
let port: number;
const H = '127.0.0.1';
beforeAll(async () => {
  const s = await startHttp({ kind: 'tcp', host: H, port: 0 }, routes(), quiet);
  if (!s.ok) throw new Error(s.error);
  server = s.server;
  port = Number(server.address.split(':').pop());
});
afterAll(() => server.stop());

const url = (p: string) => `http://${H}:${port}${p}`;

describe('methods and paths', () => {
  it('GET answers, HEAD answers the same headers without a body', async () => {
    const g = await get(url('/metrics'));
    expect([g.status, g.body, g.headers['content-length'], g.headers['cache-control']]).toEqual([200, 'ok\n', '3', 'no-store']);
    const h = await get(url('/metrics'), { method: 'HEAD' });
    expect([h.status, h.body, h.headers['content-length']]).toEqual([200, '', '3']);
  });

  it('other methods on a known path are 405 with Allow; on an unknown path 404', async () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE']) {
      const r = await get(url('/metrics'), { method: m });
      expect([m, r.status, r.headers.allow]).toEqual([m, 405, 'GET, HEAD']);
    }
    expect((await get(url('/nope'), { method: 'POST' })).status).toBe(404);
  });

  it('traversal, doubled slashes, encoded dots and trailing slashes name no route', async () => {
    for (const p of ['/../metrics', '//metrics', '/%2e%2e/metrics', '/%2E%2E%2Fmetrics', '/metrics/', '/./metrics', '/%6detrics', '/metrics/../metrics', '/METRICS', '/metrics%00', '/']) {
      const r = await raw(H, port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect([p, r.split('\r\n')[0]]).toEqual([p, 'HTTP/1.1 404 Not Found']);
    }
  });

  it('a non-origin request target is 400', async () => {
    for (const t of ['*', 'http://evil/metrics', 'metrics']) {
      const r = await raw(H, port, `GET ${t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect([t, r.split('\r\n')[0]]).toEqual([t, 'HTTP/1.1 400 Bad Request']);
    }
  });

  it('a query string on a path that takes none is 400; on one that takes one it is passed on', async () => {
    expect((await get(url('/metrics?x=1'))).status).toBe(400);
    expect((await get(url('/metrics'))).status).toBe(200);
    expect((await get(url('/api/history?a=b%20c'))).body).toBe('q=b c\n');
  });

  it('a request body is refused and the connection closed', async () => {
    const r = await raw(H, port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello');
    expect(r.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(r).toMatch(/Connection: close/i);
    const c = await raw(H, port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(c.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  });

  it('a handler that throws is a 500, and the server goes on', async () => {
    expect((await get(url('/boom'))).status).toBe(500);
    expect((await get(url('/metrics'))).status).toBe(200);
  });

  it('headers beyond maxHeaderBytes are refused (431), a long target is 414', async () => {
    const big = await raw(H, port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(HTTP_LIMITS.maxHeaderBytes)}\r\n\r\n`);
    expect(big.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    const long = await get(url(`/api/history?a=${'b'.repeat(HTTP_LIMITS.maxUrlBytes)}`));
    expect(long.status).toBe(414);
  });
});

describe('bounds', () => {
  it('slowloris: a client trickling header bytes is cut off after headersMs, and others are answered meanwhile', async () => {
    const s = await opened(H, port);
    const t0 = Date.now();
    let closedAt = 0;
    let got = '';
    s.on('data', (d) => (got += d));
    const closed = new Promise<void>((r) => s.on('close', () => ((closedAt = Date.now()), r())));
    s.on('error', () => {});
    const header = 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(1000);
    let i = 0;
    const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write(header[i++ % header.length]!)), 100);
    // meanwhile: answered, one after another, while the slow client holds its connection
    let answered = 0;
    while (closedAt === 0) {
      expect((await get(url('/metrics'))).status).toBe(200);
      answered++;
      await new Promise((r) => setTimeout(r, 50)); // pacing of the other client, not a wait for state
    }
    await closed;
    clearInterval(drip);
    const held = closedAt - t0;
    expect(held).toBeGreaterThanOrEqual(HTTP_LIMITS.headersMs - 100);
    expect(held).toBeLessThan(HTTP_LIMITS.headersMs + 2 * HTTP_LIMITS.checkMs + 1000);
    expect(got).toMatch(/^HTTP\/1.1 408|^$/);
    expect(answered).toBeGreaterThan(10);
  }, 20_000);

  it(`at most maxConnections (${HTTP_LIMITS.maxConnections}) at once: the next is closed unanswered, and served once one leaves`, async () => {
    const idle = [];
    for (let i = 0; i < HTTP_LIMITS.maxConnections; i++) idle.push(await opened(H, port));
    for (const s of idle) s.on('error', () => {});
    const over = await raw(H, port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 2000);
    expect(over).toBe('');
    const gone = new Promise((r) => idle[0]!.on('close', r));
    idle[0]!.destroy();
    await gone;
    // the server learns of the close asynchronously: retry until a slot is free
    let r = '';
    for (let i = 0; i < 50 && r === ''; i++) r = await raw(H, port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 2000);
    expect(r.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    for (const s of idle) s.destroy();
  }, 30_000);

  it('an idle keep-alive connection is closed after keepAliveMs', async () => {
    const s = await opened(H, port);
    const t0 = Date.now();
    s.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
    s.resume(); // read the answer, so the server's FIN is seen
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(Date.now() - t0).toBeLessThan(HTTP_LIMITS.keepAliveMs + 2000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(HTTP_LIMITS.keepAliveMs - 500);
  }, 20_000);
});

describe('listening', () => {
  it('a Unix socket: served, one in use refused, a stale socket file replaced, removed at stop; a non-socket file refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfs-http-'));
    try {
      const path = join(dir, 'http.sock');
      const a = await startHttp({ kind: 'unix', path }, routes(), quiet);
      if (!a.ok) throw new Error(a.error);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ socketPath: path, path: '/metrics' }, (res) => {
          let b = '';
          res.on('data', (d) => (b += d));
          res.on('end', () => resolve(b));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('ok\n');
      // another daemon's live socket is in use, as a TCP port would be: left alone
      const taken = await startHttp({ kind: 'unix', path }, routes(), quiet);
      expect(taken.ok ? 'listened' : taken.error).toMatch(/address in use/);
      expect(existsSync(path)).toBe(true);
      await a.server.stop();
      expect(existsSync(path)).toBe(false);
      // a socket file whose process was killed (kill -9: nothing removed it) is taken over
      const killed = spawnSync(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))", path]);
      expect(killed.signal).toBe('SIGKILL');
      expect(existsSync(path)).toBe(true);
      const b = await startHttp({ kind: 'unix', path }, routes(), quiet);
      expect(b.ok ? 'listened' : b.error).toBe('listened');
      if (b.ok) await b.server.stop();
      writeFileSync(path, 'not a socket');
      const c = await startHttp({ kind: 'unix', path }, routes(), quiet);
      expect(c.ok ? 'listened' : c.error).toMatch(/exists and is not a socket/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an address in use is an error, not a throw', async () => {
    const r = await startHttp({ kind: 'tcp', host: H, port }, routes(), quiet);
    expect(r.ok ? 'listened' : r.error).toMatch(/EADDRINUSE/);
  });
});
