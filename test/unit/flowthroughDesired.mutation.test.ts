/**
 * shared/flowthrough/reconcile/desired.ts beyond flowthroughDesired.test.ts, written against the
 * mutants StrykerJS left alive (docs/mutation.md): which service of a number is pushed, when a number
 * is not flow-through managed, the exact keys kept in the worker's memory (a changed key format would
 * re-push every number), and the order split at an exact multiple of the order size.
 */
import type { AccountDoc, NumberDoc, TeamsNumberSettings } from '../../shared/domain/types';
import { desiredUpload, groupUploads, ocEmergencyAddress, pushedKeyOf, splitPushedKey, type DesiredUpload } from '../../shared/flowthrough/reconcile/desired';

const TENANT = 'AAAAAAAA-2222-3333-4444-555555555555';
const config = { usage: 'CallingUserAssignment', choosableCapabilities: ['OutboundCalling', 'InboundCalling'] };
const syncing = (oc: boolean, tpm: boolean): AccountDoc => ({
  name: 'contoso',
  serviceDetails: { teamsTenantId: TENANT, teamsOperatorConnect: { enabled: true, syncEnabled: oc }, teamsPhoneMobile: { enabled: true, syncEnabled: tpm } },
});
const numberWith = (serviceDetails: NumberDoc['serviceDetails'], telephoneNumber = '+14255550100'): NumberDoc => ({ telephoneNumber, accountName: 'contoso', serviceDetails });
const tpm: TeamsNumberSettings = { enabled: true, configuration: config };

describe('which service of a number is pushed', () => {
  it('passes over Operator Connect when it is disabled, unconfigured or not synced, and takes Teams Phone Mobile', () => {
    const cases: [NumberDoc['serviceDetails'], AccountDoc][] = [
      [{ teamsOperatorConnect: { enabled: false, configuration: config }, teamsPhoneMobile: tpm }, syncing(true, true)],
      [{ teamsOperatorConnect: { enabled: true }, teamsPhoneMobile: tpm }, syncing(true, true)],
      [{ teamsOperatorConnect: { enabled: true, configuration: config }, teamsPhoneMobile: tpm }, syncing(false, true)],
      [{ teamsPhoneMobile: tpm }, syncing(true, true)],
    ];
    for (const [details, account] of cases) expect([details, desiredUpload(numberWith(details), account)?.service]).toEqual([details, 'teamsPhoneMobile']);
  });

  it('pushes nothing for a number whose services are not synced, disabled or unconfigured', () => {
    const cases: [NumberDoc['serviceDetails'], AccountDoc][] = [
      [{ teamsOperatorConnect: { enabled: true, configuration: config } }, syncing(false, true)],
      [{ teamsOperatorConnect: { enabled: false, configuration: config } }, syncing(true, true)],
      [{ teamsPhoneMobile: { enabled: true } }, syncing(true, true)],
      [{ teamsDirectRouting: { enabled: true } }, syncing(true, true)],
    ];
    for (const [details, account] of cases) expect([details, desiredUpload(numberWith(details), account)]).toEqual([details, undefined]);
  });

  it('pushes nothing without an account, its service details or its Teams tenant', () => {
    const doc = numberWith({ teamsOperatorConnect: { enabled: true, configuration: config } });
    expect(desiredUpload(doc, undefined)).toBeUndefined();
    expect(desiredUpload(doc, { name: 'contoso' })).toBeUndefined();
    expect(desiredUpload(doc, { name: 'contoso', serviceDetails: { teamsOperatorConnect: { enabled: true, syncEnabled: true } } })).toBeUndefined();
  });
});

