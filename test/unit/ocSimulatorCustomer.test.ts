/**
 * Operator Connect simulator customer side and test control over real HTTP (`/_sim`), and the same
 * actions through the programmatic API: tenants, consents and their removal policies, tenant-side
 * number actions, emergency address changes, clock, settings, apps, counters, reset and state.
 */
import {
  SIM_ADDRESSES,
  SIM_CLIENT_ID,
  SIM_LOCATIONS,
  SIM_NUMBER_RANGES,
  SIM_PROFILE_CALLING_ID,
  SIM_SEED_NUMBERS,
  SIM_TENANT_GB,
  SIM_TENANT_REMOVED,
  SIM_TENANT_SUSPENDED,
  SIM_TENANT_US,
  SIM_TENANT_WITHOUT_CONSENT,
  simNumber,
  startOcSimulator,
  type OcSimulator,
} from '../../dev/ocSimulator';
import { requestClientToken, simCall, type SimReply as Reply } from '../support/simulatorHttp';

let sim: OcSimulator;
let token: string;

const api = (method: string, path: string, body?: unknown) => simCall(`${sim.apiBaseUrl}${path}`, method, body, { bearer: token });
const control = (method: string, path: string, body?: unknown) => simCall(`${sim.url}/_sim${path}`, method, body);
const tn = (telephoneNumber: string) => encodeURIComponent(telephoneNumber);
const US = (index: number) => simNumber(SIM_NUMBER_RANGES.US, index);

async function operatorNumber(tenantId: string, telephoneNumber: string): Promise<Reply> {
  return api('GET', `/tenants/${tenantId}/numbers/${tn(telephoneNumber)}`);
}

async function operatorConsentStatus(tenantId: string): Promise<string> {
  return (await api('GET', `/consents/${tenantId}`)).body.status;
}

async function uploadAndFinish(tenantId: string, telephoneNumbers: string[], extra: Record<string, unknown> = {}): Promise<void> {
  const answer = await api('POST', `/tenants/${tenantId}/uploadOrders`, {
    telephoneNumbers,
    callingProfileId: SIM_PROFILE_CALLING_ID,
    usage: 'CallingUserAssignment',
    choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
    ...extra,
  });
  expect(answer.status).toBe(202);
  sim.advance(3_000);
  expect((await api('GET', `/orders/${answer.body.orderId}`)).body.status).toBe('Succeeded');
}

