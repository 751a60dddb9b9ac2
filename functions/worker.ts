/**
 * Service Bus queue trigger (sessions: session = account, so one account is reconciled at a time,
 * in order): runs the flow-through reconcile for each kick. A throw abandons the message; Service Bus
 * redelivers it and dead-letters it after maxDeliveryCount, which the sweeper turns into `failed`.
 */
import { logEvent, withInvocationLog, withLogContext } from '../shared/log/logger';
import type { InvocationContext } from '@azure/functions';
import { parseKick, sessionOf } from '../shared/flowthrough/kicks';
import { handleKick } from '../shared/flowthrough/worker';
import { observeReconcileRun } from '../shared/telemetry/runs';

export async function flowthroughWorker(message: unknown, context: InvocationContext): Promise<void> {
  await withInvocationLog(context, { operation: 'flowthroughWorker' }, async () => {
    const kick = parseKick(message);
    // Every line of this run (reconcile, Operator Connect calls, DNS) names the account it is for.
    await withLogContext(kick.kind === 'account' ? { accountName: kick.accountName } : {}, async () => {
      const started = Date.now();
      // The run continues the trace the kick carried (docs/observability.md).
      const subject = { kind: kick.kind, reason: kick.reason, account: kick.kind === 'account' ? kick.accountName : sessionOf(kick) };
      const outcome = await observeReconcileRun(subject, context.triggerMetadata?.applicationProperties, () => handleKick(kick));
      logEvent('debug', 'flowthrough.run', { session: sessionOf(kick), reason: kick.reason, outcome, deliveryCount: context.triggerMetadata?.deliveryCount, ms: Date.now() - started });
    });
  });
}
