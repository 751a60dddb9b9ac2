/**
 * Nothing stays pending (architecture invariant 4), for RFIs too: at every sweep a customer
 * relationship still pending after FLOWTHROUGH_STUCK_AFTER_MS gets a fresh kick (lost message,
 * crashed worker), and after FLOWTHROUGH_GIVE_UP_AFTER_MS it becomes `failed` (ProvisioningTimedOut).
 */
import { flowSettings } from '../flowthrough/config';
import { kickRfi } from '../flowthrough/kicks';
import { readRfis } from '../store/rfiStore';
import { recordPushOutcome } from './rfiPush';

export async function superviseRfiPushes(now: number): Promise<{ rekicked: number; timedOut: number }> {
  const settings = flowSettings();
  let rekicked = 0;
  let timedOut = 0;
  for (const record of await readRfis(`provisioningStatus eq 'pending'`)) {
    const since = Date.parse(record.desiredAt ?? '') || record.lastModified.getTime();
    const age = now - since;
    if (age >= settings.giveUpAfterMs) {
      const recorded = await recordPushOutcome(record.tenantId, record.desiredVersion, {
        status: 'failed',
        error: {
          code: 'ProvisioningTimedOut',
          message: `Operator Connect did not confirm the customer relationship within ${Math.round(settings.giveUpAfterMs / 60_000)} minutes.`,
          target: 'customerRelationship',
        },
      });
      if (recorded) timedOut++;
    } else if (age >= settings.stuckAfterMs) {
      rekicked++;
      await kickRfi(record.tenantId, 'sweep');
    }
  }
  return { rekicked, timedOut };
}
