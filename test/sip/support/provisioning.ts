/** Accounts and numbers for the SIP tests, written through the Provisioning API. */
import type { ApiClient } from '../../support/apiClient';

export const TENANT = '7d2c5c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

export const directRouting = (subdomain: string, callScreening: boolean) => ({
  syncEnabled: false,
  enabled: true,
  configuration: { callScreening, subdomain, subdomainTokens: { region1Token: 'r1-token', region2Token: 'r2-token' } },
});
export const enabled = { syncEnabled: false, enabled: true };

export async function putAccount(api: ApiClient, name: string, serviceDetails: Record<string, unknown>): Promise<void> {
  const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT account ${name}: ${res.status} ${res.text}`);
}

export async function putNumber(api: ApiClient, account: string, telephoneNumber: string, services: readonly string[], header?: string): Promise<void> {
  const body = {
    telephoneNumber,
    accountName: account,
    serviceDetails: Object.fromEntries(services.map((s) => [s, { enabled: true }])),
    ...(header !== undefined ? { configuration: { customSipHeader: header } } : {}),
  };
  const res = await api.put(`/accounts/${account}/numbers/${telephoneNumber}`, { json: body });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT number ${telephoneNumber}: ${res.status} ${res.text}`);
}

export async function deleteNumber(api: ApiClient, account: string, telephoneNumber: string): Promise<void> {
  const res = await api.delete(`/accounts/${account}/numbers/${telephoneNumber}`);
  if (res.status !== 200 && res.status !== 204) throw new Error(`DELETE number ${telephoneNumber}: ${res.status} ${res.text}`);
}
