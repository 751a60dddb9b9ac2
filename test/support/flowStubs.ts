/**
 * Light stand-ins for the reconcile unit suites that need no storage: flow-through settings with
 * the production defaults' shape, and an Operator Connect port of which only the methods a test
 * names answer (any other call fails the test, naming the method and the code under test).
 */
import type { FlowSettings } from '../../shared/flowthrough/config';
import type { OperatorConnect } from '../../shared/flowthrough/oc/port';

export function flowSettings(over: Partial<FlowSettings> = {}): FlowSettings {
  return {
    followUpMs: 15_000,
    maxOrderSize: 1000,
    ambiguousGraceMs: 120_000,
    stuckAfterMs: 120_000,
    giveUpAfterMs: 86_400_000,
    dnsDriftRepairDelayMs: 300_000,
    ...over,
  };
}

const METHODS: readonly (keyof OperatorConnect)[] = [
  'listConsents', 'getConsent', 'updateCustomerRelationship', 'listCallingProfiles', 'getCapabilityPlans',
  'getAvailableCapabilities', 'listCivicAddresses', 'getCivicAddress', 'listNumbers', 'getNumber', 'updateNumber',
  'submitUpload', 'submitRelease', 'submitUnassign', 'getOrder', 'listOrders',
];

/** An OperatorConnect whose methods in `answering` are used as given; every other one rejects. */
export function operatorConnectWith(caller: string, answering: Partial<OperatorConnect>): OperatorConnect {
  const unused = (name: string) => () => Promise.reject(new Error(`${name} is not used by ${caller}`));
  return { ...Object.fromEntries(METHODS.map((name) => [name, unused(name)])), ...answering } as OperatorConnect;
}
