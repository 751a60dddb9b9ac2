/**
 * Operator Connect civic address → TeamsCivicAddressResource (docs/teams.md, "Pass-through
 * operations"). Only the contract's fields are copied (OC may send more); `validationStatus` is lower camel case in our
 * contract (`validated`/`notValidated`) where OC uses PascalCase.
 */
import type { OcCivicAddress, OcLocation } from '../flowthrough/oc/port';
import { CIVIC_ADDRESS_TEXT_FIELDS } from '../flowthrough/oc/wire';

/** The address fields the contract shares with Operator Connect (the wire's list, written once). */
const TEXT_FIELDS = ['country', ...CIVIC_ADDRESS_TEXT_FIELDS] as const;

/** The contract's location has Operator Connect's fields. */
export type TeamsLocation = OcLocation;

export type TeamsCivicAddress = { id: string; defaultLocationId: string; locations: TeamsLocation[] } & Record<string, unknown>;

const VALIDATION_STATUS = { Validated: 'validated', NotValidated: 'notValidated' } as const;

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  // Coordinates sometimes arrive as JSON numbers; the contract has strings.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function locationFromOc(location: OcLocation, civicAddressId: string): TeamsLocation {
  return {
    id: location.id,
    civicAddressId: location.civicAddressId || civicAddressId,
    ...(location.description !== undefined ? { description: location.description } : {}),
    ...(location.additionalInfo !== undefined ? { additionalInfo: location.additionalInfo } : {}),
    isDefault: location.isDefault,
    ...(location.elin !== undefined ? { elin: location.elin } : {}),
  };
}

/** The address's default location: OC's `defaultLocationId`, else the location flagged default. */
export function defaultLocationOf(address: OcCivicAddress): string | undefined {
  if (typeof address.defaultLocationId === 'string' && address.defaultLocationId !== '') return address.defaultLocationId;
  return address.locations.find((location) => location.isDefault)?.id;
}

/**
 * undefined when the address has no default location: `defaultLocationId` is required by the
 * contract and an upload naming only the address would fail, so such an address is not offered.
 */
export function civicAddressFromOc(address: OcCivicAddress, tenantId: string): TeamsCivicAddress | undefined {
  const defaultLocationId = defaultLocationOf(address);
  if (defaultLocationId === undefined) return undefined;
  const out: TeamsCivicAddress = { id: address.id, defaultLocationId, locations: [] };
  for (const field of TEXT_FIELDS) {
    const value = text(address[field]);
    if (value !== undefined) out[field] = value;
  }
  if (address.validationStatus !== undefined) out.validationStatus = VALIDATION_STATUS[address.validationStatus];
  out.tenantId = tenantId;
  const partnerId = text(address.partnerId);
  if (partnerId !== undefined) out.partnerId = partnerId;
  out.locations = address.locations.map((location) => locationFromOc(location, address.id));
  return out;
}
