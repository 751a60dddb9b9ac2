/**
 * Smoke test: the real client against the Operator Connect simulator (dev/ocSimulator) on a manual
 * clock. Submits an upload, lets virtual time finish it and reads back the result. Also covers the
 * ambiguous-submission protocol: the order is created, the answer is lost, and the client finds the
 * order again through listOrders.
 */
import { createOperatorConnectClient } from '../../shared/flowthrough/oc/client';
import { ocClientSettings } from '../../shared/flowthrough/oc/config';
import { OcError, type OperatorConnect } from '../../shared/flowthrough/oc/port';
import {
  SIM_LOCATIONS,
  SIM_NUMBER_RANGES,
  SIM_PROFILE_CALLING_ID,
  SIM_PROFILE_MOBILE_ID,
  SIM_SEED_NUMBERS,
  SIM_TENANT_US,
  SIM_UNREGISTERED_CLIENT_ID,
  SIM_UNREGISTERED_CLIENT_SECRET,
  simNumber,
  startOcSimulator,
  type OcSimulator,
} from '../../dev/ocSimulator';

let sim: OcSimulator;
beforeAll(async () => {
  sim = await startOcSimulator({ port: 0, clock: 'manual' });
});
afterAll(async () => {
  await sim.close();
});

function clientAs(clientId: string, clientSecret: string): OperatorConnect {
  const settings = ocClientSettings({
    apiBaseUrl: sim.apiBaseUrl,
    scope: sim.scope,
    auth: { mode: 'client-secret-form', tokenUrl: sim.tokenUrl(), clientId, clientSecret },
    callTimeoutMs: 5_000,
  });
  // Retry waits are skipped so a Retry-After costs no real time; the simulator keeps its own clock.
  return createOperatorConnectClient(settings, { sleep: async () => undefined, log: () => undefined });
}

const uploadOf = (telephoneNumbers: string[]) => ({
  tenantId: SIM_TENANT_US,
  telephoneNumbers,
  callingProfileId: SIM_PROFILE_CALLING_ID,
  usage: 'CallingUserAssignment',
  choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
  locationId: SIM_LOCATIONS.usMain,
});

describe('Operator Connect client against the simulator', () => {
  it('uploads numbers, polls the order to completion and reads the numbers back', async () => {
    const oc = clientAs(sim.clientId, sim.clientSecret);
    const consent = await oc.getConsent(SIM_TENANT_US);
    expect(consent).toMatchObject({ tenantId: SIM_TENANT_US, status: 'Active' });
    expect((await oc.listCallingProfiles()).find((p) => p.id === SIM_PROFILE_MOBILE_ID)).toMatchObject({ mobile: true });
    expect((await oc.getCapabilityPlans(SIM_TENANT_US)).map((plan) => plan.usage)).toContain('CallingUserAssignment');

    const numbers = [simNumber(SIM_NUMBER_RANGES.US, 0), simNumber(SIM_NUMBER_RANGES.US, 1)];
    await expect(oc.getNumber(SIM_TENANT_US, numbers[0] as string)).resolves.toBeUndefined();
    const { orderId } = await oc.submitUpload(uploadOf(numbers));
    expect((await oc.getOrder(orderId))?.status).toMatch(/^(Pending|InProgress)$/);

    sim.advance(10_000);
    const order = await oc.getOrder(orderId);
    expect(order).toMatchObject({ orderId, type: 'Upload', tenantId: SIM_TENANT_US, status: 'Succeeded' });
    expect(order?.results.map((r) => [r.telephoneNumber, r.status])).toEqual(numbers.map((tn) => [tn, 'Succeeded']));

    const uploaded = await oc.getNumber(SIM_TENANT_US, numbers[0] as string);
    expect(uploaded).toMatchObject({ telephoneNumber: numbers[0], tenantId: SIM_TENANT_US, usage: 'CallingUserAssignment', assignmentStatus: 'unassigned', locationId: SIM_LOCATIONS.usMain });
    const listed = (await oc.listNumbers(SIM_TENANT_US)).map((n) => n.telephoneNumber);
    expect(listed).toEqual(expect.arrayContaining([...numbers, SIM_SEED_NUMBERS.usAssignedUser]));
  });

  it('a release of an assigned number fails per number, with the simulator code', async () => {
    const oc = clientAs(sim.clientId, sim.clientSecret);
    expect(await oc.getNumber(SIM_TENANT_US, SIM_SEED_NUMBERS.usAssignedUser)).toMatchObject({ assignmentStatus: 'assigned' });
    const { orderId } = await oc.submitRelease(SIM_TENANT_US, [SIM_SEED_NUMBERS.usAssignedUser]);
    sim.advance(10_000);
    const order = await oc.getOrder(orderId);
    expect(order).toMatchObject({ type: 'Release', status: 'Failed', results: [{ telephoneNumber: SIM_SEED_NUMBERS.usAssignedUser, status: 'Failed', errorCode: 'NumberAssigned' }] });
  });

  it('an upload whose answer is lost is ambiguous, sent once, and found again by listOrders', async () => {
    const oc = clientAs(sim.clientId, sim.clientSecret);
    const createdAfter = new Date(sim.now()).toISOString();
    const tn = simNumber(SIM_NUMBER_RANGES.US, 2);
    const faultId = sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'status', status: 500, applyRequest: true, count: 1 });
    try {
      const err = await oc.submitUpload(uploadOf([tn])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OcError);
      expect(err).toMatchObject({ kind: 'ambiguous', status: 500 });
    } finally {
      sim.removeFault(faultId);
    }
    expect(sim.counters.uploadOrdersByNumber[tn]).toHaveLength(1);
    const found = (await oc.listOrders(SIM_TENANT_US, createdAfter)).filter((o) => o.type === 'Upload' && o.results.some((r) => r.telephoneNumber === tn));
    expect(found.map((o) => o.orderId)).toEqual(sim.counters.uploadOrdersByNumber[tn]);
  });

  it('a throttled order POST (429 + Retry-After) is re-sent and accepted', async () => {
    const oc = clientAs(sim.clientId, sim.clientSecret);
    const faultId = sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'status', status: 429, retryAfter: 1, count: 1 });
    try {
      const before = sim.counters.callsByRoute['POST /tenants/{tenantId}/uploadOrders'] ?? 0;
      await expect(oc.submitUpload(uploadOf([simNumber(SIM_NUMBER_RANGES.US, 3)]))).resolves.toEqual({ orderId: expect.any(String) });
      expect(sim.counters.callsByRoute['POST /tenants/{tenantId}/uploadOrders']).toBe(before + 2);
    } finally {
      sim.removeFault(faultId);
    }
  });

  it('an app that is not registered in the OC portal gets a configuration failure', async () => {
    const oc = clientAs(SIM_UNREGISTERED_CLIENT_ID, SIM_UNREGISTERED_CLIENT_SECRET);
    await expect(oc.listConsents()).rejects.toMatchObject({ kind: 'configuration', status: 403, code: 'AppNotRegistered' });
  });
});
