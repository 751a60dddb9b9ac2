/**
 * The Operator Connect wire shapes (shared/flowthrough/oc/wire.ts), written once for client and
 * simulator: what the simulator sends reads back without loss, and the client's reading stays
 * tolerant where mirrors differ. The HTTP paths around them: ocClient.test.ts, ocClientSimulator.test.ts.
 */
import { OcError } from '../../shared/flowthrough/oc/port';
import { parseCivicAddress, parseNumber, parseOrder } from '../../shared/flowthrough/oc/transport';
import { capabilityPlanSchema, civicAddressSchema, consentSchema, locationSchema, numberSchema, orderSchema } from '../../shared/flowthrough/oc/wire';
import { CAPABILITY_PLANS } from '../../dev/ocSimulator/capabilities';
import { emptyState, type OrderRecord, type SimState } from '../../dev/ocSimulator/model';
import { SIM_OPERATOR_ID, SIM_OPERATOR_TENANT_ID, SIM_TENANT_US, seedCustomers, seedOperator } from '../../dev/ocSimulator/seed';
import { wireCapabilityPlan, wireCivicAddress, wireConsent, wireNumber, wireOrder } from '../../dev/ocSimulator/wire';

const NOW = Date.UTC(2026, 0, 1);

function seeded(): SimState {
  const state = emptyState(SIM_OPERATOR_ID, SIM_OPERATOR_TENANT_ID);
  seedOperator(state);
  seedCustomers(state, NOW);
  return state;
}

describe('what the simulator sends, the client reads without loss', () => {
  const state = seeded();

  it('capability plans', () => {
    for (const plan of CAPABILITY_PLANS) expect(capabilityPlanSchema.parse(wireCapabilityPlan(plan))).toEqual(plan);
  });

  it('civic addresses with their locations, default and validation', () => {
    const addresses = [...state.tenants.values()].flatMap((tenant) => tenant.civicAddresses);
    expect(addresses.length).toBeGreaterThan(3);
    for (const address of addresses) {
      const read = civicAddressSchema.parse(wireCivicAddress(address, SIM_OPERATOR_ID));
      expect(read).toEqual({ ...address, partnerId: SIM_OPERATOR_ID });
    }
  });

  it('consents, numbers and orders', () => {
    for (const consent of state.consents.values()) {
      const read = consentSchema.parse(wireConsent(consent, SIM_OPERATOR_ID));
      expect(read).toMatchObject({ id: consent.id, tenantId: consent.tenantId, operatorId: SIM_OPERATOR_ID, status: consent.status, contacts: consent.contacts });
    }
    expect(state.numbers.size).toBeGreaterThan(0);
    for (const number of state.numbers.values()) {
      const read = numberSchema.parse(wireNumber(number));
      expect(read).toMatchObject({ telephoneNumber: number.telephoneNumber, tenantId: number.tenantId, usage: number.usage, acquiredCapabilities: number.acquiredCapabilities });
      expect(read.assignmentStatus).toBe(number.assignmentStatus === 'Unassigned' ? 'unassigned' : 'assigned');
    }
  });

  it('orders with their per-number results', () => {
    const order: OrderRecord = {
      orderId: 'o-1',
      seq: 1,
      type: 'Upload',
      tenantId: SIM_TENANT_US,
      clientId: 'c',
      createdAt: NOW,
      inProgressAt: NOW + 1000,
      completeAt: NOW + 3000,
      status: 'PartiallySucceeded',
      completedAt: NOW + 3000,
      ticketId: 'T-1',
      items: [
        { telephoneNumber: '+14255550100', status: 'Succeeded' },
        { telephoneNumber: '+14255550101', status: 'Failed', errorCode: 'NumberAlreadyAcquired', errorMessage: 'taken' },
      ],
    };
    expect(orderSchema.parse(wireOrder(order))).toEqual({
      orderId: 'o-1',
      type: 'Upload',
      tenantId: SIM_TENANT_US,
      status: 'PartiallySucceeded',
      createdAt: new Date(NOW).toISOString(),
      completedAt: new Date(NOW + 3000).toISOString(),
      results: [
        { telephoneNumber: '+14255550100', status: 'Succeeded' },
        { telephoneNumber: '+14255550101', status: 'Failed', errorCode: 'NumberAlreadyAcquired', errorMessage: 'taken' },
      ],
    });
  });
});

describe('tolerant reading', () => {
  it('fills a location from its address: the address id, and the default from defaultLocationId', () => {
    const read = civicAddressSchema.parse({ id: 'a1', defaultLocationId: 'l2', locations: [{ id: 'l1' }, { id: 'l2' }, { id: 'l3', civicAddressId: 'other', isDefault: 'TRUE' }] });
    expect(read.locations).toEqual([
      { id: 'l1', civicAddressId: 'a1', isDefault: false },
      { id: 'l2', civicAddressId: 'a1', isDefault: true },
      { id: 'l3', civicAddressId: 'other', isDefault: true },
    ]);
    expect(read.country).toBe('');
  });

  it('keeps free-form and unknown address fields as sent, and reads validationStatus in any casing', () => {
    const read = civicAddressSchema.parse({ id: 'a1', country: 'US', latitude: 47.6, floor: '3', validationStatus: 'not_validated' });
    expect(read).toMatchObject({ latitude: 47.6, floor: '3', validationStatus: 'NotValidated' });
    expect(civicAddressSchema.parse({ id: 'a1', validationStatus: 'pending' })).not.toHaveProperty('validationStatus');
  });

  it('treats empty strings and nulls as absent, and reads booleans written as strings', () => {
    const read = locationSchema.parse({ id: 'l1', description: '', elin: null, isDefault: 'false' });
    expect(read).toEqual({ id: 'l1', isDefault: false });
    expect(capabilityPlanSchema.parse({ usage: 'CallingUserAssignment', supportsTollFree: 'True', mandatoryCapabilities: null, choosableCapabilities: ['A', 7] })).toEqual({
      name: '',
      offerTypes: [],
      usage: 'CallingUserAssignment',
      mandatoryCapabilities: [],
      choosableCapabilities: ['A'],
      supportsTollFree: true,
    });
  });

  it('a number without a tenant belongs to the tenant asked about', () => {
    expect(parseNumber({ telephoneNumber: '+14255550100' }, SIM_TENANT_US)).toMatchObject({ tenantId: SIM_TENANT_US, assignmentStatus: 'assigned', usage: '' });
  });

  it('an order named by `id`, in the release vocabulary, resolves its status from the results', () => {
    const order = parseOrder({ id: 'o1', type: 'release', tenantId: 't', status: 'Complete', results: [{ telephoneNumber: '+1', status: 'Completed' }, { telephoneNumber: '+2', status: 'Error' }] });
    expect(order).toMatchObject({ orderId: 'o1', type: 'Release', status: 'PartiallySucceeded' });
  });

  it('refuses what has no identity, naming the field, as InvalidResponse', () => {
    for (const body of [{ country: 'US' }, { id: '' }, 'not an address', { id: 'a1', locations: 'none' }]) {
      let thrown: unknown;
      try {
        parseCivicAddress(body);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(OcError);
      expect(thrown).toMatchObject({ kind: 'permanent', code: 'InvalidResponse' });
    }
    expect(() => parseCivicAddress({ country: 'US' })).toThrow(/civicAddress\.id/);
  });
});
