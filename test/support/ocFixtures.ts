/** Bodies and helpers for flow-through tests against the Operator Connect simulator. */
import { SIM_ADDRESSES } from '../../dev/ocSimulator';
import type { ApiClient } from './apiClient';
import { eventually } from './flowthroughHost';

export const ocAccount = (name: string, tenantId: string, extra: Record<string, unknown> = {}) => ({
  name,
  serviceDetails: { teamsTenantId: tenantId, teamsOperatorConnect: { enabled: true, syncEnabled: true }, ...extra },
});

export const ocNumber = (accountName: string, telephoneNumber: string, configuration: Record<string, unknown> = {}) => ({
  telephoneNumber,
  accountName,
  serviceDetails: {
    teamsOperatorConnect: {
      enabled: true,
      configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'], civicAddressId: SIM_ADDRESSES.usValidated, ...configuration },
    },
  },
});

/** `count` consecutive numbers from `first` (E.164). */
export function numberRange(first: string, count: number): string[] {
  const start = BigInt(first.slice(1));
  return Array.from({ length: count }, (_, i) => `+${(start + BigInt(i)).toString()}`);
}

/** Uploads numbers through the API in batches of 100 (each one atomic request). */
export async function createNumbers(api: ApiClient, account: string, numbers: readonly string[], body = ocNumber): Promise<void> {
  for (let i = 0; i < numbers.length; i += 100) {
    const res = await api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers: numbers.slice(i, i + 100).map((n) => body(account, n)) } });
    if (res.status !== 200) throw new Error(`batch failed: ${res.status} ${res.text}`);
  }
}

/** Counts of the account's numbers per serviceProvisioningStatus. */
export async function statusCounts(api: ApiClient, account: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let res = await api.get(`/accounts/${account}/numbers`, { query: { maxpagesize: 1000 } });
  for (;;) {
    for (const n of res.body.value as { serviceProvisioningStatus: string }[]) counts[n.serviceProvisioningStatus] = (counts[n.serviceProvisioningStatus] ?? 0) + 1;
    if (!res.body.nextLink) return counts;
    res = await api.followNextLink(res.body.nextLink);
  }
}

/** Waits until no number of the account is pending; returns the final counts. */
export function settled(api: ApiClient, account: string, timeoutMs = 30_000): Promise<Record<string, number>> {
  return eventually(
    async () => {
      const counts = await statusCounts(api, account);
      return counts.pending === undefined ? counts : undefined;
    },
    timeoutMs,
    async () => JSON.stringify(await statusCounts(api, account)),
  );
}
