/**
 * Civic addresses (docs/teams.md): read through from Operator Connect for the account's Teams tenant, in the
 * contract's shape, paged per D13; the failure mapping of Teams pass-throughs (OC down → 503 with
 * Retry-After, OC refusing our credentials → 502, OC rejecting the question → 400 with OC's code).
 */
import { SIM_ADDRESSES, SIM_LOCATIONS, SIM_OPERATOR_ID, SIM_TENANT_US, SIM_TENANT_WITHOUT_CONSENT } from '../../dev/ocSimulator';
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  for (const [name, serviceDetails] of [
    ['civ-us', { teamsTenantId: SIM_TENANT_US, teamsOperatorConnect: { syncEnabled: false, enabled: true } }],
    ['civ-none', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } }],
    ['civ-noconsent', { teamsTenantId: SIM_TENANT_WITHOUT_CONSENT }],
  ] as const) {
    const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
    expect(res.status).toBe(201);
  }
});
afterAll(() => host.stop());

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

const usValidated = {
  id: SIM_ADDRESSES.usValidated,
  country: 'US',
  houseNumber: '1',
  streetName: 'Microsoft Way',
  stateOrProvince: 'WA',
  cityOrTown: 'Redmond',
  postalOrZipCode: '98052',
  description: 'Headquarters',
  companyName: 'Contoso',
  defaultLocationId: SIM_LOCATIONS.usMain,
  validationStatus: 'validated',
  tenantId: SIM_TENANT_US,
  partnerId: SIM_OPERATOR_ID,
  locations: [
    { id: SIM_LOCATIONS.usMain, civicAddressId: SIM_ADDRESSES.usValidated, description: '911', isDefault: true, elin: 'HQ' },
    { id: SIM_LOCATIONS.usFloor2, civicAddressId: SIM_ADDRESSES.usValidated, description: 'Floor 2', additionalInfo: 'East wing', isDefault: false },
  ],
};

