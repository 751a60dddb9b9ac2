/**
 * What the customer does with an operator's numbers in the Teams admin centre: assign and unassign them
 * (B6), release an unassigned one without any operator order (B7), and change its emergency address
 * when the operator allowed it (B8).
 */
import { resolveEmergencyAddress } from './addresses';
import { asObject, optionalEnum, optionalString } from './bodyFields';
import { SimError } from './errors';
import { numberOfTenant, releaseFromTenant } from './inventory';
import type { AssignmentStatus, NumberRecord, SimState, Usage } from './model';
import { requireTenant } from './tenants';

export const ASSIGNMENT_TARGETS = ['user', 'voiceApp', 'conference'] as const;
export type AssignmentTarget = (typeof ASSIGNMENT_TARGETS)[number];

const TARGET_RULES: Readonly<Record<AssignmentTarget, { usage: Usage; status: AssignmentStatus }>> = {
  user: { usage: 'CallingUserAssignment', status: 'UserAssigned' },
  voiceApp: { usage: 'FirstPartyAppAssignment', status: 'VoiceAppAssigned' },
  conference: { usage: 'ConferenceAssignment', status: 'ConferenceAssigned' },
};

export function requireTenantNumber(state: SimState, tenantId: string, telephoneNumber: string): NumberRecord {
  requireTenant(state, tenantId);
  const record = numberOfTenant(state, tenantId, telephoneNumber);
  if (record === undefined) throw new SimError(404, 'NumberNotFound', `Number ${telephoneNumber} is not in tenant ${tenantId}.`);
  return record;
}

export function assignNumber(state: SimState, tenantId: string, telephoneNumber: string, body: unknown): NumberRecord {
  const targetType = optionalEnum(asObject(body), 'targetType', ASSIGNMENT_TARGETS) ?? 'user';
  const record = requireTenantNumber(state, tenantId, telephoneNumber);
  const rule = TARGET_RULES[targetType];
  if (record.usage !== rule.usage && !record.additionalUsages.includes(rule.usage)) {
    throw new SimError(400, 'AssignmentNotAllowed', `Number ${telephoneNumber} has usage ${record.usage}; it cannot be assigned to a ${targetType}.`);
  }
  if (record.assignmentStatus !== 'Unassigned') {
    throw new SimError(409, 'NumberAlreadyAssigned', `Number ${telephoneNumber} is already ${record.assignmentStatus}.`);
  }
  record.assignmentStatus = rule.status;
  return record;
}

export function unassignNumber(state: SimState, tenantId: string, telephoneNumber: string): NumberRecord {
  const record = requireTenantNumber(state, tenantId, telephoneNumber);
  record.assignmentStatus = 'Unassigned';
  return record;
}

export function releaseNumberByTenant(state: SimState, tenantId: string, telephoneNumber: string, nowMs: number, listLagMs: number): void {
  const record = requireTenantNumber(state, tenantId, telephoneNumber);
  if (record.assignmentStatus !== 'Unassigned') {
    throw new SimError(409, 'NumberAssigned', `Number ${telephoneNumber} is ${record.assignmentStatus}; unassign it before releasing it.`);
  }
  releaseFromTenant(state, record, nowMs, listLagMs);
}

export function updateEmergencyAddressByTenant(state: SimState, tenantId: string, telephoneNumber: string, body: unknown): NumberRecord {
  const fields = asObject(body);
  const civicAddressId = optionalString(fields, 'civicAddressId');
  const locationId = optionalString(fields, 'locationId');
  const record = requireTenantNumber(state, tenantId, telephoneNumber);
  if (!record.allowTenantAddressUpdate) {
    throw new SimError(403, 'TenantAddressUpdateNotAllowed', `The operator does not allow tenant ${tenantId} to change the address of ${telephoneNumber}.`);
  }
  if (civicAddressId !== undefined && locationId !== undefined) {
    throw new SimError(400, 'CivicAddressAndLocationConflict', 'Give either civicAddressId or locationId, not both.');
  }
  const resolved = resolveEmergencyAddress(requireTenant(state, tenantId), civicAddressId, locationId);
  if (!resolved.ok) throw new SimError(400, resolved.failure.code, resolved.failure.message);
  record.civicAddressId = resolved.civicAddressId;
  record.locationId = resolved.locationId;
  return record;
}
