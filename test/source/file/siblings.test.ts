// The rotated copies a restart looks for beside the log, oldest first, in the names logrotate gives
// them (numbers, dateext with its common dateformats, `extension`, gzip) and no other file.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotatedSiblings } from '../../../src/source/file/siblings.js';
import { tmp } from '../../helpers/tmp.js';

/** Files named `names`, each older than the next by a minute. */
function make(dir: string, names: string[]): void {
  const t0 = Date.now() / 1000 - 3600;
  names.forEach((n, i) => {
    writeFileSync(join(dir, n), `${n}\n`);
    utimesSync(join(dir, n), t0 + 60 * i, t0 + 60 * i);
  });
}

const listed = (log: string) => rotatedSiblings(log).map((s) => `${basename(s.path)}${s.gz ? ' gz' : ''}`);

describe('rotated copies beside a log', () => {
  it('numbers: higher is older; gzip or not', () => {
    const dir = tmp();
    make(dir, ['mail.log.3.gz', 'mail.log.2.gz', 'mail.log.1', 'mail.log']);
    expect(listed(join(dir, 'mail.log'))).toEqual(['mail.log.3.gz gz', 'mail.log.2.gz gz', 'mail.log.1']);
  });

  it.each([
    ['dateext', ['mail.log-20261128.gz', 'mail.log-20261129.gz', 'mail.log-20261130']],
    ['dateformat -%Y-%m-%d', ['mail.log-2026-11-28.gz', 'mail.log-2026-11-29', 'mail.log-2026-11-30']],
    ['dateformat -%Y%m%d-%s (several a day)', ['mail.log-20261130-1796011000.gz', 'mail.log-20261130-1796016993.gz', 'mail.log-20261130-1796020000']],
    ['postfix logrotate', ['mail.log.20261130-043000.gz', 'mail.log.20261130-120000.gz']],
  ])('%s: later is newer', (_, names) => {
    const dir = tmp();
    // made newest first, so that only their names can order them
    make(dir, [...names].reverse());
    expect(listed(join(dir, 'mail.log')).map((s) => s.replace(/ gz$/, ''))).toEqual(names);
  });

  it('extension .log: the suffix before the extension, numbered or dated', () => {
    const numbered = tmp();
    // mail-2.log: another log, not a rotated copy
    make(numbered, ['mail.2.log.gz', 'mail-2.log', 'mail.1.log', 'mail.log']);
    expect(listed(join(numbered, 'mail.log'))).toEqual(['mail.2.log.gz gz', 'mail.1.log']);
    const dated = tmp();
    make(dated, ['mail-20261130.log', 'mail-20261129.log.gz', 'mail.log']);
    expect(listed(join(dated, 'mail.log'))).toEqual(['mail-20261129.log.gz gz', 'mail-20261130.log']);
  });

  it('no other file: other compressions, backups, other logs, a directory, a copy still being gzipped', () => {
    const dir = tmp();
    make(dir, ['mail.log.1.xz', 'mail.log.1.bak', 'mail.log.old', 'mail.err', 'mail.err.1', 'mail.0', 'mail.log.2', 'mail.log.2.gz', 'mail.log']);
    mkdirSync(join(dir, 'mail.log.3'));
    expect(listed(join(dir, 'mail.log'))).toEqual(['mail.log.2']);
  });
});
