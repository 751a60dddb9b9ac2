/**
 * `:getTeamsCapabilityPlans` and `:getTeamsAvailableCapabilities` (docs/teams.md; D11): Operator Connect's
 * answer for the account's Teams tenant, in the contract's shapes.
 */
import { SIM_NUMBER_RANGES, SIM_SEED_NUMBERS, SIM_TENANT_PENDING_SETUP, SIM_TENANT_US, SIM_TENANT_WITHOUT_CONSENT, simNumber } from '../../dev/ocSimulator';
import { capabilitiesAvailableTo, offeredPlans } from '../../dev/ocSimulator/capabilities';
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  for (const [name, serviceDetails] of [
    ['cap-us', { teamsTenantId: SIM_TENANT_US, teamsOperatorConnect: { syncEnabled: false, enabled: true } }],
    ['cap-setup', { teamsTenantId: SIM_TENANT_PENDING_SETUP }],
    ['cap-noconsent', { teamsTenantId: SIM_TENANT_WITHOUT_CONSENT }],
    ['cap-none', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } }],
  ] as const) {
    expect((await api.put(`/accounts/${name}`, { json: { name, serviceDetails } })).status).toBe(201);
  }
});
afterAll(() => host.stop());

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

/** What the simulator offers the seeded operator, in the contract's shape. */
function simulatorPlans() {
  return offeredPlans(host.sim.state.callingProfiles.values()).map((plan) => ({
    name: plan.name,
    offerTypes: [...plan.offerTypes],
    usage: plan.usage,
    mandatoryCapabilities: [...plan.mandatoryCapabilities],
    choosableCapabilities: [...plan.choosableCapabilities],
    supportsTollFree: plan.supportsTollFree,
  }));
}

describe('POST /accounts/{a}:getTeamsCapabilityPlans', () => {
  it("returns the tenant's capability plans", async () => {
    const res = await api.post('/accounts/cap-us:getTeamsCapabilityPlans');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ capabilityPlans: simulatorPlans() });
    expect(res.body.capabilityPlans).toEqual(expect.arrayContaining([expect.objectContaining({ usage: 'CallingUserAssignment', mandatoryCapabilities: expect.arrayContaining(['UserAssignment']) })]));
  });

  it('accepts an empty JSON object as the body, and Read is enough (D11)', async () => {
    const reader = createApiClient(host.baseUrl, { headers: { authorization: `Bearer ${await host.token(['Read'])}` } });
    const res = await reader.post('/accounts/cap-us:getTeamsCapabilityPlans', { json: {} });
    expect(res.status).toBe(200);
    expect(res.body.capabilityPlans).toHaveLength(simulatorPlans().length);
  });

  it('returns no plans for a consent the customer has not completed (no countries yet)', async () => {
    const res = await api.post('/accounts/cap-setup:getTeamsCapabilityPlans');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ capabilityPlans: [] });
  });

  it('answers 404 AccountNotFound, 409 TeamsTenantIdMissing and 404 TeamsConsentNotFound', async () => {
    expectError(await api.post('/accounts/cap-missing:getTeamsCapabilityPlans'), 404, 'AccountNotFound');
    expectError(await api.post('/accounts/cap-none:getTeamsCapabilityPlans'), 409, 'TeamsTenantIdMissing');
    expectError(await api.post('/accounts/cap-noconsent:getTeamsCapabilityPlans'), 404, 'TeamsConsentNotFound');
  });

  it('answers 503 with Retry-After while Operator Connect is down', async () => {
    const fault = host.sim.addFault({ route: 'GET /tenants/*/usages', action: 'status', status: 503, retryAfter: 12 });
    try {
      const res = await api.post('/accounts/cap-us:getTeamsCapabilityPlans');
      expectError(res, 503, 'OperatorConnectUnavailable');
      expect(res.headers.get('retry-after')).toBe('12');
    } finally {
      host.sim.removeFault(fault);
    }
  });
});

describe('POST /accounts/{a}:getTeamsAvailableCapabilities', () => {
  const freeUsNumber = simNumber(SIM_NUMBER_RANGES.US, 7);

  it("returns a number's available capabilities", async () => {
    const res = await api.post('/accounts/cap-us:getTeamsAvailableCapabilities', { json: { numbers: [{ telephoneNumber: freeUsNumber }] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ availableCapabilities: capabilitiesAvailableTo(false, offeredPlans(host.sim.state.callingProfiles.values())) });
  });

  it('returns the capabilities common to all numbers asked about', async () => {
    const tollFree = simNumber(SIM_NUMBER_RANGES.USTollFree, 3);
    const plans = offeredPlans(host.sim.state.callingProfiles.values());
    const user = capabilitiesAvailableTo(false, plans);
    const free = capabilitiesAvailableTo(true, plans);
    const res = await api.post('/accounts/cap-us:getTeamsAvailableCapabilities', { json: { numbers: [{ telephoneNumber: freeUsNumber }, { telephoneNumber: tollFree }] } });
    expect(res.status).toBe(200);
    expect(res.body.availableCapabilities).toEqual(user.filter((c) => free.includes(c)));
    expect(res.body.availableCapabilities).not.toContain('UserAssignment'); // toll-free numbers cannot be user numbers
    expect(res.body.availableCapabilities).not.toContain('TollFree'); // the user number cannot be toll-free

    const owned = host.sim.state.numbers.get(SIM_SEED_NUMBERS.usUnassignedUser);
    const mine = await api.post('/accounts/cap-us:getTeamsAvailableCapabilities', { json: { numbers: [{ telephoneNumber: SIM_SEED_NUMBERS.usUnassignedUser }] } });
    expect(mine.body.availableCapabilities).toEqual(owned?.availableCapabilities);
  });

  it('validates the NumberIdentifiers body (400 with targets)', async () => {
    const bad = await api.post('/accounts/cap-us:getTeamsAvailableCapabilities', { json: { numbers: [{ telephoneNumber: '12345' }] } });
    expectError(bad, 400, 'InvalidRequestContent');
    expect(bad.body.error.details[0].target).toBe('numbers[0].telephoneNumber');
    expectError(await api.post('/accounts/cap-us:getTeamsAvailableCapabilities', { json: { numbers: [] } }), 400, 'InvalidRequestContent');
    expectError(await api.post('/accounts/cap-us:getTeamsAvailableCapabilities'), 400, 'InvalidRequestContent');
  });

  it('answers 409 TeamsTenantIdMissing for an account without a tenant', async () => {
    expectError(await api.post('/accounts/cap-none:getTeamsAvailableCapabilities', { json: { numbers: [{ telephoneNumber: freeUsNumber }] } }), 409, 'TeamsTenantIdMissing');
  });
});
