/**
 * Enterprise tenants and their civic addresses, which the customer maintains in the Teams admin centre
 * (docs/oc-client.md, "What is known"); the operator can only read them. Specs arrive typed (programmatic) or as
 * JSON (/_sim), so they are validated the same way.
 */
import { randomUUID } from 'node:crypto';
import { CIVIC_ADDRESS_TEXT_FIELDS, VALIDATION_STATUSES, type CivicAddressTextField } from '../../shared/flowthrough/oc/wire';
import { asObject, invalidField, optionalBoolean, optionalEnum, optionalString, requiredString, type JsonObject } from './bodyFields';
import { SimError } from './errors';
import type { CivicAddressRecord, LocationRecord, SimState, TenantRecord } from './model';

export interface LocationSpec {
  readonly id?: string;
  readonly description?: string;
  readonly additionalInfo?: string;
  readonly isDefault?: boolean;
  readonly elin?: string;
}

export type CivicAddressSpec = Readonly<Partial<Record<CivicAddressTextField, string>>> & {
  readonly id?: string;
  readonly country: string;
  readonly validationStatus?: (typeof VALIDATION_STATUSES)[number];
  /** Absent: one default location is created. `[]` or none marked default: an address without a default. */
  readonly locations?: readonly LocationSpec[];
};

export interface TenantSpec {
  readonly tenantId?: string;
  readonly name?: string;
  readonly civicAddresses?: readonly CivicAddressSpec[];
}


function arrayField(body: JsonObject, field: string): unknown[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidField(field, `${field} must be an array.`);
  return value;
}

function parseLocation(value: unknown, civicAddressId: string): LocationRecord {
  const body = asObject(value, 'locations[]');
  const description = optionalString(body, 'description');
  const additionalInfo = optionalString(body, 'additionalInfo');
  const elin = optionalString(body, 'elin');
  return {
    id: optionalString(body, 'id') ?? randomUUID(),
    civicAddressId,
    ...(description !== undefined && { description }),
    ...(additionalInfo !== undefined && { additionalInfo }),
    isDefault: optionalBoolean(body, 'isDefault') ?? false,
    ...(elin !== undefined && { elin }),
  };
}

export function parseCivicAddress(value: unknown, tenantId: string): CivicAddressRecord {
  const body = asObject(value, 'civicAddresses[]');
  const id = optionalString(body, 'id') ?? randomUUID();
  const country = requiredString(body, 'country', 2).toUpperCase();
  const locationSpecs = arrayField(body, 'locations') ?? [{ description: 'Default', isDefault: true }];
  const locations = locationSpecs.map((spec) => parseLocation(spec, id));
  const defaults = locations.filter((location) => location.isDefault);
  if (defaults.length > 1) throw invalidField('locations', 'At most one location can be the default.');
  const text: Record<string, string> = {};
  for (const field of CIVIC_ADDRESS_TEXT_FIELDS) {
    const fieldValue = optionalString(body, field);
    if (fieldValue !== undefined) text[field] = fieldValue;
  }
  return {
    id,
    tenantId,
    country,
    ...text,
    validationStatus: optionalEnum(body, 'validationStatus', VALIDATION_STATUSES) ?? 'Validated',
    ...(defaults[0] !== undefined && { defaultLocationId: defaults[0].id }),
    locations,
  };
}

export function createTenant(state: SimState, spec: unknown): TenantRecord {
  const body = asObject(spec, 'tenant');
  const tenantId = optionalString(body, 'tenantId') ?? randomUUID();
  if (state.tenants.has(tenantId)) throw new SimError(409, 'TenantAlreadyExists', `Tenant ${tenantId} already exists.`);
  const tenant: TenantRecord = {
    tenantId,
    name: optionalString(body, 'name') ?? `Tenant ${tenantId.slice(0, 8)}`,
    civicAddresses: (arrayField(body, 'civicAddresses') ?? []).map((address) => parseCivicAddress(address, tenantId)),
  };
  state.tenants.set(tenantId, tenant);
  return tenant;
}

export function requireTenant(state: SimState, tenantId: string): TenantRecord {
  const tenant = state.tenants.get(tenantId);
  if (tenant === undefined) throw new SimError(404, 'TenantNotFound', `Tenant ${tenantId} does not exist.`);
  return tenant;
}

export function addCivicAddress(state: SimState, tenantId: string, spec: unknown): CivicAddressRecord {
  const tenant = requireTenant(state, tenantId);
  const address = parseCivicAddress(spec, tenantId);
  if (tenant.civicAddresses.some((existing) => existing.id === address.id)) {
    throw invalidField('id', `Civic address ${address.id} already exists in tenant ${tenantId}.`);
  }
  tenant.civicAddresses.push(address);
  return address;
}
