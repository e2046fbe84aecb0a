// The pipeline without a daemon process around it: a file source, the classifier and a real LMDB
// store wired in this process, run to the end of the log; resumed by a second pipeline on the same
// store; its database files deleted between two commits.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifier } from '../../src/classify/classifier.js';
import { Pipeline, type OpenSource } from '../../src/pipeline/pipeline.js';
import { run } from '../../src/pipeline/run.js';
import { FileSource } from '../../src/source/file/file-source.js';
import { counters, mailCounters as mail } from '../helpers/daemon.js';
import { tmp } from '../helpers/tmp.js';

const expected = JSON.parse(readFileSync('fixtures/logs/expected.json', 'utf8')) as Record<string, Record<string, number>>;
const quiet = { info() {}, warn() {}, error() {} };

const file = (path: string) => ({ path, maxLine: 65536, rotateWaitMs: 0, pollMs: 50 });

function pipeline(log: string, db: string, open: OpenSource = (sink, cp) => new FileSource(file(log), sink, cp)): Pipeline {
  const opts = { db, mapSize: 16 << 20, maxKeys: 1000, maxQueue: 100_000, commitMs: 100, commitLines: 1000 };
  return new Pipeline(opts, classifier({ filterRelays: new Set(), filterServices: new Set() }), open, quiet);
}

const once = (p: Pipeline) => run(p, { once: true, pollMs: 50, stop: new AbortController().signal });

describe('the pipeline in-process', () => {
  it('counts a fixture log to the end, then a second pipeline on the same store resumes after its checkpoint', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const [first, second] = ['classic.log', 'rfc3339.log'].map((f) => readFileSync(join('fixtures/logs', f), 'utf8'));
    writeFileSync(log, first!);
    expect(await once(pipeline(log, db))).toBe(true);
    expect(mail(db)).toEqual(expected['classic.log']);

    appendFileSync(log, second!);
    expect(await once(pipeline(log, db))).toBe(true);
    const both = { ...expected['classic.log'] };
    for (const [k, v] of Object.entries(expected['rfc3339.log']!)) both[k] = (both[k] ?? 0) + v;
    expect(mail(db)).toEqual(both);
    expect(counters(db)['self:lines']).toBe(BigInt((first! + second!).split('\n').length - 1));
  });

  it('recreates database files deleted between two commits from memory, keeping every count', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const text = readFileSync('fixtures/logs/classic.log', 'utf8').split('\n');
    const half = text.length >> 1;
    writeFileSync(log, text.slice(0, half).join('\n') + '\n');
    const p = pipeline(log, db);
    while ((await p.poll()) > 0);
    expect(await p.commit()).toBe(true);
    rmSync(join(db, 'data.mdb'));
    rmSync(join(db, 'lock.mdb'));
    appendFileSync(log, text.slice(half).join('\n'));
    expect(await once(p)).toBe(true);
    expect(counters(db)['self:db_recreated']).toBe(1n);
    expect(mail(db)).toEqual(expected['classic.log']);
  });
});

describe('several logs in one pipeline', () => {
  it('writes the snapshot again when it is deleted or replaced behind it, without waiting for mail', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    writeFileSync(log, readFileSync('fixtures/logs/classic.log'));
    const p = new Pipeline({ db, mapSize: 16 << 20, maxKeys: 1000, maxQueue: 100_000, commitMs: 100, commitLines: 1000, snapshotCheckMs: 0 }, classifier({ filterRelays: new Set(), filterServices: new Set() }), (sink, cp) => new FileSource(file(log), sink, cp), quiet);
    while ((await p.poll()) > 0);
    await p.commit();
    const snap = join(db, 'snapshot');
    const whole = readFileSync(snap);
    rmSync(snap);
    expect(await p.poll()).toBe(0); // the log is quiet
    expect(readFileSync(snap)).toEqual(whole);
    writeFileSync(snap, 'garbage');
    await p.poll();
    expect(readFileSync(snap)).toEqual(whole);
    expect(mail(db)).toEqual(expected['classic.log']);
    await p.close();
  });

  it('a snapshot that cannot be written (a full disk) brings on no commit of its own, and is written once it can be', async () => {
    const dir = tmp();
    const log = join(dir, 'mail.log');
    const db = join(dir, 'db');
    const text = readFileSync('fixtures/logs/classic.log', 'utf8').split('\n');
    writeFileSync(log, text.slice(0, 10).join('\n') + '\n');
    const errors: string[] = [];
    const logger = { ...quiet, error: (_: unknown, msg: string) => void errors.push(msg) };
    const opts = { db, mapSize: 16 << 20, maxKeys: 1000, maxQueue: 100_000, commitMs: 100, commitLines: 1000, snapshotCheckMs: 0, snapshotRetryMs: 60_000 };
    const p = new Pipeline(opts, classifier({ filterRelays: new Set(), filterServices: new Set() }), (sink, cp) => new FileSource(file(log), sink, cp), logger);
    while ((await p.poll()) > 0);
    await p.commit();
    // the temporary file's name taken by a directory: every write of the snapshot fails
    mkdirSync(join(db, '.snapshot.tmp'));
    appendFileSync(log, text[10] + '\n');
    while ((await p.poll()) > 0);
    await p.commit();
    const seq = p.snapshot.seq;
    expect(errors).toContain('cannot publish the snapshot');
    // a quiet log, polled as the daemon does for a while: no commits (the retry is a minute away)
    for (const end = Date.now() + 300; Date.now() < end; ) await p.poll();
    expect(p.snapshot.seq).toBe(seq);
    rmdirSync(join(db, '.snapshot.tmp'));
    // the next mail's commit writes it (the retry is a minute away) ...
    appendFileSync(log, text[11] + '\n');
    while ((await p.poll()) > 0);
    await p.commit();
    expect(counters(db)['self:lines']).toBe(12n);
    // ... and, written again, it is watched again at once, not after the retry's minute
    rmSync(join(db, 'snapshot'));
    await p.poll();
    expect(existsSync(join(db, 'snapshot'))).toBe(true);
    await p.close(); // counted at the next commit
    expect(counters(db)['self:publish_errors']).toBeGreaterThan(0n);
  });

  it('counts two files as one, and resumes each where it was', async () => {
    const { MultiSource } = await import('../../src/source/multi.js');
    const dir = tmp();
    const db = join(dir, 'db');
    const logs = [join(dir, 'a.log'), join(dir, 'b.log')];
    const texts = ['classic.log', 'maillog_file.log'].map((f) => readFileSync(join('fixtures/logs', f), 'utf8').split('\n'));
    const halves = texts.map((t) => t.length >> 1);
    logs.forEach((l, i) => writeFileSync(l, texts[i]!.slice(0, halves[i]).join('\n') + '\n'));
    const two = () => pipeline('', db, (sink, cp) => new MultiSource(logs, (n, s, c) => new FileSource(file(n), s, c), sink, cp));
    expect(await once(two())).toBe(true);
    logs.forEach((l, i) => appendFileSync(l, texts[i]!.slice(halves[i]).join('\n')));
    expect(await once(two())).toBe(true);
    const both = { ...expected['classic.log'] };
    for (const [k, v] of Object.entries(expected['maillog_file.log']!)) both[k] = (both[k] ?? 0) + v;
    expect(mail(db)).toEqual(both);
    expect(counters(db)['self:gaps'] ?? 0n).toBe(0n);
  });
});
