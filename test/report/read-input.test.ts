import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK, plainChunks, readInput } from '../../src/report/read-input.js';
import { ReportInputError } from '../../src/report/input-error.js';
import { historyFromLogs } from '../../src/report/from-logs.js';
import { daysIn } from '../../src/history/day.js';

const FIXTURE = 'fixtures/logs/classic.log';

const dir = mkdtempSync(join(tmpdir(), 'pfs-read-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 2.5 chunks of numbered lines: the synchronous path reads it in three. */
const body = Buffer.from(Array.from({ length: Math.ceil((CHUNK * 2.5) / 16) }, (_, i) => `line ${String(i).padStart(9, '0')}\n`).join(''));
const plain = join(dir, 'mail.log');
writeFileSync(plain, body);

async function readAll(input: string, range?: { start?: number; end?: number }): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readInput(input, (chunk) => void parts.push(Buffer.from(chunk)), range);
  return Buffer.concat(parts);
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('reading a log input', () => {
  it('a regular plain file is read whole, in chunks of at most CHUNK, and a byte range exactly', async () => {
    const sizes: number[] = [];
    for (const c of plainChunks(plain)!) sizes.push(c.length);
    expect(sizes.length).toBe(3);
    expect(Math.max(...sizes)).toBe(CHUNK);
    expect((await readAll(plain)).equals(body)).toBe(true);
    expect((await readAll(plain, { start: 1000, end: CHUNK + 12345 })).equals(body.subarray(1000, CHUNK + 12345))).toBe(true);
    expect((await readAll(plain, { start: CHUNK * 2 })).equals(body.subarray(CHUNK * 2))).toBe(true);
  });

  it('a reader that stops early leaves no file open, plain or gzip', async () => {
    // random text: compressed, still several reads long (a file read whole by its first read closes anyway)
    const gz = join(dir, 'early.gz');
    writeFileSync(gz, gzipSync(Buffer.from(randomBytes(3 * CHUNK).toString('base64'))));
    const before = openFds();
    let chunks = 0;
    await readInput(plain, () => ++chunks < 2);
    expect(chunks).toBe(2);
    for (const _ of plainChunks(plain)!) break;
    await readInput(gz, () => false);
    // a destroyed stream closes its descriptor on a later turn of the loop
    for (let i = 0; i < 50 && openFds() !== before; i++) await new Promise((res) => setTimeout(res, 10));
    expect(openFds()).toBe(before);
  });

  it('a gzip file (known by its magic bytes, whatever its name) and a FIFO are read as streams, with the same bytes', async () => {
    const gz = join(dir, 'mail.log.1');
    writeFileSync(gz, gzipSync(body));
    expect(plainChunks(gz)).toBeNull();
    expect((await readAll(gz)).equals(body)).toBe(true);

    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(plainChunks(fifo)).toBeNull();
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', plain, fifo]);
    const exited = new Promise((res) => writer.on('exit', res));
    const got = await readAll(fifo);
    expect(await exited).toBe(0);
    expect(got.equals(body)).toBe(true);
  });

  it('a report of a FIFO waits for its writer without blocking the event loop, and counts what it sends', async () => {
    const fifo = join(dir, 'report-fifo');
    execFileSync('mkfifo', [fifo]);
    // the read starts first: a synchronous open() of the FIFO would block this thread, and the
    // writer below would never be started
    const reading = historyFromLogs([fifo], 'UTC');
    await new Promise((res) => setImmediate(res));
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', FIXTURE, fifo]);
    const exited = new Promise((res) => writer.on('exit', res));
    const fromFifo = await reading;
    expect(await exited).toBe(0);
    const fromFile = await historyFromLogs([FIXTURE], 'UTC');
    expect(daysIn(fromFifo.kv).length).toBeGreaterThan(0);
    expect([...fromFifo.kv.range('', '\uffff')]).toEqual([...fromFile.kv.range('', '\uffff')]);
  });

  it('a directory or a missing file is a ReportInputError with exit code 66 and its reason', async () => {
    for (const [path, message] of [[dir, /is a directory/], [join(dir, 'missing.log'), /no such file/]] as const) {
      const e = await readAll(path).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ReportInputError);
      expect((e as ReportInputError).code).toBe(66);
      expect((e as Error).message).toMatch(message);
    }
  });
});
