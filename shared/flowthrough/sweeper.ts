/**
 * The flow-through half of the sweeper timer (architecture invariant 4: nothing stays pending):
 * - dead-lettered kicks: their account's pending resources become `failed`, with the reason;
 * - resources `pending` past a bound get a fresh kick (lost message, crashed instance); past the
 *   give-up bound they become `failed` (ProvisioningTimedOut) instead of pending forever;
 * - DNS drift: Direct Routing records changed behind our back show as `inconsistent`, and a repair
 *   kick follows after a delay (so the operator can see what happened);
 * - consents are pulled from Operator Connect into requests for information (registered by the
 *   RFI module).
 */
import { logEvent } from '../log/logger';
import type { ErrorDetail } from '../contract/errors';
import type { AccountDoc } from '../domain/types';
import { readAccount } from '../store/accountStore';
import { readAccountNumbers, writeAccountResult, writeNumberResults } from '../store/backendWrites';
import { pendingChanges, settledDirectRoutingAccounts } from '../store/sweepQueries';
import { flowSettings, type FlowSettings } from './config';
import { dnsPort } from './dns/dnsConfig';
import type { DnsPort } from './dns/port';
import { desiredTxtRecordsOf, subdomainStatusOf } from './dns/records';
import { kickAccount, kickTransport } from './kicks';
import { config } from '../config';
import { SERVICES } from '../domain/services';
import { recordDeadLetteredKick, setPendingNumbers } from '../telemetry/metrics';

export interface SweepReport {
  deadLettered: number;
  rekicked: number;
  timedOut: number;
  dnsDrift: number;
  consents: number;
}

type ConsentPuller = () => Promise<number>;
let consentPuller: ConsentPuller | undefined;
export function setConsentPuller(puller: ConsentPuller): void {
  consentPuller = puller;
}

/** Every pending number and the account (if pending) become failed with this error. */
export async function failPending(accountName: string, error: ErrorDetail): Promise<void> {
  const account = await readAccount(accountName);
  if (account === undefined) return;
  const numbers = await readAccountNumbers(accountName);
  const failed = [...numbers.values()].filter((s) => s.record.backend.status === 'pending').map((stored) => ({ stored, backend: { status: 'failed' as const, errors: [error] } }));
  await writeNumberResults(accountName, failed);
  if (account.backend.status === 'pending') await writeAccountResult(account.doc, { backend: { status: 'failed', errors: [error] }, subdomainStatus: account.subdomainStatus });
}

async function takeDeadLetters(): Promise<number> {
  const transport = kickTransport();
  if (transport === undefined) return 0;
  let count = 0;
  for (let batch = await transport.takeDeadLetters(100); batch.length > 0; batch = await transport.takeDeadLetters(100)) {
    for (const letter of batch) {
      count++;
      logEvent('warn', 'flowthrough.deadLettered', { kick: letter.kick, reason: letter.reason, description: letter.description });
      recordDeadLetteredKick(letter.reason);
      if (letter.kick?.kind !== 'account') continue;
      await failPending(letter.kick.accountName, {
        code: 'FlowThroughDeadLettered',
        message: `Provisioning gave up after repeated failures (${letter.reason}): ${letter.description}`.slice(0, 1000),
      });
    }
  }
  return count;
}

/**
 * Oldest pending change per account: accounts themselves and their numbers (from the projection).
 * On the way, the pending numbers per service and the age of each service's oldest, for the
 * `numbers.pending` gauges (every service reported, 0 when none is pending).
 */
async function pendingAges(now: number): Promise<Map<string, number>> {
  const oldest = new Map<string, number>();
  const byService: Record<string, { count: number; oldestAgeSeconds: number }> = Object.fromEntries(SERVICES.map((s) => [s, { count: 0, oldestAgeSeconds: 0 }]));
  for await (const { accountName, lastModified, services } of pendingChanges()) {
    const at = Date.parse(String(lastModified)) || 0;
    oldest.set(accountName, Math.min(oldest.get(accountName) ?? Number.MAX_SAFE_INTEGER, at));
    for (const service of services ?? []) {
      const entry = byService[service] as { count: number; oldestAgeSeconds: number };
      entry.count++;
      entry.oldestAgeSeconds = Math.max(entry.oldestAgeSeconds, Math.max(0, now - at) / 1000);
    }
  }
  setPendingNumbers(byService);
  return oldest;
}

async function rekickStuck(settings: FlowSettings, now: number): Promise<{ rekicked: number; timedOut: number }> {
  let rekicked = 0;
  let timedOut = 0;
  for (const [accountName, since] of await pendingAges(now)) {
    const age = now - since;
    if (age >= settings.giveUpAfterMs) {
      timedOut++;
      await failPending(accountName, { code: 'ProvisioningTimedOut', message: `The backend did not confirm the change within ${Math.round(settings.giveUpAfterMs / 60_000)} minutes.` });
    } else if (age >= settings.stuckAfterMs) {
      rekicked++;
      await kickAccount(accountName, 'sweep');
    }
  }
  return { rekicked, timedOut };
}

async function auditDns(dns: DnsPort, settings: FlowSettings): Promise<number> {
  let drift = 0;
  for await (const account of settledDirectRoutingAccounts()) {
    const desired = desiredTxtRecordsOf(account.doc as AccountDoc, config().drBaseDomain);
    if (desired.length === 0) continue;
    const published = await dns.read(desired.map((r) => r.fqdn));
    const status = subdomainStatusOf(desired, published);
    if (status === account.subdomainStatus) continue;
    drift++;
    logEvent('warn', 'flowthrough.dnsDrift', { accountName: account.doc.name, recorded: account.subdomainStatus, found: status });
    await writeAccountResult(account.doc, { backend: account.backend, subdomainStatus: status });
    await kickAccount(account.doc.name, 'sweep', settings.dnsDriftRepairDelayMs);
  }
  return drift;
}

export async function sweepFlowthrough(now = Date.now()): Promise<SweepReport> {
  const settings = flowSettings();
  const deadLettered = await takeDeadLetters();
  const { rekicked, timedOut } = await rekickStuck(settings, now);
  const dnsDrift = await auditDns(dnsPort(), settings);
  const consents = consentPuller === undefined ? 0 : await consentPuller();
  return { deadLettered, rekicked, timedOut, dnsDrift, consents };
}
