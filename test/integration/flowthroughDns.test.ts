/**
 * Direct Routing DNS through flow-through (D5): an account's two TXT records appear, change and
 * disappear with the account; subdomainStatus reports what is actually published, including drift
 * made behind the worker's back (found by the sweeper's audit, repaired after the configured delay).
 */
import { alterLocalDnsRecord, listLocalDnsRecords } from '../../shared/flowthrough/dns/localDnsStore';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';

const BASE = 'example.commsgw.azure.com';
let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost({ env: { FLOWTHROUGH_DNS_DRIFT_REPAIR_DELAY_MS: '1500', DR_BASE_DOMAIN: BASE } });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());

const drAccount = (name: string, subdomain: string, r1: string, r2: string, enabled = true) => ({
  name,
  serviceDetails: {
    teamsTenantId: '0d000000-0000-4000-8000-000000000001',
    teamsDirectRouting: { syncEnabled: false, enabled, configuration: { callScreening: true, subdomain, subdomainTokens: { region1Token: r1, region2Token: r2 } } },
  },
});

async function accountState(name: string): Promise<{ status: string; subdomainStatus: string } | undefined> {
  const res = await api.get(`/accounts/${name}`);
  if (res.status !== 200) return undefined;
  return { status: res.body.serviceProvisioningStatus, subdomainStatus: res.body.serviceDetails.teamsDirectRouting.subdomainStatus };
}

async function records(label: string): Promise<Record<string, string[]>> {
  const all = await listLocalDnsRecords();
  return Object.fromEntries([...all].filter(([name]) => name.startsWith(`${label}.`)).sort());
}

const until = async (name: string, want: { status?: string; subdomainStatus: string }) =>
  eventually(
    async () => {
      const s = await accountState(name);
      return s !== undefined && s.subdomainStatus === want.subdomainStatus && (want.status === undefined || s.status === want.status) ? s : undefined;
    },
    15_000,
    async () => JSON.stringify(await accountState(name)),
  );

test('records are published for a new DR account: notProvisioned on the write, provisioned once published', async () => {
  const put = await api.put('/accounts/dns-a', { json: drAccount('dns-a', 'dnsa', 'tok-a1', 'tok-a2') });
  expect(put.status).toBe(201);
  expect(put.body.serviceDetails.teamsDirectRouting.subdomainStatus).toBe('notProvisioned');
  expect(put.body.serviceProvisioningStatus).toBe('pending');
  await until('dns-a', { status: 'synced', subdomainStatus: 'provisioned' });
  expect(await records('dnsa')).toEqual({ [`dnsa.1r1.${BASE}`]: ['tok-a1'], [`dnsa.1r2.${BASE}`]: ['tok-a2'] });
});

test('changed tokens replace the published values', async () => {
  await api.put('/accounts/dns-b', { json: drAccount('dns-b', 'dnsb', 'old-1', 'old-2') });
  await until('dns-b', { status: 'synced', subdomainStatus: 'provisioned' });
  const put = await api.put('/accounts/dns-b', { json: drAccount('dns-b', 'dnsb', 'new-1', 'new-2') });
  expect(put.status).toBe(200);
  await eventually(async () => ((await records('dnsb'))[`dnsb.1r1.${BASE}`]?.[0] === 'new-1' ? true : undefined), 15_000);
  await until('dns-b', { status: 'synced', subdomainStatus: 'provisioned' });
  expect(await records('dnsb')).toEqual({ [`dnsb.1r1.${BASE}`]: ['new-1'], [`dnsb.1r2.${BASE}`]: ['new-2'] });
});

