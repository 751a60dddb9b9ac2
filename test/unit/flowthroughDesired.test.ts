/**
 * What the flow-through worker asks Operator Connect to hold (shared/flowthrough/reconcile/desired.ts):
 * which settings decide the upload, which can change in place, and how uploads become orders.
 * The same behaviour end to end, against the simulator: test/integration/flowthroughUploadOrders.test.ts.
 */
import type { AccountDoc, NumberDoc, TeamsNumberConfig } from '../../shared/domain/types';
import { loadFlowSettings } from '../../shared/flowthrough/config';
import { desiredUpload, groupUploads, ocEmergencyAddress, type DesiredUpload } from '../../shared/flowthrough/reconcile/desired';

const TENANT = '11111111-2222-3333-4444-555555555555';
const ACCOUNT: AccountDoc = { name: 'contoso', serviceDetails: { teamsTenantId: TENANT, teamsOperatorConnect: { enabled: true, syncEnabled: true } } };

function numberDoc(telephoneNumber: string, configuration: Partial<TeamsNumberConfig> = {}): NumberDoc {
  return {
    telephoneNumber,
    accountName: 'contoso',
    serviceDetails: {
      teamsOperatorConnect: { enabled: true, configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'], ...configuration } },
    },
  };
}

function desired(telephoneNumber: string, configuration: Partial<TeamsNumberConfig> = {}): DesiredUpload {
  const upload = desiredUpload(numberDoc(telephoneNumber, configuration), ACCOUNT);
  if (upload === undefined) throw new Error(`${telephoneNumber} is not flow-through managed`);
  return upload;
}

const numbers = (count: number, first = 14255550000): string[] => Array.from({ length: count }, (_, i) => `+${first + i}`);

describe('desired upload of a number', () => {
  it('carries the emergency address and location exactly as configured', () => {
    const upload = desired('+14255550100', { civicAddressId: 'ca-1', locationId: 'loc-2', allowTenantAddressUpdate: true, displayedCountryCode: 'US' });
    expect(upload).toMatchObject({ tenantId: TENANT, service: 'teamsOperatorConnect', civicAddressId: 'ca-1', locationId: 'loc-2', allowTenantAddressUpdate: true, displayedCountryCode: 'US' });
  });

  it('leaves out what is not configured rather than sending empty values', () => {
    const upload = desired('+14255550100');
    expect(upload).not.toHaveProperty('civicAddressId');
    expect(upload).not.toHaveProperty('locationId');
    expect(upload).not.toHaveProperty('displayedCountryCode');
    expect(upload.allowTenantAddressUpdate).toBe(false);
  });

  it('sees capabilities and additional usages as sets: their order changes no key', () => {
    const a = desired('+14255550100', { choosableCapabilities: ['InboundCalling', 'OutboundCalling'], additionalUsages: ['ConferenceAssignment', 'FirstPartyAppAssignment'] });
    const b = desired('+14255550101', { choosableCapabilities: ['OutboundCalling', 'InboundCalling'], additionalUsages: ['FirstPartyAppAssignment', 'ConferenceAssignment'] });
    expect(b.uploadKey).toBe(a.uploadKey);
    expect(b.choosableCapabilities).toEqual(['InboundCalling', 'OutboundCalling']);
  });

  it('a different location is an in-place change (address key), not a new upload (upload key)', () => {
    const a = desired('+14255550100', { civicAddressId: 'ca-1', locationId: 'loc-1' });
    const b = desired('+14255550100', { civicAddressId: 'ca-1', locationId: 'loc-2' });
    expect(b.uploadKey).toBe(a.uploadKey);
    expect(b.addressKey).not.toBe(a.addressKey);
  });

  it('a different usage, capability set or displayed country needs a new upload', () => {
    const base = desired('+14255550100');
    for (const change of [{ usage: 'FirstPartyAppAssignment' }, { choosableCapabilities: ['InboundCalling'] }, { displayedCountryCode: 'CA' }]) {
      expect([change, desired('+14255550100', change).uploadKey]).not.toEqual([change, base.uploadKey]);
    }
  });
});

describe('emergency address as Operator Connect takes it', () => {
  it('sends a location alone (it implies its civic address; both together are refused)', () => {
    expect(ocEmergencyAddress(desired('+14255550100', { civicAddressId: 'ca-1', locationId: 'loc-2' }))).toEqual({ locationId: 'loc-2' });
  });

  it('sends the civic address when no location is named, and nothing when neither is', () => {
    expect(ocEmergencyAddress(desired('+14255550100', { civicAddressId: 'ca-1' }))).toEqual({ civicAddressId: 'ca-1' });
    expect(ocEmergencyAddress(desired('+14255550100'))).toEqual({});
  });
});

describe('uploads grouped into orders', () => {
  it('the order-size limit is 1,000 numbers by default (Operator Connect refuses more per order)', () => {
    expect(loadFlowSettings({}).maxOrderSize).toBe(1000);
  });

  it('splits a group at the limit: 2,001 alike numbers become orders of 1,000, 1,000 and 1', () => {
    const orders = groupUploads(numbers(2001).map((n) => desired(n)), 1000);
    expect(orders.map((order) => order.length)).toEqual([1000, 1000, 1]);
    expect(new Set(orders.flat().map((d) => d.telephoneNumber)).size).toBe(2001);
  });

  it('fills each order up to exactly the limit, in number order', () => {
    const orders = groupUploads(numbers(7).reverse().map((n) => desired(n)), 3);
    expect(orders.map((order) => order.map((d) => d.telephoneNumber))).toEqual([numbers(3), numbers(3, 14255550003), numbers(1, 14255550006)]);
  });

  it('puts numbers whose capabilities are listed in another order into the same order', () => {
    const orders = groupUploads([desired('+14255550100', { choosableCapabilities: ['InboundCalling', 'OutboundCalling'] }), desired('+14255550101', { choosableCapabilities: ['OutboundCalling', 'InboundCalling'] })], 1000);
    expect(orders).toHaveLength(1);
  });

  it('keeps numbers with different locations in different orders (one order carries one location)', () => {
    const orders = groupUploads([desired('+14255550100', { civicAddressId: 'ca-1', locationId: 'loc-1' }), desired('+14255550101', { civicAddressId: 'ca-1', locationId: 'loc-2' })], 1000);
    expect(orders.map((order) => order.map((d) => d.locationId))).toEqual([['loc-1'], ['loc-2']]);
  });
});
