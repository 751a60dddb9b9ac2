/**
 * Flow-through to Operator Connect end to end: HTTP API → tables → kick → worker → OC client →
 * simulator, and back (status, capabilities, assignment). Every API response is validated against
 * the swagger by the apiClient.
 */
import { SIM_TENANT_GB, SIM_TENANT_US, SIM_TENANT_WITHOUT_CONSENT } from '../../dev/ocSimulator';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { createNumbers, numberRange, ocAccount, ocNumber, settled, statusCounts } from '../support/ocFixtures';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());

const MAIN = numberRange('+14255570000', 250);

describe('an Operator Connect account with 250 numbers', () => {
  beforeAll(async () => {
    host.sim.resetCounters();
    expect((await api.put('/accounts/oc-main', { json: ocAccount('oc-main', SIM_TENANT_US) })).status).toBe(201);
    await createNumbers(api, 'oc-main', MAIN);
  });

  test('every number reaches synced, uploaded once each, in batched orders', async () => {
    const counts = await settled(api, 'oc-main');
    expect(counts).toEqual({ synced: 250 });
    for (const n of MAIN) expect(host.sim.counters.ownerByNumber[n]).toBe(SIM_TENANT_US);
    expect(host.sim.counters.numbersUploadedMoreThanOnce).toEqual([]);
    // 3 API batches; orders group numbers, so far fewer upload calls than numbers.
    expect(host.sim.counters.callsByRoute['POST /tenants/{tenantId}/uploadOrders']).toBeLessThanOrEqual(3);
  });

  test('capabilities and assignment are read back from Operator Connect', async () => {
    const res = await api.get(`/accounts/oc-main/numbers/${encodeURIComponent(MAIN[7] as string)}`);
    expect(res.status).toBe(200);
    const oc = res.body.serviceDetails.teamsOperatorConnect;
    expect(oc.assignmentStatus).toBe('unassigned');
    expect(oc.configuration.acquiredCapabilities).toEqual(expect.arrayContaining(['InboundCalling', 'OutboundCalling']));
    expect(oc.configuration.availableCapabilities.length).toBeGreaterThan(0);
    expect(res.body.serviceProvisioningErrors).toEqual([]);
  });

  test('the account itself is synced', async () => {
    const account = await eventually(async () => {
      const res = await api.get('/accounts/oc-main');
      return res.body.serviceProvisioningStatus === 'synced' ? res.body : undefined;
    });
    expect(account.serviceDetails.teamsOperatorConnect.numberCount).toBe(250);
  });

  test('deleted numbers are released in Operator Connect (an assigned one is unassigned first)', async () => {
    const gone = MAIN.slice(0, 10);
    host.sim.assignNumber(SIM_TENANT_US, gone[0] as string, 'user');
    const res = await api.post('/accounts/oc-main:deleteNumbers', { json: { numbers: gone.map((telephoneNumber) => ({ telephoneNumber })) } });
    expect(res.status).toBe(204);
    await eventually(async () => (gone.every((n) => host.sim.state.numbers.get(n) === undefined) ? true : undefined), 20_000, async () =>
      JSON.stringify(gone.map((n) => [n, host.sim.state.numbers.get(n)?.assignmentStatus])),
    );
    expect(await statusCounts(api, 'oc-main')).toEqual({ synced: 240 });
  });
});

test('a number in a country the consent does not cover ends failed with the Operator Connect code', async () => {
  await api.put('/accounts/oc-gb', { json: ocAccount('oc-gb', SIM_TENANT_GB) });
  const [us] = numberRange('+14255571000', 1) as [string];
  const put = await api.put(`/accounts/oc-gb/numbers/${encodeURIComponent(us)}`, { json: ocNumber('oc-gb', us) });
  expect(put.status).toBe(201);
  expect(put.body.serviceProvisioningStatus).toBe('pending');
  const failed = await eventually(async () => {
    const res = await api.get(`/accounts/oc-gb/numbers/${encodeURIComponent(us)}`);
    return res.body.serviceProvisioningStatus === 'failed' ? res.body : undefined;
  });
  expect(failed.serviceProvisioningErrors).toEqual([expect.objectContaining({ code: 'CountryNotConsented', target: 'teamsOperatorConnect' })]);
  expect(host.sim.state.numbers.get(us)).toBeUndefined();
});

test('an account whose tenant never chose the operator fails with ConsentNotFound, and so do its numbers', async () => {
  await api.put('/accounts/oc-none', { json: ocAccount('oc-none', SIM_TENANT_WITHOUT_CONSENT) });
  const [n] = numberRange('+14255571100', 1) as [string];
  await api.put(`/accounts/oc-none/numbers/${encodeURIComponent(n)}`, { json: ocNumber('oc-none', n) });
  const account = await eventually(async () => {
    const res = await api.get('/accounts/oc-none');
    return res.body.serviceProvisioningStatus === 'failed' ? res.body : undefined;
  });
  expect(account.serviceProvisioningErrors[0].code).toBe('ConsentNotFound');
  expect(await settled(api, 'oc-none')).toEqual({ failed: 1 });
});