test('a new subdomain label withdraws the old names and publishes the new ones', async () => {
  await api.put('/accounts/dns-c', { json: drAccount('dns-c', 'dnsc', 'c1', 'c2') });
  await until('dns-c', { subdomainStatus: 'provisioned' });
  await api.put('/accounts/dns-c', { json: drAccount('dns-c', 'dnsc2', 'c1', 'c2') });
  await eventually(async () => (Object.keys(await records('dnsc')).length === 0 ? true : undefined), 15_000);
  expect(await records('dnsc2')).toEqual({ [`dnsc2.1r1.${BASE}`]: ['c1'], [`dnsc2.1r2.${BASE}`]: ['c2'] });
  await until('dns-c', { status: 'synced', subdomainStatus: 'provisioned' });
});

test('drift behind the worker\'s back shows as inconsistent after the sweep, then is repaired', async () => {
  await api.put('/accounts/dns-d', { json: drAccount('dns-d', 'dnsd', 'd1', 'd2') });
  await until('dns-d', { status: 'synced', subdomainStatus: 'provisioned' });
  await alterLocalDnsRecord(`dnsd.1r2.${BASE}`, ['tampered']);
  await host.sweep();
  expect((await accountState('dns-d'))?.subdomainStatus).toBe('inconsistent');
  await until('dns-d', { subdomainStatus: 'provisioned' });
  expect(await records('dnsd')).toEqual({ [`dnsd.1r1.${BASE}`]: ['d1'], [`dnsd.1r2.${BASE}`]: ['d2'] });
});

test('a deleted record set is drift too: one of two names missing is inconsistent', async () => {
  await api.put('/accounts/dns-e', { json: drAccount('dns-e', 'dnse', 'e1', 'e2') });
  await until('dns-e', { subdomainStatus: 'provisioned' });
  await alterLocalDnsRecord(`dnse.1r1.${BASE}`, undefined);
  await host.sweep();
  expect((await accountState('dns-e'))?.subdomainStatus).toBe('inconsistent');
  await until('dns-e', { subdomainStatus: 'provisioned' });
});

test('disabling Direct Routing withdraws the records: notProvisioned', async () => {
  await api.put('/accounts/dns-f', { json: drAccount('dns-f', 'dnsf', 'f1', 'f2') });
  await until('dns-f', { subdomainStatus: 'provisioned' });
  const put = await api.put('/accounts/dns-f', { json: drAccount('dns-f', 'dnsf', 'f1', 'f2', false) });
  expect(put.status).toBe(200);
  await eventually(async () => (Object.keys(await records('dnsf')).length === 0 ? true : undefined), 15_000);
  await until('dns-f', { status: 'synced', subdomainStatus: 'notProvisioned' });
});

test('deleting the account withdraws its records', async () => {
  await api.put('/accounts/dns-g', { json: drAccount('dns-g', 'dnsg', 'g1', 'g2') });
  await until('dns-g', { subdomainStatus: 'provisioned' });
  expect(Object.keys(await records('dnsg'))).toHaveLength(2);
  expect((await api.delete('/accounts/dns-g')).status).toBe(204);
  await eventually(async () => (Object.keys(await records('dnsg')).length === 0 ? true : undefined), 15_000);
});

test('a label handed to another account is not removed by its previous owner', async () => {
  await api.put('/accounts/dns-h', { json: drAccount('dns-h', 'dnsh', 'h1', 'h2') });
  await until('dns-h', { subdomainStatus: 'provisioned' });
  // dns-h moves to a new label; dns-i takes the old one at once.
  await api.put('/accounts/dns-h', { json: drAccount('dns-h', 'dnsh2', 'h1', 'h2') });
  const taken = await api.put('/accounts/dns-i', { json: drAccount('dns-i', 'dnsh', 'i1', 'i2') });
  expect(taken.status).toBe(201);
  await until('dns-h', { status: 'synced', subdomainStatus: 'provisioned' });
  await until('dns-i', { status: 'synced', subdomainStatus: 'provisioned' });
  expect(await records('dnsh')).toEqual({ [`dnsh.1r1.${BASE}`]: ['i1'], [`dnsh.1r2.${BASE}`]: ['i2'] });
});
