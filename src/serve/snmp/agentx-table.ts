// The counter table as the net-snmp package describes it: the registration the subagent sends, and
// how answers (table.ts cells and exceptions) become the package's varbinds.
import snmp, { type TableProvider } from 'net-snmp';
import type { Answer } from './agentx-answer.js';
import { formatOid, type Oid } from './oid.js';
import { COLUMN } from './table.js';

export const TABLE = 'pfsCounterTable';

/** The region registered with snmpd: pfsCounterEntry (base.1), so nothing else under base is claimed. */
export function tableProvider(base: Oid): TableProvider {
  const ro = snmp.MaxAccess['read-only'];
  return {
    name: TABLE,
    type: snmp.MibProviderType.Table,
    // The package puts column N of a table provider at provider.oid.N: the entry, table.1.
    oid: formatOid([...base, 1]).slice(1),
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      { number: COLUMN.index, name: 'pfsCounterIndex', type: snmp.ObjectType.Integer, maxAccess: ro },
      { number: COLUMN.name, name: 'pfsCounterName', type: snmp.ObjectType.OctetString, maxAccess: ro },
      { number: COLUMN.value, name: 'pfsCounterValue', type: snmp.ObjectType.Counter64, maxAccess: ro },
      { number: COLUMN.value32, name: 'pfsCounterValue32', type: snmp.ObjectType.Counter, maxAccess: ro },
      { number: COLUMN.host, name: 'pfsCounterHost', type: snmp.ObjectType.OctetString, maxAccess: ro },
      { number: COLUMN.instance, name: 'pfsCounterInstance', type: snmp.ObjectType.OctetString, maxAccess: ro },
    ],
    tableIndex: [{ columnName: 'pfsCounterIndex' }],
  };
}

/** SNMP type tags (RFC 2741 5.4), the numbers the package's encoder switches on. */
const TYPE = {
  integer: 2,
  string: 4,
  counter: 65,
  counter64: 70,
  noSuchObject: 128,
  noSuchInstance: 129,
  endOfMibView: 130,
} as const;

export interface PackageVarbind {
  oid: string;
  type: number;
  value: number | string | bigint | null;
}

/**
 * Counter64 stays a bigint: the package's AgentX encoder writes BigInt(value), exact for a bigint
 * (a JavaScript number would already have lost the bits above 2^53; an 8-byte Buffer makes
 * BigInt() throw in this encoder). The README (section SNMP) has the measurements.
 */
export function toVarbind(a: Answer): PackageVarbind {
  const oid = a.oid.join('.');
  return 'value' in a ? { oid, type: TYPE[a.type], value: a.value } : { oid, type: TYPE[a.type], value: null };
}
