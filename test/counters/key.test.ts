// The key grammar is the one gate between log text and the store, the snapshot file and SNMP: every
// key the daemon may make must survive format -> parse unchanged, and nothing hostile may pass.
import { describe, expect, it } from 'vitest';
import { formatKey, isOfKind, isTotalKey, mustFormatKey, parseKey, type Key } from '../../src/counters/key.js';
import { isCounterKey } from '../../src/counters/keys.js';
import { SELF } from '../../src/counters/counters.js';
import { isValidName } from '../../src/classify/names.js';

describe('key text form', () => {
  it.each<[string, Key]>([
    ['held', { kind: 'held' }],
    ['sent:smtp', { kind: 'sent', label: 'smtp' }],
    ['smtp:4xx', { kind: 'smtp', label: '4xx' }],
    ['expired:force', { kind: 'expired', label: 'force' }],
    ['self:lines', { kind: 'self', label: 'lines' }],
    ['recv:my_relay-2.x', { kind: 'recv', label: 'my_relay-2.x' }],
    ['sent:smtp@mx1.example.org', { kind: 'sent', label: 'smtp', host: 'mx1.example.org' }],
    ['held@mx-1', { kind: 'held', host: 'mx-1' }],
    // a postmulti instance, written as its log tag begins
    ['postfix-out/sent:smtp', { kind: 'sent', label: 'smtp', instance: 'postfix-out' }],
    ['postfix-out/held', { kind: 'held', instance: 'postfix-out' }],
    ['postfix-out/smtpd:5xx', { kind: 'smtpd', label: '5xx', instance: 'postfix-out' }],
    ['postfix-out/sent:smtp@mx1', { kind: 'sent', label: 'smtp', host: 'mx1', instance: 'postfix-out' }],
    ['postfix2/recv:submission', { kind: 'recv', label: 'submission', instance: 'postfix2' }],
    [`postfix${'x'.repeat(32)}/held`, { kind: 'held', instance: `postfix${'x'.repeat(32)}` }],
    [`${'k'.repeat(32)}:${'l'.repeat(32)}@${'h'.repeat(63)}`, { kind: 'k'.repeat(32), label: 'l'.repeat(32), host: 'h'.repeat(63) }],
  ])('round-trips %s', (text, key) => {
    expect(parseKey(text)).toEqual(key);
    expect(formatKey(key)).toBe(text);
    expect(isCounterKey(text)).toBe(true);
  });

  it('keeps the text form of every host-less key the daemon makes today (--list and snapshot rows unchanged)', () => {
    for (const k of Object.values(SELF)) expect(formatKey(parseKey(k)!)).toBe(k);
    expect(formatKey({ kind: 'sent', label: 'smtp' })).toBe('sent:smtp');
    expect(formatKey({ kind: 'discarded' })).toBe('discarded');
  });

  it('puts an instance in lower case, read or written (keys are lower case; Postfix\'s syslog names are not)', () => {
    expect(parseKey('postfix-OUT/sent:smtp@MX1')).toEqual({ kind: 'sent', label: 'smtp', host: 'mx1', instance: 'postfix-out' });
    expect(formatKey({ kind: 'sent', label: 'smtp', instance: 'Postfix-Out' })).toBe('postfix-out/sent:smtp');
  });

  it('puts a host in lower case, read or written', () => {
    expect(parseKey('sent:smtp@MX1.Example.ORG')).toEqual({ kind: 'sent', label: 'smtp', host: 'mx1.example.org' });
    expect(formatKey({ kind: 'sent', label: 'smtp', host: 'MX1' })).toBe('sent:smtp@mx1');
  });

  it.each([
    ['an empty key', ''],
    ['uppercase kind', 'Sent:smtp'],
    ['uppercase label', 'sent:SMTP'],
    ['a kind too long', `${'k'.repeat(33)}:smtp`],
    ['a label too long', `sent:${'l'.repeat(33)}`],
    ['a host too long', `sent:smtp@${'h'.repeat(64)}`],
    ['self as a label', 'sent:self'],
    ['self as a label of self', 'self:self'],
    ['a dot as kind', '.:smtp'],
    ['two dots as label', 'sent:..'],
    ['@ without host', 'sent:smtp@'],
    ['@ alone', '@'],
    ['a host without kind', '@mx1'],
    ['an empty label', 'sent:'],
    ['an empty kind', ':smtp'],
    ['three parts', 'sent:smtp:x'],
    ['two hosts', 'sent:smtp@a@b'],
    ['a path', 'sent:../../etc'],
    ['a space', 'sent:smtp x'],
    ['a newline (a second snapshot row)', 'sent:smtp\nself:lines 1 9'],
    ['non-ASCII', 'sent:ünï'],
    ['a host with an underscore', 'sent:smtp@mx_1'],
    ['a host starting with a dot', 'sent:smtp@.mx1'],
    ['a host ending with a dash', 'sent:smtp@mx1-'],
    ['a host with an empty label', 'sent:smtp@mx1..org'],
    ['a host that is a dot', 'sent:smtp@.'],
    ['the default instance named (its counts are the plain keys)', 'postfix/sent:smtp'],
    ['an instance not starting with postfix', 'out/sent:smtp'],
    ['an instance too long', `postfix${'x'.repeat(33)}/sent:smtp`],
    ['an empty instance', '/sent:smtp'],
    ['two instances', 'postfix-a/postfix-b/sent:smtp'],
    ['a slash elsewhere', 'sent:postfix-out/smtp'],
    ['an instance of the daemon\'s own counters', 'postfix-out/self:lines'],
    ['an instance with a space', 'postfix out/sent:smtp'],
  ])('refuses %s', (_, text) => {
    expect(parseKey(text)).toBeNull();
    expect(isCounterKey(text)).toBe(false);
  });

  it.each<[string, Key]>([
    ['uppercase kind', { kind: 'Sent', label: 'smtp' }],
    ['self as label', { kind: 'sent', label: 'self' }],
    ['a label with a colon (a forged second part)', { kind: 'sent', label: 'a:b' }],
    ['a label with an @ (a forged host)', { kind: 'sent', label: 'a@b' }],
    ['an empty label', { kind: 'sent', label: '' }],
    ['a hostile host', { kind: 'sent', label: 'smtp', host: '../x' }],
    ['an empty host', { kind: 'sent', label: 'smtp', host: '' }],
    ['the default instance', { kind: 'sent', label: 'smtp', instance: 'postfix' }],
    ['an instance with a slash', { kind: 'sent', label: 'smtp', instance: 'postfix/x' }],
    ['an instance of self', { kind: 'self', label: 'lines', instance: 'postfix-out' }],
  ])('will not format %s', (_, key) => {
    expect(formatKey(key)).toBeNull();
    expect(() => mustFormatKey(key)).toThrow(RangeError);
  });

  it('takes names from the log by the label grammar: self, dots and uppercase refused', () => {
    expect(['smtp', 'relay_1.x-y', 'a'.repeat(32)].every(isValidName)).toBe(true);
    expect(['self', '.', '..', 'SMTP', '', 'a'.repeat(33), 'a b', 'a:b'].some(isValidName)).toBe(false);
  });
});

describe('totals and kinds, as reports and graphs sum keys', () => {
  it('a total has no host and no instance part', () => {
    expect(['sent:smtp', 'held', 'expired:force'].every(isTotalKey)).toBe(true);
    expect(['sent:smtp@mx1', 'postfix-out/sent:smtp', 'postfix-out/held@mx1'].some(isTotalKey)).toBe(false);
  });

  it('a kind is the key itself or kind:label, never a longer kind that starts the same', () => {
    expect(['sent', 'sent:smtp', 'sent:relay'].every((k) => isOfKind(k, 'sent'))).toBe(true);
    expect(['sentx', 'sentx:smtp', 'recv:sent', 'sen'].some((k) => isOfKind(k, 'sent'))).toBe(false);
  });
});
