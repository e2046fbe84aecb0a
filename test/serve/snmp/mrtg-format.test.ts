import { describe, expect, it } from 'vitest';
import { formatMrtg, formatUptime } from '../../../src/serve/snmp/mrtg.js';

describe("MRTG's external-script answer", () => {
  it('is four lines: in, out, uptime, name; counters exact above 2^53', () => {
    expect(formatMrtg(166n, 2n ** 60n, 90061, 'postfix on mx')).toBe(`166\n${2n ** 60n}\n1 day, 1:01:01\npostfix on mx\n`);
  });

  it('shows uptime like sysUpTime', () => {
    expect(formatUptime(59)).toBe('0:00:59');
    expect(formatUptime(3 * 86400 + 3600)).toBe('3 days, 1:00:00');
  });
});
