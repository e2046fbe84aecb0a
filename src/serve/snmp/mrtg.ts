// MRTG's external-script answer: four lines, in, out, uptime, target name.

/** "12 days, 3:04:05", the way snmp-based MRTG targets show sysUpTime. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  const clock = `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

export function formatMrtg(inValue: bigint, outValue: bigint, uptimeSeconds: number, name: string): string {
  return `${inValue}\n${outValue}\n${formatUptime(uptimeSeconds)}\n${name}\n`;
}
