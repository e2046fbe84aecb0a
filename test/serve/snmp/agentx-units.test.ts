// The AgentX side without snmpd: answers (exceptions, search-range ends, GetBulk), the stream
// framing, the --agentx address, and the conversion to the package's varbinds (Counter64 exact).
import { describe, expect, it } from 'vitest';
import { parseAgentxAddress } from '../../../src/serve/snmp/agentx-address.js';
import { answerBulk, answerGet, answerNext } from '../../../src/serve/snmp/agentx-answer.js';
import { PduFramer } from '../../../src/serve/snmp/agentx-framing.js';
import { toVarbind } from '../../../src/serve/snmp/agentx-table.js';
import { parseOid } from '../../../src/serve/snmp/oid.js';

const BASE = parseOid('1.3.6.1.4.1.99999.1.1')!;
const E = [...BASE, 1];
const rows = [{ key: 'recv:smtp', value: 166n, index: 1 }, { key: 'sent:smtp', value: 2n ** 40n + 7n, index: 2 }];

describe('AgentX answers', () => {
  it('GET: a cell, noSuchInstance in a known column, noSuchObject elsewhere', () => {
    expect(answerGet(BASE, rows, [...E, 3, 2])).toMatchObject({ type: 'counter64', value: 2n ** 40n + 7n });
    expect(answerGet(BASE, rows, [...E, 3, 9])).toMatchObject({ type: 'noSuchInstance' });
    expect(answerGet(BASE, rows, [...E, 7, 1])).toMatchObject({ type: 'noSuchObject' });
    expect(answerGet(BASE, rows, [1, 3, 6])).toMatchObject({ type: 'noSuchObject' });
  });

  it('GETNEXT: endOfMibView named by the start past the table or at the range end', () => {
    expect(answerNext(BASE, rows, { start: [...E, 6, 2], end: null })).toEqual({ oid: [...E, 6, 2], type: 'endOfMibView' });
    expect(answerNext(BASE, rows, { start: E, end: [...E, 1, 1] })).toEqual({ oid: E, type: 'endOfMibView' });
    expect(answerNext(BASE, rows, { start: E, end: [...E, 1, 2] })).toMatchObject({ oid: [...E, 1, 1] });
  });

  it('GETNEXT: after the last Counter32 comes pfsCounterHost (column 5), empty for a total', () => {
    expect(answerNext(BASE, rows, { start: [...E, 4, 2], end: null })).toEqual({ oid: [...E, 5, 1], type: 'string', value: '' });
    const perHost = [{ key: 'sent:smtp@mx1', value: 1n, index: 4 }];
    expect(answerGet(BASE, perHost, [...E, 5, 4])).toEqual({ oid: [...E, 5, 4], type: 'string', value: 'mx1' });
    expect(answerGet(BASE, perHost, [...E, 5, 9])).toMatchObject({ type: 'noSuchInstance' });
  });

  it('GETBULK: non-repeaters once, repeaters continue from their last answer, stop at the end', () => {
    const a = answerBulk(BASE, rows, [{ start: [...E, 2], end: null }, { start: [...E, 5, 1], end: null }, { start: [...E, 4], end: null }], 1, 5);
    expect(a.map((x) => [x.oid.slice(E.length).join('.'), x.type])).toEqual([
      ['2.1', 'string'],
      ['5.2', 'string'], ['4.1', 'counter'],
      ['6.1', 'string'], ['4.2', 'counter'],
      ['6.2', 'string'], ['5.1', 'string'],
      [`6.2`, 'endOfMibView'], ['5.2', 'string'],
      [`6.2`, 'endOfMibView'], ['6.1', 'string'],
    ]);
    expect(answerBulk(BASE, rows, [{ start: E, end: null }], 0, 3)).toHaveLength(3);
  });

  it('hands the package Counter64 as a bigint, exact above 2^53, and exceptions with a null value', () => {
    expect(toVarbind({ oid: [1, 3], type: 'counter64', value: 2n ** 64n - 1n })).toEqual({ oid: '1.3', type: 70, value: 2n ** 64n - 1n });
    expect(toVarbind({ oid: [1, 3], type: 'endOfMibView' })).toEqual({ oid: '1.3', type: 130, value: null });
  });
});

describe('AgentX stream framing', () => {
  const pdu = (payload: number, flags = 0x10) => {
    const b = Buffer.alloc(20 + payload, 7);
    b[2] = flags;
    if (flags & 0x10) b.writeUInt32BE(payload, 16);
    else b.writeUInt32LE(payload, 16);
    return b;
  };

  it('splits two PDUs read at once, and joins one read in pieces', () => {
    const f = new PduFramer();
    const two = Buffer.concat([pdu(8), pdu(12, 0)]);
    expect(f.push(two).map((p) => p.length)).toEqual([28, 32]);
    const one = pdu(40);
    expect(f.push(one.subarray(0, 5))).toEqual([]);
    expect(f.push(one.subarray(5, 30))).toEqual([]);
    expect(f.push(one.subarray(30))).toEqual([one]);
  });
});

describe('--agentx address', () => {
  it('takes snmpd.conf agentXSocket syntax and refuses Unix sockets', () => {
    expect(parseAgentxAddress('tcp:127.0.0.1:705')).toEqual({ ok: true, address: { host: '127.0.0.1', port: 705 } });
    expect(parseAgentxAddress('localhost:7050')).toEqual({ ok: true, address: { host: 'localhost', port: 7050 } });
    expect(parseAgentxAddress('tcp:[::1]:705')).toEqual({ ok: true, address: { host: '::1', port: 705 } });
    expect(parseAgentxAddress('705')).toEqual({ ok: true, address: { host: '127.0.0.1', port: 705 } });
    expect(parseAgentxAddress('/var/agentx/master').ok).toBe(false);
    expect(parseAgentxAddress('unix:/var/agentx/master').ok).toBe(false);
    expect(parseAgentxAddress('tcp:host:0').ok).toBe(false);
    expect(parseAgentxAddress('tcp:host:70000').ok).toBe(false);
  });
});
