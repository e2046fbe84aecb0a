// Stands in for src/report/from-store.ts and from-logs.ts (written on another branch) when
// main.test.ts bundles daemon/report.ts: PFS_STUB picks what the input does.
import { summary } from '../summary-fixture.js';
import type { Period } from '../../../src/report/period.js';
import type { Summary } from '../../../src/report/summary.js';

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

function answer(seen: unknown): Summary {
  process.stderr.write(`stub-called ${JSON.stringify(seen)}\n`);
  switch (process.env.PFS_STUB) {
    case 'missing': throw new ReportInputError('no history in /nonexistent', 66);
    case 'damaged': throw new ReportInputError('history file damaged', 74);
    case 'crash': throw new TypeError('boom');
    default: return summary();
  }
}

export function summaryFromStore(dir: string, period: Period): Summary {
  return answer({ dir, label: period.label });
}

export async function summaryFromLogs(inputs: readonly string[], period: Period | null, filters: { filterRelays: ReadonlySet<string> }, tz: string): Promise<Summary> {
  return answer({ inputs, label: period?.label ?? null, relays: [...filters.filterRelays], tz });
}
