// What the daemon checks of `--log` at start, to refuse a path that can never be a log with an exit
// code instead of hanging on a FIFO or spinning on a device.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLogPath } from '../../../src/source/file/check-path.js';
import { tmp } from '../../helpers/tmp.js';

const BUILT = resolve('dist/src/source/file/check-path.js');

function whyNotAsNobody(): string | null {
  if (process.getuid?.() !== 0) return 'the tests do not run as root, so no other user can be taken on';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is missing';
  return null;
}
const noNobody = whyNotAsNobody();
if (noNobody) console.warn(`check-path: SKIPPING the unreadable-file case: ${noNobody}`);

/** checkLogPath run as user nobody (65534), for whom file modes count: root reads a mode 000 file anyway. */
function checkAsNobody(path: string): unknown {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
  const code = `import(${JSON.stringify(pathToFileURL(BUILT).href)}).then((m) => console.log(JSON.stringify(m.checkLogPath(process.argv[1]))))`;
  const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', code, path], { encoding: 'utf8' });
  return JSON.parse(out);
}

describe('checkLogPath', () => {
  it('accepts a regular file, and a symlink to one', () => {
    const dir = tmp();
    const file = join(dir, 'a.log');
    writeFileSync(file, 'x\n');
    symlinkSync(file, join(dir, 'mail.log'));
    expect(checkLogPath(file)).toEqual({ ok: true });
    expect(checkLogPath(join(dir, 'mail.log'))).toEqual({ ok: true });
  });

  it('refuses a FIFO without blocking', () => {
    const path = join(tmp(), 'mail.log');
    execFileSync('mkfifo', [path]);
    expect(checkLogPath(path)).toEqual({ ok: false, code: 'not_regular', message: `${path}: is a FIFO, not a regular file` });
  });

  it('refuses a character device (/dev/zero), also through a symlink', () => {
    expect(checkLogPath('/dev/zero')).toEqual({ ok: false, code: 'not_regular', message: '/dev/zero: is a character device, not a regular file' });
    const link = join(tmp(), 'mail.log');
    symlinkSync('/dev/zero', link);
    expect(checkLogPath(link)).toMatchObject({ ok: false, code: 'not_regular' });
  });

  it('refuses a directory', () => {
    const path = join(tmp(), 'mail.log');
    mkdirSync(path);
    expect(checkLogPath(path)).toEqual({ ok: false, code: 'not_regular', message: `${path}: is a directory, not a regular file` });
  });

  it('calls a missing file and a dangling symlink missing', () => {
    const dir = tmp();
    const missing = join(dir, 'mail.log');
    expect(checkLogPath(missing)).toMatchObject({ ok: false, code: 'missing' });
    expect((checkLogPath(missing) as { message: string }).message).toContain(missing);
    symlinkSync(join(dir, 'gone.log'), join(dir, 'link.log'));
    expect(checkLogPath(join(dir, 'link.log'))).toMatchObject({ ok: false, code: 'missing' });
  });

  it.skipIf(noNobody !== null)('calls a file its user may not read unreadable', () => {
    const dir = tmp();
    chmodSync(dir, 0o755);
    const path = join(dir, 'mail.log');
    writeFileSync(path, 'x\n');
    chmodSync(path, 0o000);
    expect(checkAsNobody(path)).toMatchObject({ ok: false, code: 'unreadable', message: expect.stringContaining('EACCES') });
    chmodSync(path, 0o644);
    expect(checkAsNobody(path)).toEqual({ ok: true });
  });
});