test('a changed emergency address is updated in place; a changed usage needs a new upload', async () => {
  await api.put('/accounts/oc-upd', { json: ocAccount('oc-upd', SIM_TENANT_US) });
  const [n] = numberRange('+14255571200', 1) as [string];
  const path = `/accounts/oc-upd/numbers/${encodeURIComponent(n)}`;
  await api.put(path, { json: ocNumber('oc-upd', n) });
  await settled(api, 'oc-upd');
  const { SIM_ADDRESSES } = await import('../../dev/ocSimulator');
  await api.put(path, { json: ocNumber('oc-upd', n, { civicAddressId: SIM_ADDRESSES.caValidated }) });
  expect(await settled(api, 'oc-upd')).toEqual({ synced: 1 });
  expect(host.sim.state.numbers.get(n)?.civicAddressId).toBe(SIM_ADDRESSES.caValidated);
  await api.put(path, { json: ocNumber('oc-upd', n, { civicAddressId: SIM_ADDRESSES.caValidated, usage: 'FirstPartyAppAssignment' }) });
  const failed = await eventually(async () => {
    const res = await api.get(path);
    return res.body.serviceProvisioningStatus === 'failed' ? res.body : undefined;
  });
  expect(failed.serviceProvisioningErrors[0].code).toBe('ReuploadRequired');
});

// The worker remembers what it pushed as `<upload key>#<address key>`; a split at the wrong "#" made
// a number whose address id holds one look as if its usage had changed (failed, ReuploadRequired).
test('a number whose civic address id holds a "#" is uploaded and stays synced', async () => {
  const civicAddressId = 'hq#1';
  const added = await fetch(`${host.sim.url}/_sim/tenants/${SIM_TENANT_US}/civicAddresses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: civicAddressId, country: 'US' }),
  });
  expect(added.status).toBe(201);
  await api.put('/accounts/oc-hash', { json: ocAccount('oc-hash', SIM_TENANT_US) });
  const [n] = numberRange('+14255571250', 1) as [string];
  const path = `/accounts/oc-hash/numbers/${encodeURIComponent(n)}`;
  expect((await api.put(path, { json: ocNumber('oc-hash', n, { civicAddressId }) })).status).toBe(201);
  expect(await settled(api, 'oc-hash')).toEqual({ synced: 1 });
  expect(host.sim.state.numbers.get(n)?.civicAddressId).toBe(civicAddressId);
  const res = await api.get(path);
  expect([res.body.serviceProvisioningStatus, res.body.serviceProvisioningErrors]).toEqual(['synced', []]);
});

test('deleting the account with deleteNumbers=true releases its numbers', async () => {
  await api.put('/accounts/oc-del', { json: ocAccount('oc-del', SIM_TENANT_US) });
  const numbers = numberRange('+14255571300', 5);
  await createNumbers(api, 'oc-del', numbers);
  await settled(api, 'oc-del');
  expect(numbers.every((n) => host.sim.state.numbers.get(n) !== undefined)).toBe(true);
  expect((await api.delete('/accounts/oc-del', { query: { deleteNumbers: true } })).status).toBe(204);
  await eventually(async () => (numbers.every((n) => host.sim.state.numbers.get(n) === undefined) ? true : undefined));
});

test('a Teams Phone Mobile number is uploaded into the mobile calling profile', async () => {
  const { SIM_PROFILE_MOBILE_ID, SIM_ADDRESSES } = await import('../../dev/ocSimulator');
  await api.put('/accounts/tpm-a', {
    json: { name: 'tpm-a', serviceDetails: { teamsTenantId: SIM_TENANT_US, teamsPhoneMobile: { enabled: true, syncEnabled: true } } },
  });
  const [n] = numberRange('+14255571400', 1) as [string];
  const put = await api.put(`/accounts/tpm-a/numbers/${encodeURIComponent(n)}`, {
    json: {
      telephoneNumber: n,
      accountName: 'tpm-a',
      serviceDetails: {
        teamsPhoneMobile: {
          enabled: true,
          configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling', 'Mobile'], civicAddressId: SIM_ADDRESSES.usValidated },
        },
      },
    },
  });
  expect(put.status).toBe(201);
  const settledCounts = await settled(api, 'tpm-a');
  const res = await api.get(`/accounts/tpm-a/numbers/${encodeURIComponent(n)}`);
  expect({ counts: settledCounts, errors: res.body.serviceProvisioningErrors }).toEqual({ counts: { synced: 1 }, errors: [] });
  expect(host.sim.state.numbers.get(n)?.callingProfileId).toBe(SIM_PROFILE_MOBILE_ID);
  expect(res.body.serviceDetails.teamsPhoneMobile.configuration.acquiredCapabilities).toEqual(expect.arrayContaining(['Mobile']));
});
