// The small part of the untyped `net-snmp` package that agentx.ts uses.
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export interface AgentXResponse {
    readonly error: number;
  }
  export type AgentXCallback = (error: Error | null, pdu: AgentXResponse) => void;

  export interface TableColumn {
    number: number;
    name: string;
    type: number;
    maxAccess: number;
  }
  export interface TableProvider {
    name: string;
    type: number;
    oid: string;
    maxAccess: number;
    tableColumns: TableColumn[];
    tableIndex: { columnName: string }[];
  }

  export interface Mib {
    addTableRow(table: string, row: unknown[]): void;
    setTableSingleCell(table: string, column: number, rowIndex: unknown[], value: unknown): void;
    deleteTableRow(table: string, rowIndex: unknown[]): boolean;
  }

  export interface Subagent extends EventEmitter {
    socket: Socket;
    getMib(): Mib;
    open(callback: AgentXCallback): void;
    close(callback?: AgentXCallback): void;
    ping(callback: AgentXCallback): void;
    registerProvider(provider: TableProvider, callback: AgentXCallback): void;
    getRequest(pdu: unknown): void;
    getNextRequest(pdu: unknown): void;
    getBulkRequest(pdu: unknown): void;
  }

  const snmp: {
    createSubagent(options: { master: string; masterPort: number; description?: string; timeout?: number }): Subagent;
    ObjectType: { Integer: number; OctetString: number; Counter: number; Counter32: number; Counter64: number };
    MibProviderType: { Table: number; Scalar: number };
    MaxAccess: Record<'not-accessible' | 'read-only' | 'read-write', number>;
  };
  export default snmp;
}
