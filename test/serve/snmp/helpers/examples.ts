// The shipped example configurations, with their installed paths swapped for the test's, so the
// tests run exactly the lines an admin copies. The helper's path is /usr/local/bin (a hand install)
// or /usr/bin (a package: postfix-stats.snmpd.conf).
import { readFileSync } from 'node:fs';
import { HELPER_SEA } from '../../../helpers/daemon.js';

export const EXAMPLES = 'snmp-helper/examples';

export function example(name: string, o: { db: string; agentxPort?: number; workDir?: string }): string {
  let text = readFileSync(`${EXAMPLES}/${name}`, 'utf8')
    .replaceAll('/usr/local/bin/postfix-stats-get', HELPER_SEA)
    .replaceAll('/usr/bin/postfix-stats-get', HELPER_SEA)
    .replaceAll('/var/lib/postfix-stats', o.db);
  if (o.agentxPort !== undefined) text = text.replaceAll('tcp:127.0.0.1:705', `tcp:127.0.0.1:${o.agentxPort}`);
  if (o.workDir !== undefined) text = text.replace(/^WorkDir:.*$/m, `WorkDir: ${o.workDir}`);
  // Lines an admin may enable: every line but prose comments ("# ...").
  const config = text.split('\n').filter((l) => !/^#( |$)/.test(l));
  if (config.some((l) => /\/usr\/local\/|\/usr\/bin\/|\/var\/lib\//.test(l))) throw new Error(`${name}: a path was not replaced`);
  return text;
}

export function exampleLines(name: string, o: Parameters<typeof example>[1]): string[] {
  return example(name, o).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
}