describe('the desired upload and its keys', () => {
  it('is exactly this for a number with everything set (the keys are stored: their format must not drift)', () => {
    const doc = numberWith({
      teamsOperatorConnect: {
        enabled: true,
        assignmentStatus: 'unassigned',
        configuration: { ...config, additionalUsages: ['b', 'a'], displayedCountryCode: 'US', civicAddressId: 'ca-1', locationId: 'loc-1', allowTenantAddressUpdate: true },
      },
    });
    expect(desiredUpload(doc, syncing(true, false))).toStrictEqual({
      telephoneNumber: '+14255550100',
      service: 'teamsOperatorConnect',
      tenantId: TENANT.toLowerCase(),
      usage: 'CallingUserAssignment',
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      additionalUsages: ['a', 'b'],
      displayedCountryCode: 'US',
      civicAddressId: 'ca-1',
      locationId: 'loc-1',
      allowTenantAddressUpdate: true,
      assignmentStatus: 'unassigned',
      uploadKey: `{"service":"teamsOperatorConnect","tenantId":"${TENANT.toLowerCase()}","usage":"CallingUserAssignment","choosableCapabilities":["InboundCalling","OutboundCalling"],"additionalUsages":["a","b"],"displayedCountryCode":"US"}`,
      addressKey: '{"civicAddressId":"ca-1","locationId":"loc-1","allowTenantAddressUpdate":true}',
    });
  });

  it('is exactly this for a number with nothing optional set: absent members, nulls in the keys', () => {
    expect(desiredUpload(numberWith({ teamsOperatorConnect: { enabled: true, configuration: config } }), syncing(true, false))).toStrictEqual({
      telephoneNumber: '+14255550100',
      service: 'teamsOperatorConnect',
      tenantId: TENANT.toLowerCase(),
      usage: 'CallingUserAssignment',
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      additionalUsages: [],
      allowTenantAddressUpdate: false,
      uploadKey: `{"service":"teamsOperatorConnect","tenantId":"${TENANT.toLowerCase()}","usage":"CallingUserAssignment","choosableCapabilities":["InboundCalling","OutboundCalling"],"additionalUsages":[],"displayedCountryCode":null}`,
      addressKey: '{"civicAddressId":null,"locationId":null,"allowTenantAddressUpdate":false}',
    });
  });

  it('splits a stored key back into its halves, also when an id or a usage holds a "#"', () => {
    const upload = (civicAddressId: string, usage: string) =>
      desiredUpload(numberWith({ teamsOperatorConnect: { enabled: true, configuration: { ...config, usage, civicAddressId } } }), syncing(true, false)) as DesiredUpload;
    for (const d of [upload('ca-1', 'u'), upload('ca#1', 'u'), upload('ca-1', 'u#1'), upload('#ca#', '#u#')]) {
      expect(pushedKeyOf(d)).toBe(`${d.uploadKey}#${d.addressKey}`);
      expect(splitPushedKey(pushedKeyOf(d))).toStrictEqual({ uploadKey: d.uploadKey, addressKey: d.addressKey });
    }
    // A key written before address keys existed is all upload key.
    expect(splitPushedKey('{"service":"teamsOperatorConnect"}')).toStrictEqual({ uploadKey: '{"service":"teamsOperatorConnect"}', addressKey: '' });
  });
});

describe('emergency address and orders', () => {
  it('sends no address member at all when neither is named', () => {
    expect(ocEmergencyAddress({})).toStrictEqual({});
    expect(ocEmergencyAddress({ civicAddressId: 'ca-1' })).toStrictEqual({ civicAddressId: 'ca-1' });
  });

  it('orders numbers by number whatever order they come in, and makes no empty order at an exact multiple', () => {
    const account = syncing(true, false);
    const uploads = ['+14255550103', '+14255550101', '+14255550104', '+14255550102'].map(
      (n) => desiredUpload(numberWith({ teamsOperatorConnect: { enabled: true, configuration: config } }, n), account) as DesiredUpload,
    );
    const orders = groupUploads(uploads, 2).map((order) => order.map((u) => u.telephoneNumber));
    expect(orders).toEqual([
      ['+14255550101', '+14255550102'],
      ['+14255550103', '+14255550104'],
    ]);
    expect(groupUploads(uploads, 4).map((order) => order.length)).toEqual([4]);
  });
});
