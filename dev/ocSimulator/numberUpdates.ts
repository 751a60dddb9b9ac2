/**
 * The operator's synchronous number update (PATCH): emergency address and whether the tenant may change
 * it. Same address rules as an upload, reported as a 400 instead of a per-number result.
 */
import { resolveEmergencyAddress } from './addresses';
import { asObject, invalidField, nullableString, optionalBoolean } from './bodyFields';
import { requireConsent } from './customerConsents';
import { SimError } from './errors';
import { numberOfTenant, numbersInOpenOrders } from './inventory';
import type { NumberRecord, SimState } from './model';
import { requireTenant } from './tenants';

export function updateNumberByOperator(state: SimState, tenantId: string, telephoneNumber: string, requestBody: unknown): NumberRecord {
  const body = asObject(requestBody);
  const civicAddressId = nullableString(body, 'civicAddressId');
  const locationId = nullableString(body, 'locationId');
  const allowTenantAddressUpdate = optionalBoolean(body, 'allowTenantAddressUpdate');
  if (civicAddressId === undefined && locationId === undefined && allowTenantAddressUpdate === undefined) {
    throw invalidField('body', 'Give civicAddressId, locationId or allowTenantAddressUpdate.');
  }
  const consent = requireConsent(state, tenantId);
  if (consent.status !== 'Active') throw new SimError(400, 'ConsentNotActive', `The consent of tenant ${tenantId} is ${consent.status}.`);
  const record = numberOfTenant(state, tenantId, telephoneNumber);
  if (record === undefined) throw new SimError(404, 'NumberNotFound', `Number ${telephoneNumber} is not in tenant ${tenantId}.`);
  const running = numbersInOpenOrders(state).get(telephoneNumber);
  if (running !== undefined) throw new SimError(409, 'NumberInProgress', `${telephoneNumber} is part of ${running.type} order ${running.orderId}.`);
  if (typeof civicAddressId === 'string' && typeof locationId === 'string') {
    throw new SimError(400, 'CivicAddressAndLocationConflict', 'Give either civicAddressId or locationId, not both (the location implies its address).');
  }

  let address = { civicAddressId: record.civicAddressId, locationId: record.locationId };
  if (typeof civicAddressId === 'string' || typeof locationId === 'string') {
    const resolved = resolveEmergencyAddress(requireTenant(state, tenantId), civicAddressId ?? undefined, locationId ?? undefined);
    if (!resolved.ok) throw new SimError(400, resolved.failure.code, resolved.failure.message);
    address = { civicAddressId: resolved.civicAddressId, locationId: resolved.locationId };
  } else if (civicAddressId === null || locationId === null) {
    address = { civicAddressId: undefined, locationId: undefined };
  }
  const allow = allowTenantAddressUpdate ?? record.allowTenantAddressUpdate;
  if (address.civicAddressId === undefined && record.usage === 'CallingUserAssignment' && !allow) {
    throw new SimError(400, 'EmergencyAddressRequired', 'A user number needs an emergency address unless the tenant may set it (allowTenantAddressUpdate).');
  }
  record.civicAddressId = address.civicAddressId;
  record.locationId = address.locationId;
  record.allowTenantAddressUpdate = allow;
  return record;
}
