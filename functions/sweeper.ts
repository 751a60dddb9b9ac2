/**
 * Timer: finishes number writes whose writer died mid-way (intents older than the stale bound), and
 * runs the flow-through sweep (dead letters, stuck pending work, DNS drift, consents → RFIs).
 * Each part runs even if an earlier one failed; the first failure is rethrown for the host's log.
 */
import { logEvent, withInvocationLog } from '../shared/log/logger';
import type { InvocationContext, Timer } from '@azure/functions';
import { sweepFlowthrough } from '../shared/flowthrough/sweeper';
import { repairStaleIntents } from '../shared/provisioning/repair';

export function sweep(_timer: Timer, context: InvocationContext): Promise<void> {
  return withInvocationLog(context, { operation: 'sweeper' }, runSweep);
}

async function runSweep(): Promise<void> {
  const failures: unknown[] = [];
  const repaired = await repairStaleIntents().catch((err: unknown) => {
    failures.push(err);
    return 0;
  });
  const report = await sweepFlowthrough().catch((err: unknown) => {
    failures.push(err);
    return undefined;
  });
  if (repaired > 0 || (report !== undefined && Object.values(report).some((n) => n > 0))) {
    logEvent('info', 'sweeper.ran', { repairedIntents: repaired, ...report });
  }
  if (failures.length > 0) throw failures[0];
}
