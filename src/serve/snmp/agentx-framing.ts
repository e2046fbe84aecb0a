// AgentX runs over a byte stream: one TCP read may hold half a PDU or several. The net-snmp package
// parses each read as exactly one PDU, so the subagent cuts the stream into PDUs first.
// Header (RFC 2741 6.1): 20 bytes, payload length in the last 4, in the byte order of flags bit 0x10.

const HEADER = 20;
const NETWORK_BYTE_ORDER = 0x10;

export class PduFramer {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds bytes read from the socket; returns every PDU now complete, header included. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const pdus: Buffer[] = [];
    while (this.pending.length >= HEADER) {
      const bigEndian = (this.pending[2]! & NETWORK_BYTE_ORDER) !== 0;
      const payload = bigEndian ? this.pending.readUInt32BE(16) : this.pending.readUInt32LE(16);
      const total = HEADER + payload;
      if (this.pending.length < total) break;
      pdus.push(this.pending.subarray(0, total));
      this.pending = this.pending.subarray(total);
    }
    return pdus;
  }
}
