// A client in a process of its own, so its clock runs while the daemon's main thread is blocked:
// for each line `PATH` on stdin it requests http://ADDRESS/PATH and prints one JSON line, when the
// request started and ended (ms since the epoch) and what came back. `warm` first: the connection and
// both sides' code paths are made once before anything is timed.
import { request, Agent } from 'node:http';
import { createInterface } from 'node:readline';

const [address] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const req = request(`http://${address}${path}`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ start, end: Date.now(), status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'warm') {
    await get('/metrics');
    process.stdout.write('{"warm":true}\n');
  } else {
    process.stdout.write(`${JSON.stringify(await get(line))}\n`);
  }
}
agent.destroy();