beforeAll(async () => {
  sim = await startOcSimulator({ clock: 'manual', throttlePerMinute: null });
  token = sim.issueToken();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

describe('tenants and consents', () => {
  it('creates a tenant with addresses that the operator sees only once the customer consents', async () => {
    const created = await control('POST', '/tenants', {
      tenantId: '1e000000-0000-4000-8000-000000000001',
      name: 'Adventure Works',
      civicAddresses: [{ id: 'addr-1', country: 'us', cityOrTown: 'Austin', locations: [{ id: 'loc-1', description: 'Lobby', isDefault: true }] }],
    });
    expect(created.status).toBe(201);
    expect(created.body.civicAddresses[0]).toMatchObject({ id: 'addr-1', country: 'US', defaultLocationId: 'loc-1', validationStatus: 'Validated' });
    const tenantId = created.body.tenantId;
    expect((await api('GET', `/tenants/${tenantId}/civicAddresses`)).body.code).toBe('ConsentNotFound');

    const consent = await control('POST', '/consents', { tenantId, consentedCountries: ['US', 'uk'], contacts: [{ fullName: 'Ada Admin', email: 'ada@aw.example' }] });
    expect(consent.status).toBe(201);
    expect(consent.body).toMatchObject({ tenantId, status: 'Active', consentedCountries: ['US', 'GB'], contacts: [{ fullName: 'Ada Admin', email: 'ada@aw.example' }] });
    expect((await api('GET', `/tenants/${tenantId}/civicAddresses`)).body.value.map((address: any) => address.id)).toEqual(['addr-1']);
    expect((await control('GET', `/tenants/${tenantId}`)).body.name).toBe('Adventure Works');
  });

  it('adds a civic address to an existing tenant', async () => {
    const added = await control('POST', `/tenants/${SIM_TENANT_GB}/civicAddresses`, { country: 'GB', cityOrTown: 'Leeds', validationStatus: 'NotValidated' });
    expect(added.status).toBe(201);
    expect(added.body.locations).toHaveLength(1);
    const listed = await api('GET', `/tenants/${SIM_TENANT_GB}/civicAddresses/${added.body.id}`);
    expect(listed.body).toMatchObject({ cityOrTown: 'Leeds', validationStatus: 'NotValidated', defaultLocationId: added.body.locations[0].id });
  });

  it('rejects a second tenant with the same id, and an address with two default locations', async () => {
    expect((await control('POST', '/tenants', { tenantId: SIM_TENANT_US })).body.code).toBe('TenantAlreadyExists');
    const twoDefaults = await control('POST', '/tenants', { civicAddresses: [{ country: 'US', locations: [{ isDefault: true }, { isDefault: true }] }] });
    expect([twoDefaults.status, twoDefaults.body.code]).toEqual([400, 'InvalidRequestBody']);
  });

  it('creates the tenant with the consent when needed, and refuses a second consent (409)', async () => {
    const created = await control('POST', '/consents', { consentedCountries: ['CA'] });
    expect(created.status).toBe(201);
    expect(sim.state.tenants.has(created.body.tenantId)).toBe(true);
    const again = await control('POST', '/consents', { tenantId: created.body.tenantId });
    expect([again.status, again.body.code]).toEqual([409, 'ConsentAlreadyExists']);
  });

  it('suspends and reactivates a consent as the operator sees it', async () => {
    const suspended = await control('POST', `/consents/${SIM_TENANT_US}:suspend`);
    expect(suspended.body.status).toBe('Suspended');
    expect(await operatorConsentStatus(SIM_TENANT_US)).toBe('Suspended');
    expect((await api('POST', `/tenants/${SIM_TENANT_US}/unassignOrders`, { telephoneNumbers: [SIM_SEED_NUMBERS.usAssignedUser] })).body.code).toBe('ConsentNotActive');
    expect((await control('POST', `/consents/${SIM_TENANT_US}:reactivate`)).body.status).toBe('Active');
    expect(await operatorConsentStatus(SIM_TENANT_US)).toBe('Active');
  });

  it('refuses to suspend or reactivate a removed consent, but lets the customer add the operator again', async () => {
    expect((await control('POST', `/consents/${SIM_TENANT_REMOVED}:reactivate`)).body.code).toBe('ConsentRemoved');
    expect((await control('POST', `/consents/${SIM_TENANT_REMOVED}:suspend`)).status).toBe(409);
    const readded = await control('POST', '/consents', { tenantId: SIM_TENANT_REMOVED, consentedCountries: ['US'] });
    expect(readded.status).toBe(201);
    expect(await operatorConsentStatus(SIM_TENANT_REMOVED)).toBe('Active');
    expect((await control('POST', `/consents/${SIM_TENANT_WITHOUT_CONSENT}:suspend`)).body.code).toBe('ConsentNotFound');
  });

  it('keeps the numbers of a removed consent by default', async () => {
    const removed = await control('POST', `/consents/${SIM_TENANT_US}:remove`);
    expect(removed.body.status).toBe('Removed');
    expect((await api('GET', `/tenants/${SIM_TENANT_US}/numbers`)).body.value).toHaveLength(3);
    expect((await api('POST', `/tenants/${SIM_TENANT_US}/releaseOrders`, { telephoneNumbers: [SIM_SEED_NUMBERS.usUnassignedUser] })).body.code).toBe('ConsentNotActive');
  });

  it('releases the unassigned numbers on removal with policy releaseUnassigned', async () => {
    await control('POST', `/consents/${SIM_TENANT_US}:remove`, { policy: 'releaseUnassigned' });
    const left = (await api('GET', `/tenants/${SIM_TENANT_US}/numbers`)).body.value.map((number: any) => number.telephoneNumber);
    expect(left).toEqual([SIM_SEED_NUMBERS.usAssignedUser]);
  });

  it('refuses removal while numbers remain with policy blockIfNumbers (also as the configured default)', async () => {
    const blocked = await control('POST', `/consents/${SIM_TENANT_US}:remove`, { policy: 'blockIfNumbers' });
    expect([blocked.status, blocked.body.code]).toEqual([409, 'TenantHasNumbers']);
    expect(await operatorConsentStatus(SIM_TENANT_US)).toBe('Active');
    await control('PATCH', '/settings', { removalPolicy: 'blockIfNumbers' });
    expect((await control('POST', `/consents/${SIM_TENANT_GB}:remove`)).body.code).toBe('TenantHasNumbers');
    expect((await control('POST', `/consents/${SIM_TENANT_SUSPENDED}:remove`, { policy: 'keepNumbers' })).status).toBe(200);
  });
});

describe('tenant-side number actions', () => {
  it('assigns and unassigns a number as the operator sees it', async () => {
    const assigned = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}:assign`, { targetType: 'user' });
    expect(assigned.body.assignmentStatus).toBe('UserAssigned');
    expect((await operatorNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser)).body.assignmentStatus).toBe('UserAssigned');
    const again = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}:assign`, { targetType: 'user' });
    expect([again.status, again.body.code]).toEqual([409, 'NumberAlreadyAssigned']);
    await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}:unassign`);
    expect((await operatorNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser)).body.assignmentStatus).toBe('Unassigned');
  });

  it('assigns by usage: a voice app to an app number, but not a conference to a user number', async () => {
    const app = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usTollFreeApp)}:assign`, { targetType: 'voiceApp' });
    expect(app.body.assignmentStatus).toBe('VoiceAppAssigned');
    const wrong = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}:assign`, { targetType: 'conference' });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'AssignmentNotAllowed']);
    const unknown = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.gbUser)}:assign`, { targetType: 'user' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NumberNotFound']);
  });

  it('releases an unassigned number without an operator order, and refuses an assigned one', async () => {
    const assigned = await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usAssignedUser)}:release`);
    expect([assigned.status, assigned.body.code]).toEqual([409, 'NumberAssigned']);
    expect((await control('POST', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}:release`)).status).toBe(204);
    expect((await operatorNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser)).status).toBe(404);
    expect(sim.counters.ownerByNumber[SIM_SEED_NUMBERS.usUnassignedUser]).toBeUndefined();
    expect(sim.state.orders.size).toBe(0);
  });

  it('changes the emergency address only where the operator allowed it', async () => {
    const path = `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}/emergencyAddress`;
    const refused = await control('PATCH', path, { locationId: SIM_LOCATIONS.usFloor2 });
    expect([refused.status, refused.body.code]).toEqual([403, 'TenantAddressUpdateNotAllowed']);
    await api('PATCH', `/tenants/${SIM_TENANT_US}/numbers/${tn(SIM_SEED_NUMBERS.usUnassignedUser)}`, { allowTenantAddressUpdate: true });
    const changed = await control('PATCH', path, { locationId: SIM_LOCATIONS.usFloor2 });
    expect(changed.status).toBe(200);
    expect((await operatorNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser)).body).toMatchObject({
      civicAddressId: SIM_ADDRESSES.usValidated,
      locationId: SIM_LOCATIONS.usFloor2,
    });
    expect((await control('PATCH', path, { civicAddressId: SIM_ADDRESSES.usWithoutDefault })).body.code).toBe('UnableToRetrieveDefaultLocation');
  });

  it('lets a tenant that may set its own address do so for a freshly uploaded number', async () => {
    await uploadAndFinish(SIM_TENANT_US, [US(0)], { allowTenantAddressUpdate: true });
    sim.updateEmergencyAddress(SIM_TENANT_US, US(0), { civicAddressId: SIM_ADDRESSES.caValidated });
    expect(sim.state.numbers.get(US(0))).toMatchObject({ civicAddressId: SIM_ADDRESSES.caValidated, locationId: SIM_LOCATIONS.caMain });
  });
});

