// One daemon per database directory. The lock is a listening socket in Linux's abstract namespace,
// named after the directory's device and inode: the kernel frees it the moment its process dies, even
// by SIGKILL, so no stale lock is ever left behind, and it needs no file nor write access. Its holder
// answers each connection with its pid, for the refusal's message. (Not seen across network
// namespaces: daemons in two containers sharing one bind-mounted directory are not told apart.)
import { createConnection, createServer, type Server } from 'node:net';
import { statSync } from 'node:fs';

export type Locked = { ok: true; release: () => void } | { ok: false; message: string };

export function lockName(dir: string): string {
  const st = statSync(dir);
  return `\0postfix-statsd/${st.dev}:${st.ino}`;
}

export function lockDir(dir: string): Promise<Locked> {
  const name = lockName(dir);
  // Anyone may connect (an abstract socket has no permissions): a client gone before the answer is
  // an error on that connection only, never the daemon's.
  const server: Server = createServer((conn) => {
    conn.on('error', () => conn.destroy());
    conn.end(`${process.pid}\n`);
  });
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE') return resolve({ ok: false, message: `cannot lock ${dir}: ${e.message}` });
      void holder(name).then((pid) =>
        resolve({ ok: false, message: `another postfix-statsd${pid ? ` (pid ${pid})` : ''} is using ${dir}; stop it first, or give this one another --db` }),
      );
    });
    server.listen({ path: name }, () => {
      server.on('error', () => {}); // after listen (an accept failing): the lock is still held
      server.unref();
      resolve({ ok: true, release: () => server.close() });
    });
  });
}

/** The pid the lock's holder reports, or '' when it does not answer within a second. */
function holder(name: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const c = createConnection({ path: name });
    const done = () => (c.destroy(), resolve(/^\d+$/.test(got.trim()) ? got.trim() : ''));
    c.setTimeout(1000, done);
    c.on('data', (d) => (got += d.toString().slice(0, 20)));
    c.on('end', done);
    c.on('error', done);
  });
}
