/**
 * Emergency address resolution (B3, B4): a location implies its civic address; a civic address alone
 * means its default location. Failures carry the per-number codes Teams reports.
 */
import type { NumberFailure } from './errors';
import type { TenantRecord } from './model';

export type AddressResolution =
  | { readonly ok: true; readonly civicAddressId?: string; readonly locationId?: string }
  | { readonly ok: false; readonly failure: NumberFailure };

export function resolveEmergencyAddress(tenant: TenantRecord, civicAddressId?: string, locationId?: string): AddressResolution {
  if (locationId !== undefined) {
    for (const address of tenant.civicAddresses) {
      if (address.locations.some((location) => location.id === locationId)) return { ok: true, civicAddressId: address.id, locationId };
    }
    return { ok: false, failure: { code: 'UnableToRetrieveLocation', message: `Location ${locationId} does not exist in tenant ${tenant.tenantId}.` } };
  }
  if (civicAddressId !== undefined) {
    const address = tenant.civicAddresses.find((candidate) => candidate.id === civicAddressId);
    if (address === undefined) {
      return { ok: false, failure: { code: 'UnableToRetrieveLocation', message: `Civic address ${civicAddressId} does not exist in tenant ${tenant.tenantId}.` } };
    }
    const defaultLocation = address.locations.find((location) => location.id === address.defaultLocationId);
    if (defaultLocation === undefined) {
      return { ok: false, failure: { code: 'UnableToRetrieveDefaultLocation', message: `Civic address ${civicAddressId} has no default location.` } };
    }
    return { ok: true, civicAddressId, locationId: defaultLocation.id };
  }
  return { ok: true };
}
