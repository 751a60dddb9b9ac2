/**
 * Teams tenant ids (docs/api.md "Teams tenant ids"): stored and returned as the client sent them,
 * compared without regard to case everywhere else: the accounts filter, the D15 tenant lock, the
 * RFI lookups and filter, the consent → account match and every Operator Connect call (the
 * simulator, like a strict server, only knows the lower-case form it was seeded with).
 */
import { SIM_ADDRESSES, SIM_TENANT_GB, SIM_TENANT_US } from '../../dev/ocSimulator';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { numberRange, ocAccount, ocNumber, settled } from '../support/ocFixtures';

const MIXED = 'AbCdEf01-2345-4678-9aBc-DEF012345678';
const UPPER_US = SIM_TENANT_US.toUpperCase();
const UPPER_GB = SIM_TENANT_GB.toUpperCase();

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  expect(UPPER_US).not.toBe(SIM_TENANT_US);
});
afterAll(() => host.stop());

const zoomAndTenant = (name: string, teamsTenantId: string) => ({
  name,
  serviceDetails: { teamsTenantId, zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } },
});

async function namesMatching(filter: string): Promise<string[]> {
  const res = await api.get('/accounts', { query: { filter, countRecords: true } });
  expect(res.status).toBe(200);
  const names = res.body.value.map((a: { name: string }) => a.name);
  expect(res.headers.get('x-ms-record-count')).toBe(String(names.length));
  return names.sort();
}

describe('accounts', () => {
  beforeAll(async () => {
    expect((await api.put('/accounts/t-mixed', { json: zoomAndTenant('t-mixed', MIXED) })).status).toBe(201);
    // What every account written before this change holds: the id lower-cased, in the document and the column.
    expect((await api.put('/accounts/t-lower', { json: zoomAndTenant('t-lower', MIXED.toLowerCase()) })).status).toBe(201);
    expect((await api.put('/accounts/t-other', { json: zoomAndTenant('t-other', '11111111-2222-4333-8444-555555555555') })).status).toBe(201);
  });

  it('returns teamsTenantId as it was sent', async () => {
    expect((await api.get('/accounts/t-mixed')).body.serviceDetails.teamsTenantId).toBe(MIXED);
    expect((await api.get('/accounts/t-lower')).body.serviceDetails.teamsTenantId).toBe(MIXED.toLowerCase());
  });

  it('filters on teamsTenantId without regard to case, whichever spelling was stored', async () => {
    for (const literal of [MIXED, MIXED.toLowerCase(), MIXED.toUpperCase()]) {
      expect(await namesMatching(`serviceDetails/teamsTenantId eq '${literal}'`)).toEqual(['t-lower', 't-mixed']);
      expect(await namesMatching(`startswith(serviceDetails/teamsTenantId, '${literal.slice(0, 13)}')`)).toEqual(['t-lower', 't-mixed']);
      expect(await namesMatching(`serviceDetails/teamsTenantId ne '${literal}' and serviceDetails/teamsTenantId ne ''`)).not.toContain('t-mixed');
    }
  });

  it('lets the tenant change case (same tenant) while Operator Connect numbers exist, but not change tenant', async () => {
    const name = 't-lock';
    const account = (tenant: string) => ({ name, serviceDetails: { teamsTenantId: tenant, teamsOperatorConnect: { enabled: true, syncEnabled: false } } });
    expect((await api.put(`/accounts/${name}`, { json: account(MIXED.toLowerCase()) })).status).toBe(201);
    const [n] = numberRange('+14255580000', 1) as [string];
    expect((await api.put(`/accounts/${name}/numbers/${encodeURIComponent(n)}`, { json: ocNumber(name, n) })).status).toBe(201);

    const recased = await api.put(`/accounts/${name}`, { json: account(MIXED.toUpperCase()) });
    expect(recased.status).toBe(200);
    expect(recased.body.serviceDetails.teamsTenantId).toBe(MIXED.toUpperCase());
    const moved = await api.put(`/accounts/${name}`, { json: account('11111111-2222-4333-8444-555555555555') });
    expect({ status: moved.status, code: moved.body.error?.code }).toEqual({ status: 409, code: 'TenantIdLocked' });
  });
});

describe('Operator Connect', () => {
  it('answers the Teams operations of an account whose tenant id is upper-case', async () => {
    expect((await api.put('/accounts/t-us', { json: zoomAndTenant('t-us', UPPER_US) })).status).toBe(201);
    const plans = await api.post('/accounts/t-us:getTeamsCapabilityPlans', { json: {} });
    expect(plans.status).toBe(200);
    expect((await api.get('/accounts/t-us/teamsCivicAddresses')).status).toBe(200);
  });

  it('uploads the numbers of an account whose tenant id is upper-case into that tenant', async () => {
    expect((await api.put('/accounts/t-gb', { json: ocAccount('t-gb', UPPER_GB) })).status).toBe(201);
    const [n] = numberRange('+442071830000', 1) as [string];
    expect((await api.put(`/accounts/t-gb/numbers/${encodeURIComponent(n)}`, { json: ocNumber('t-gb', n, { civicAddressId: SIM_ADDRESSES.gbValidated }) })).status).toBe(201);
    expect(await settled(api, 't-gb')).toEqual({ synced: 1 });
    expect(host.sim.counters.ownerByNumber[n]).toBe(SIM_TENANT_GB);
  });
});

describe('requests for information', () => {
  beforeAll(async () => {
    await host.sweep();
  });

  it('match the consent to the account whatever case the account used', async () => {
    const rfi = await api.get(`/teamsRequestsForInformation/${SIM_TENANT_US}`);
    expect(rfi.status).toBe(200);
    expect(rfi.body.accountName).toBe('t-us');
  });

  it('are found by a tenant id in any case, in the path and in the filter', async () => {
    for (const id of [SIM_TENANT_US, UPPER_US]) {
      expect((await api.get(`/teamsRequestsForInformation/${id}`)).status).toBe(200);
      const list = await api.get('/teamsRequestsForInformation', { query: { filter: `tenantId eq '${id}'` } });
      expect(list.status).toBe(200);
      expect(list.body.value.map((r: { tenantId: string }) => r.tenantId)).toEqual([SIM_TENANT_US]);
    }
  });
});
