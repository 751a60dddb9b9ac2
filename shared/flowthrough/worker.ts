/** What the queue-triggered function runs for one kick: the account reconcile (or an RFI push). */
import { config } from '../config';
import { flowSettings } from './config';
import { dnsPort } from './dns/dnsConfig';
import { kickAccount, type Kick } from './kicks';
import { operatorConnect } from './ocInstance';
import { reconcileAccount, type RunOutcome, type WorkerDeps } from './reconcile/account';

export function workerDeps(): WorkerDeps {
  return {
    oc: operatorConnect(),
    dns: dnsPort(),
    settings: flowSettings(),
    baseDomain: config().drBaseDomain,
    kick: (accountName, reason, delayMs) => kickAccount(accountName, reason, delayMs),
  };
}

type RfiHandler = (tenantId: string) => Promise<void>;
let rfiHandler: RfiHandler | undefined;
/** The RFI module registers how a customer-relationship change is pushed. */
export function setRfiHandler(handler: RfiHandler): void {
  rfiHandler = handler;
}

export async function handleKick(kick: Kick): Promise<RunOutcome> {
  if (kick.kind === 'rfi') {
    if (rfiHandler === undefined) throw new Error('no RFI handler is registered');
    await rfiHandler(kick.tenantId);
    return 'done';
  }
  return reconcileAccount(kick.accountName, kick.sentAt, workerDeps());
}
