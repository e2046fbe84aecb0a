// Where NET-SNMP puts the output of `exec` and `extend` lines, computed rather than looked up in MIB
// files, so the tests need no MIBs and a wrong number fails.

/** UCD-SNMP-MIB::extOutput.N: the N-th `exec` line (1-based, in config order). */
export const UCD_EXT_OUTPUT = '.1.3.6.1.4.1.2021.8.1.101';
/** UCD-SNMP-MIB::extResult.N: the exit code of the N-th `exec` line. */
export const UCD_EXT_RESULT = '.1.3.6.1.4.1.2021.8.1.100';
/** NET-SNMP-EXTEND-MIB::nsExtendOutput1Line, indexed by the extend name as a length-prefixed string. */
export const NS_EXTEND_OUTPUT_1LINE = '.1.3.6.1.4.1.8072.1.3.2.3.1.1';
/** NET-SNMP-EXTEND-MIB::nsExtendResult. */
export const NS_EXTEND_RESULT = '.1.3.6.1.4.1.8072.1.3.2.3.1.4';

/** A string index as SMIv2 encodes it (not IMPLIED): its length, then one sub-identifier per byte. */
export function stringIndex(s: string): string {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [bytes.length, ...bytes].join('.');
}

export function extOutput(n: number): string {
  return `${UCD_EXT_OUTPUT}.${n}`;
}

export function extendOutput(name: string): string {
  return `${NS_EXTEND_OUTPUT_1LINE}.${stringIndex(name)}`;
}