describe('clock, settings, counters, reset and state', () => {
  it('reads and advances the virtual clock, running due orders', async () => {
    const before = await control('GET', '/clock');
    expect(before.body).toEqual({ mode: 'manual', timeScale: 1, nowMs: sim.now(), now: new Date(sim.now()).toISOString() });
    const accepted = await api('POST', `/tenants/${SIM_TENANT_US}/unassignOrders`, { telephoneNumbers: [SIM_SEED_NUMBERS.usAssignedUser] });
    const advanced = await control('POST', '/clock:advance', { ms: 3_000 });
    expect(advanced.body.nowMs).toBe(before.body.nowMs + 3_000);
    expect(sim.state.orders.get(accepted.body.orderId)?.status).toBe('Succeeded');
    expect((await control('POST', '/clock:advance', {})).body.code).toBe('InvalidRequestBody');
    expect((await control('POST', '/clock:advance', { ms: -1 })).status).toBe(400);
  });

  it('reads and patches settings, refusing invalid values', async () => {
    const patched = await control('PATCH', '/settings', { listLagMs: 250, orderTimes: { pendingMs: 10 }, numberAlreadyExists: 'fail' });
    expect(patched.body).toMatchObject({ listLagMs: 250, orderTimes: { pendingMs: 10, completeMs: 3_000 }, numberAlreadyExists: 'fail' });
    expect(sim.settings.listLagMs).toBe(250);
    for (const bad of [{ listLagMs: -1 }, { orderTimes: { pendingMs: 5_000 } }, { removalPolicy: 'burn' }, { throttlePerMinute: 0 }, { defaultPageSize: 5_000 }]) {
      const answer = await control('PATCH', '/settings', bad);
      expect([answer.status, answer.body.code]).toEqual([400, 'InvalidRequestBody']);
    }
    expect((await control('GET', '/settings')).body.listLagMs).toBe(250);
  });

  it('serves and resets the counters', async () => {
    await api('GET', '/consents');
    expect((await control('GET', '/counters')).body).toMatchObject({ apiCalls: 1, tokenCalls: 0, callsByRoute: { 'GET /consents': 1 } });
    expect((await control('POST', '/counters:reset')).status).toBe(204);
    expect((await control('GET', '/counters')).body.apiCalls).toBe(0);
  });

  it('resets to the seed, or to an empty world without it', async () => {
    const tenantId = sim.addConsent({ consentedCountries: ['US'] });
    sim.configure({ listLagMs: 99 });
    sim.addFault({ route: 'GET /consents', action: 'status', status: 500 });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(sim.state.consents.has(tenantId)).toBe(false);
    expect(sim.state.consents.has(SIM_TENANT_US)).toBe(true);
    expect(sim.settings.listLagMs).toBe(0);
    expect((await api('GET', '/consents')).status).toBe(200);

    await control('POST', '/reset', { seed: false });
    expect((await api('GET', '/consents')).body.value).toEqual([]);
    expect((await api('GET', '/callingProfiles')).body.value).toHaveLength(3); // the operator's onboarding stays
  });

  it('dumps the whole state', async () => {
    const state = (await control('GET', '/state')).body;
    expect(Object.keys(state)).toEqual(['clock', 'operatorId', 'operatorTenantId', 'apps', 'callingProfiles', 'tenants', 'consents', 'numbers', 'orders', 'settings', 'faults', 'counters']);
    expect(state.numbers).toHaveLength(5);
    expect(state.tenants).toHaveLength(6);
    expect(state.apps.map((app: any) => app.clientId)).toContain(SIM_CLIENT_ID);
  });

  it('answers unknown control routes with 404 and wrong methods with 405', async () => {
    expect((await control('GET', '/nothing')).body.code).toBe('RouteNotFound');
    expect((await control('DELETE', '/state')).status).toBe(405);
  });
});

