import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn daemons and snmpd; they share nothing but the machine's two cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
