// The --agentx option: where snmpd's AgentX master listens. Written the way snmpd.conf's
// agentXSocket writes it, `tcp:127.0.0.1:705`; the net-snmp package speaks AgentX over TCP only,
// so a Unix socket path is refused here rather than failing later.

export interface AgentxAddress {
  readonly host: string;
  readonly port: number;
}

export type ParsedAddress = { ok: true; address: AgentxAddress } | { ok: false; error: string };

export function parseAgentxAddress(text: string): ParsedAddress {
  const t = text.startsWith('tcp:') ? text.slice(4) : text;
  if (text.startsWith('unix:') || text.startsWith('/')) {
    return { ok: false, error: `--agentx ${text}: only TCP is supported (agentXSocket tcp:127.0.0.1:705 in snmpd.conf)` };
  }
  // [v6]:port, host:port, or a bare port on localhost.
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+)):([0-9]{1,5})$/.exec(t) ?? /^()()([0-9]{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) return { ok: false, error: `--agentx ${text}: expected tcp:HOST:PORT, e.g. tcp:127.0.0.1:705` };
  return { ok: true, address: { host: m[1] || m[2] || '127.0.0.1', port } };
}