describe('apps', () => {
  it('registers an app whose secret gets a token limited to its roles', async () => {
    const created = await control('POST', '/apps', { roles: ['NumberManagement.Read'] });
    expect(created.status).toBe(201);
    const bearer = (await requestClientToken(sim, created.body)).body.access_token;
    expect((await simCall(`${sim.apiBaseUrl}/tenants/${SIM_TENANT_US}/numbers`, 'GET', undefined, { bearer })).status).toBe(200);
    expect((await simCall(`${sim.apiBaseUrl}/consents`, 'GET', undefined, { bearer })).body.code).toBe('InsufficientRole');

    await control('PATCH', `/apps/${created.body.clientId}`, { registeredInPortal: false });
    expect((await simCall(`${sim.apiBaseUrl}/tenants/${SIM_TENANT_US}/numbers`, 'GET', undefined, { bearer })).body.code).toBe('AppNotRegistered');
    expect((await control('DELETE', `/apps/${created.body.clientId}`)).status).toBe(204);
    expect((await control('GET', '/apps')).body.value.map((app: any) => app.clientId)).not.toContain(created.body.clientId);
    expect((await control('DELETE', `/apps/${created.body.clientId}`)).body.code).toBe('AppNotFound');
  });

  it('rejects unknown roles and duplicate client ids', async () => {
    expect((await control('POST', '/apps', { roles: ['God.Mode'] })).body.code).toBe('InvalidRequestBody');
    expect((await control('POST', '/apps', { clientId: SIM_CLIENT_ID })).body.code).toBe('AppAlreadyExists');
  });
});