describe('GET /accounts/{a}/teamsCivicAddresses', () => {
  it("lists the tenant's addresses in the contract's shape, in id order, without the one lacking a default location", async () => {
    const res = await api.get('/accounts/civ-us/teamsCivicAddresses', { query: { countRecords: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-record-count')).toBe('3');
    expect(res.body.nextLink).toBeUndefined();
    expect(res.body.value.map((a: { id: string }) => a.id)).toEqual([SIM_ADDRESSES.usValidated, SIM_ADDRESSES.usNotValidated, SIM_ADDRESSES.caValidated]);
    expect(res.body.value[0]).toEqual(usValidated);
    expect(res.body.value[1]).toMatchObject({ validationStatus: 'notValidated', defaultLocationId: SIM_LOCATIONS.usNotValidated, cityOrTown: 'Seattle' });
    expect(res.body.value[2]).toMatchObject({ country: 'CA', postalOrZipCode: 'M5J 0E7', defaultLocationId: SIM_LOCATIONS.caMain });
  });

  it('pages with maxpagesize and nextLink, and honours skip and top', async () => {
    const first = await api.get('/accounts/civ-us/teamsCivicAddresses', { query: { maxpagesize: 2, countRecords: true } });
    expect(first.status).toBe(200);
    expect(first.body.value.map((a: { id: string }) => a.id)).toEqual([SIM_ADDRESSES.usValidated, SIM_ADDRESSES.usNotValidated]);
    expect(first.headers.get('x-ms-record-count')).toBe('3');
    expect(first.body.nextLink).toMatch(/^http:\/\/.+\/accounts\/civ-us\/teamsCivicAddresses\?.*api-version=2024-02-29-preview/);
    const second = await api.followNextLink(first.body.nextLink);
    expect(second.status).toBe(200);
    expect(second.body.value.map((a: { id: string }) => a.id)).toEqual([SIM_ADDRESSES.caValidated]);
    expect(second.body.nextLink).toBeUndefined();

    const window = await api.get('/accounts/civ-us/teamsCivicAddresses', { query: { skip: 1, top: 1 } });
    expect(window.body.value.map((a: { id: string }) => a.id)).toEqual([SIM_ADDRESSES.usNotValidated]);
    expect(window.body.nextLink).toBeUndefined();

    const capped = await api.get('/accounts/civ-us/teamsCivicAddresses', { query: { top: 2, maxpagesize: 1 } });
    expect(capped.body.value).toHaveLength(1);
    const rest = await api.followNextLink(capped.body.nextLink);
    expect(rest.body.value.map((a: { id: string }) => a.id)).toEqual([SIM_ADDRESSES.usNotValidated]);
    expect(rest.body.nextLink).toBeUndefined();
  });

  it('refuses a filter (D1 names no civic address fields) with 400 InvalidFilter', async () => {
    expectError(await api.get('/accounts/civ-us/teamsCivicAddresses', { query: { filter: "country eq 'US'" } }), 400, 'InvalidFilter');
  });

  it('answers 404 for a missing account, 409 for an account without teamsTenantId, 404 for a tenant without consent', async () => {
    expectError(await api.get('/accounts/civ-missing/teamsCivicAddresses'), 404, 'AccountNotFound');
    expectError(await api.get('/accounts/civ-none/teamsCivicAddresses'), 409, 'TeamsTenantIdMissing');
    const noConsent = await api.get('/accounts/civ-noconsent/teamsCivicAddresses');
    expectError(noConsent, 404, 'TeamsConsentNotFound');
    expect(noConsent.body.error.details[0].code).toBe('ConsentNotFound');
  });
});

describe('GET /accounts/{a}/teamsCivicAddresses/{id}', () => {
  it('returns one address with an ETag, and 304 for If-None-Match with it', async () => {
    const res = await api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(usValidated);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
    const stale = await api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`, { headers: { 'if-match': '"other"' } });
    expectError(stale, 412, 'PreconditionFailed');
  });

  it('answers 404 CivicAddressNotFound for an unknown address and for an address of another tenant', async () => {
    expectError(await api.get('/accounts/civ-us/teamsCivicAddresses/0cad0000-0000-4000-8000-0000000000ff'), 404, 'CivicAddressNotFound');
    expectError(await api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.gbValidated}`), 404, 'CivicAddressNotFound');
  });

  it('answers 409 CivicAddressWithoutDefaultLocation for an address the contract cannot represent', async () => {
    expectError(await api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.usWithoutDefault}`), 409, 'CivicAddressWithoutDefaultLocation');
  });

  it('answers 404 AccountNotFound and 409 TeamsTenantIdMissing before asking Operator Connect', async () => {
    expectError(await api.get(`/accounts/civ-missing/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`), 404, 'AccountNotFound');
    expectError(await api.get(`/accounts/civ-none/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`), 409, 'TeamsTenantIdMissing');
  });
});

describe('Operator Connect failures', () => {
  async function withFault<T>(spec: Parameters<FlowthroughHost['sim']['addFault']>[0], run: () => Promise<T>): Promise<T> {
    const id = host.sim.addFault(spec);
    try {
      return await run();
    } finally {
      host.sim.removeFault(id);
    }
  }

  it('answers 503 OperatorConnectUnavailable with Retry-After when Operator Connect is down', async () => {
    const res = await withFault({ route: 'GET /tenants/*/civicAddresses', action: 'status', status: 503, retryAfter: 7 }, () => api.get('/accounts/civ-us/teamsCivicAddresses'));
    expectError(res, 503, 'OperatorConnectUnavailable');
    expect(res.headers.get('retry-after')).toBe('7');
    const single = await withFault({ route: 'GET /tenants/*/civicAddresses/*', action: 'status', status: 503 }, () =>
      api.get(`/accounts/civ-us/teamsCivicAddresses/${SIM_ADDRESSES.usValidated}`),
    );
    expectError(single, 503, 'OperatorConnectUnavailable');
    expect(Number(single.headers.get('retry-after'))).toBeGreaterThan(0);
    // And it recovers once Operator Connect does.
    expect((await api.get('/accounts/civ-us/teamsCivicAddresses')).status).toBe(200);
  });

  it('answers 502 OperatorConnectAccessDenied when Operator Connect refuses our credentials', async () => {
    const res = await withFault({ route: 'GET /tenants/*/civicAddresses', action: 'status', status: 403, body: { code: 'AppNotRegistered', message: 'not registered' } }, () =>
      api.get('/accounts/civ-us/teamsCivicAddresses'),
    );
    expectError(res, 502, 'OperatorConnectAccessDenied');
    expect(res.body.error.details[0].code).toBe('AppNotRegistered');
  });

  it("answers 400 OperatorConnectRejected with OC's code in details when Operator Connect rejects the question", async () => {
    const res = await withFault({ route: 'GET /tenants/*/civicAddresses', action: 'status', status: 400, body: { code: 'TenantNotSupported', message: 'no' } }, () =>
      api.get('/accounts/civ-us/teamsCivicAddresses'),
    );
    expectError(res, 400, 'OperatorConnectRejected');
    expect(res.body.error.details[0].code).toBe('TenantNotSupported');
  });
});
