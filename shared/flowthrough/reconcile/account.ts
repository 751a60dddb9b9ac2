/**
 * The level-triggered reconcile of one account (one Service Bus session at a time): load the
 * desired state from the tables, converge Operator Connect / Teams Phone Mobile and DNS towards it,
 * record per-resource status, and schedule a follow-up while anything is in flight. A kick carries
 * no state, so duplicates and losses are harmless; a crash anywhere is finished by redelivery.
 */
import type { BackendState } from '../../domain/types';
import { readAccount } from '../../store/accountStore';
import { readAccountNumbers, writeAccountResult, writeNumberResults, type NumberResult } from '../../store/backendWrites';
import { step } from '../../store/steps';
import { subdomainOwner } from '../../store/subdomains';
import { forgetAccount, readAccountMemory, writeAccountMemory } from '../../store/flowState';
import type { FlowSettings } from '../config';
import type { DnsPort } from '../dns/port';
import type { KickReason } from '../kicks';
import type { OperatorConnect } from '../oc/port';
import { reconcileDns } from './directRouting';
import { reconcileOperatorConnect } from './operatorConnect';

export interface WorkerDeps {
  readonly oc: OperatorConnect | undefined;
  readonly dns: DnsPort;
  readonly settings: FlowSettings;
  readonly baseDomain: string;
  readonly kick: (accountName: string, reason: KickReason, delayMs: number) => Promise<void>;
  readonly now?: () => Date;
}

/** Clocks of the API and worker instances may differ by this much. */
const CLOCK_SKEW_MS = 2_000;

const sameBackend = (a: BackendState, b: BackendState) =>
  a.status === b.status && JSON.stringify(a.errors) === JSON.stringify(b.errors) && JSON.stringify(a.readBack) === JSON.stringify(b.readBack);

export type RunOutcome = 'skipped' | 'done';

/**
 * @param due when the kick asked to be looked at (its send time, or a follow-up's due time): a run
 *   that started after it has already seen everything the kick stands for.
 */
export async function reconcileAccount(accountName: string, due: string, deps: WorkerDeps): Promise<RunOutcome> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const memory = await readAccountMemory(accountName);
  if (memory.lastRunStartedAt !== '' && Date.parse(due) + CLOCK_SKEW_MS < Date.parse(memory.lastRunStartedAt)) return 'skipped';

  const account = await readAccount(accountName);
  const numbers = account === undefined ? new Map() : await readAccountNumbers(accountName);
  step('reconcile.loaded');

  const oc = await reconcileOperatorConnect({ accountName, account: account?.doc, numbers, oc: deps.oc, settings: deps.settings, now: started });
  const results: NumberResult[] = [];
  for (const [n, stored] of numbers) {
    const backend = oc.backends.get(n);
    if (backend !== undefined && !sameBackend(backend, stored.record.backend)) results.push({ stored, backend });
  }
  await writeNumberResults(accountName, results, now());
  step('reconcile.numbersWritten');

  const dns = await reconcileDns(
    account?.doc,
    memory.dnsNames,
    deps.dns,
    deps.baseDomain,
    (names) => writeAccountMemory(accountName, { ...memory, dnsNames: names }),
    async (fqdn) => {
      const owner = await subdomainOwner(fqdn.split('.')[0] ?? '');
      return owner !== undefined && owner !== accountName;
    },
  );
  step('reconcile.dnsPublished');

  if (account !== undefined) {
    const errors = [...oc.accountErrors, ...(dns.error !== undefined ? [dns.error] : [])];
    const waiting = dns.transient === true || (oc.retryAfterMs !== undefined && oc.accountErrors.length === 0);
    const backend: BackendState = errors.length > 0 && !waiting ? { status: 'failed', errors } : waiting ? { status: 'pending', errors: [] } : { status: 'synced', errors: [] };
    await writeAccountResult(account.doc, { backend, subdomainStatus: dns.subdomainStatus }, now());
  }
  step('reconcile.accountWritten');

  const delays = [oc.retryAfterMs, dns.retryAfterMs, oc.inFlight ? deps.settings.followUpMs : undefined].filter((d): d is number => d !== undefined);
  if (delays.length > 0) await deps.kick(accountName, delays.length > 0 && oc.retryAfterMs !== undefined ? 'retry' : 'followUp', Math.min(...delays));

  if (account === undefined && dns.dnsNames.length === 0 && oc.managedLeft === 0) {
    await forgetAccount(accountName);
  } else {
    await writeAccountMemory(accountName, { dnsNames: dns.dnsNames, lastRunStartedAt: started.toISOString() });
  }
  return 'done';
}