describe('programmatic API', () => {
  it('exposes the connection details the client needs', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.apiBaseUrl).toBe(`${sim.url}/oc/v1`);
    expect(sim.tokenUrl()).toBe(`${sim.url}/${sim.operatorTenantId}/oauth2/v2.0/token`);
    expect(sim.scope).toBe('eb63d611-525e-4a31-abd7-0cb33f679599/.default');
    expect(sim.clientId).toBe(SIM_CLIENT_ID);
  });

  it('adds tenants and consents and drives the customer actions', () => {
    const tenantId = sim.addTenant({ name: 'Proseware', civicAddresses: [{ country: 'US', locations: [] }] });
    expect(sim.state.tenants.get(tenantId)?.civicAddresses[0]?.defaultLocationId).toBeUndefined();
    expect(sim.addConsent({ tenantId, consentedCountries: ['US'] })).toBe(tenantId);
    expect(sim.state.consents.get(tenantId)?.status).toBe('Active');
    sim.suspendConsent(tenantId);
    expect(sim.state.consents.get(tenantId)?.status).toBe('Suspended');
    sim.reactivateConsent(tenantId);
    sim.removeConsent(tenantId, 'blockIfNumbers');
    expect(sim.state.consents.get(tenantId)?.status).toBe('Removed');

    sim.assignNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser);
    expect(sim.state.numbers.get(SIM_SEED_NUMBERS.usUnassignedUser)?.assignmentStatus).toBe('UserAssigned');
    expect(() => sim.releaseNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser)).toThrow(/unassign it/);
    sim.unassignNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser);
    sim.releaseNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser);
    expect(sim.state.numbers.has(SIM_SEED_NUMBERS.usUnassignedUser)).toBe(false);
  });

  it('starts without seed customers when asked', async () => {
    const empty = await startOcSimulator({ clock: 'manual', seed: false, startAt: new Date('2030-01-01T00:00:00Z') });
    try {
      expect(empty.now()).toBe(Date.parse('2030-01-01T00:00:00Z'));
      expect(empty.state.consents.size).toBe(0);
      expect(empty.state.callingProfiles.size).toBe(3);
      const answer = await simCall(`${empty.apiBaseUrl}/consents`, 'GET', undefined, { bearer: empty.issueToken() });
      expect(answer.body).toEqual({ value: [] });
    } finally {
      await empty.close();
    }
  });
});
