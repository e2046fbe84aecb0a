// The --http option: where the HTTP endpoint listens. `HOST:PORT` (`127.0.0.1:9156`, `[::1]:9156`;
// port 0 lets the kernel pick one, which the daemon logs) or `unix:/abs/path` for a reverse proxy on
// the same machine. A host is required: binding every interface must be written out (`0.0.0.0:9156`),
// never the accident of a bare port.

export type HttpAddress = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

export type ParsedHttpAddress = { ok: true; address: HttpAddress } | { ok: false; error: string };

const TCP = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]{1,253})):([0-9]{1,5})$/;
/** Linux's sun_path is 108 bytes with its NUL. */
const MAX_UNIX_PATH = 107;

export function parseHttpAddress(text: string): ParsedHttpAddress {
  const bad = (why: string): ParsedHttpAddress => ({ ok: false, error: `--http ${JSON.stringify(text.slice(0, 120))}: ${why}` });
  if (text.startsWith('unix:')) {
    const path = text.slice(5);
    if (!path.startsWith('/')) return bad('a Unix socket needs an absolute path (unix:/run/postfix-stats/http.sock)');
    if (Buffer.byteLength(path) > MAX_UNIX_PATH || path.includes('\0')) return bad(`the path must be at most ${MAX_UNIX_PATH} bytes`);
    return { ok: true, address: { kind: 'unix', path } };
  }
  const m = TCP.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) return bad('expected HOST:PORT (127.0.0.1:9156, [::1]:9156) or unix:/PATH');
  return { ok: true, address: { kind: 'tcp', host: m[1] ?? m[2]!, port } };
}

/** As the log and the README write it. */
export function formatHttpAddress(a: HttpAddress): string {
  return a.kind === 'unix' ? `unix:${a.path}` : a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
