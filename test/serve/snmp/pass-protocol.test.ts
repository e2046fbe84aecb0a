// snmpd's pass_persist conversation, line by line, against an in-memory snapshot; and that each
// request takes a fresh snapshot (counters change between requests).
import { describe, expect, it } from 'vitest';
import { parseOid } from '../../../src/serve/snmp/oid.js';
import { PassPersist } from '../../../src/serve/snmp/pass-persist.js';
import { formatCell } from '../../../src/serve/snmp/pass-format.js';
import type { TableRow } from '../../../src/serve/snmp/table.js';

const BASE = parseOid('.1.3.6.1.4.1.99999.1.1')!;
const T = '.1.3.6.1.4.1.99999.1.1.1';

function session(snapshots: (readonly TableRow[] | null)[]) {
  let calls = 0;
  const p = new PassPersist(BASE, () => snapshots[Math.min(calls++, snapshots.length - 1)]!);
  const talk = (...lines: string[]) => lines.map((l) => p.feed(l)).join('');
  return { talk, calls: () => calls };
}

const rows = [{ key: 'recv:smtp', value: 166n, index: 1 }, { key: 'sent:smtp', value: 222n, index: 2 }];

describe('pass_persist conversation', () => {
  it('answers PING with PONG, case-insensitively, and takes no snapshot for it', () => {
    const s = session([rows]);
    expect(s.talk('PING')).toBe('PONG\n');
    expect(s.talk('ping')).toBe('PONG\n');
    expect(s.calls()).toBe(0);
  });

  it('get answers three lines: OID, type, value', () => {
    expect(session([rows]).talk('get', `${T}.3.2`)).toBe(`${T}.3.2\ncounter64\n222\n`);
    expect(session([rows]).talk('get', `${T}.2.1`)).toBe(`${T}.2.1\nstring\nrecv:smtp\n`);
  });

  it('getnext from the base gives the first cell, and past the last cell NONE', () => {
    const s = session([rows]);
    expect(s.talk('getnext', '.1.3.6.1.4.1.99999.1.1')).toBe(`${T}.1.1\ninteger\n1\n`);
    expect(s.talk('getnext', `${T}.4.2`)).toBe(`${T}.5.1\nstring\n\n`);
    expect(s.talk('getnext', `${T}.5.2`)).toBe(`${T}.6.1\nstring\n\n`);
    expect(s.talk('getnext', `${T}.6.2`)).toBe('NONE\n');
  });

  it('unknown OIDs, a malformed OID and an unreadable store all answer NONE and keep the session in step', () => {
    expect(session([rows]).talk('get', `${T}.3.9`, 'get', `${T}.7.1`, 'get', 'garbage', 'PING')).toBe('NONE\nNONE\nNONE\nPONG\n');
    expect(session([null]).talk('get', `${T}.3.1`, 'PING')).toBe('NONE\nPONG\n');
  });

  it('set is refused as not-writable, consuming its value line', () => {
    expect(session([rows]).talk('set', `${T}.3.1`, 'counter64 5', 'PING')).toBe('not-writable\nPONG\n');
  });

  it('blank and unknown lines get no answer, so later answers stay paired with their requests', () => {
    expect(session([rows]).talk('', 'hello', 'get', `${T}.3.1`)).toBe(`${T}.3.1\ncounter64\n166\n`);
  });

  it('reads a fresh snapshot for every request: a counter that grew is served grown', () => {
    const later = [{ key: 'recv:smtp', value: 170n, index: 1 }, ...rows.slice(1)];
    const s = session([rows, later]);
    expect(s.talk('get', `${T}.3.1`)).toBe(`${T}.3.1\ncounter64\n166\n`);
    expect(s.talk('get', `${T}.3.1`)).toBe(`${T}.3.1\ncounter64\n170\n`);
    expect(s.calls()).toBe(2);
  });

  it('formats a Counter64 above 2^53 exactly', () => {
    expect(formatCell({ oid: [1, 3], type: 'counter64', value: 2n ** 64n - 1n })).toBe('.1.3\ncounter64\n18446744073709551615\n');
  });
});
