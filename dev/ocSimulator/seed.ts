/**
 * Seed data (docs/oc-simulator.md, "Seed data"): one operator with its app registrations and
 * calling profiles, and tenants covering Active, Suspended and Removed consents, the countries US, CA
 * and GB, validated and not-validated addresses, an address without a default location, and numbers
 * already uploaded (including a US toll-free one). Every id is a fixed constant so tests and the
 * client's own tests can refer to them.
 */
import { CAPABILITY_PLANS } from './capabilities';
import { countryOfNumber } from './countries';
import { addApp } from './apps';
import { addConsent } from './customerConsents';
import { buildNumberRecord } from './inventory';
import { OC_ROLES, type AssignmentStatus, type SimState, type Usage } from './model';
import { createTenant } from './tenants';

/** The operator's own Entra tenant: the `{tenant}` of the token URL. */
export const SIM_OPERATOR_TENANT_ID = '0c000000-0000-4000-8000-000000000000';
/** The Operator ID shown in the OC portal and carried by consents. */
export const SIM_OPERATOR_ID = '0c000000-0000-4000-8000-0000000000a1';
/** Token audience: Project Synergy's app id; the real audience string is not public (docs/oc-client.md). */
export const SIM_RESOURCE = 'eb63d611-525e-4a31-abd7-0cb33f679599';
export const SIM_SCOPE = `${SIM_RESOURCE}/.default`;

/** Every role, registered in the OC portal. */
export const SIM_CLIENT_ID = '0c0a0000-0000-4000-8000-000000000001';
export const SIM_CLIENT_SECRET = 'sim-secret-all-roles';
/** The three *.Read roles (consents, calling profiles, numbers), registered in the OC portal. */
export const SIM_READER_CLIENT_ID = '0c0a0000-0000-4000-8000-000000000002';
export const SIM_READER_CLIENT_SECRET = 'sim-secret-reader';
/** Every role but not registered in the OC portal: every API call is 403 AppNotRegistered. */
export const SIM_UNREGISTERED_CLIENT_ID = '0c0a0000-0000-4000-8000-000000000003';
export const SIM_UNREGISTERED_CLIENT_SECRET = 'sim-secret-unregistered';

export const SIM_PROFILE_CALLING_ID = '0c0f0000-0000-4000-8000-000000000001';
export const SIM_PROFILE_CALLING_CONFERENCING_ID = '0c0f0000-0000-4000-8000-000000000002';
/** Teams Phone Mobile: offer type `Mobile`. */
export const SIM_PROFILE_MOBILE_ID = '0c0f0000-0000-4000-8000-000000000003';

/** Active, countries US and CA; four civic addresses; three numbers. */
export const SIM_TENANT_US = '0c7e0000-0000-4000-8000-000000000001';
/** Active, country GB; one address; one number. */
export const SIM_TENANT_GB = '0c7e0000-0000-4000-8000-000000000002';
/** Suspended by the customer, country US; one number. */
export const SIM_TENANT_SUSPENDED = '0c7e0000-0000-4000-8000-000000000003';
/** Removed by the customer, country US. */
export const SIM_TENANT_REMOVED = '0c7e0000-0000-4000-8000-000000000004';
/** Active but operator-created and not completed by the customer: no countries yet (B2). */
export const SIM_TENANT_PENDING_SETUP = '0c7e0000-0000-4000-8000-000000000005';
/** A tenant that never added this operator. */
export const SIM_TENANT_WITHOUT_CONSENT = '0c7e0000-0000-4000-8000-000000000006';

export const SIM_ADDRESSES = {
  /** SIM_TENANT_US, validated, default location `usMain`, second location `usFloor2`. */
  usValidated: '0cad0000-0000-4000-8000-000000000001',
  /** SIM_TENANT_US, not validated, default location `usNotValidated`. */
  usNotValidated: '0cad0000-0000-4000-8000-000000000002',
  /** SIM_TENANT_US, validated, one location that is not the default: UnableToRetrieveDefaultLocation. */
  usWithoutDefault: '0cad0000-0000-4000-8000-000000000003',
  /** SIM_TENANT_US, Toronto, validated, default location `caMain`. */
  caValidated: '0cad0000-0000-4000-8000-000000000004',
  /** SIM_TENANT_GB, validated, default location `gbMain`. */
  gbValidated: '0cad0000-0000-4000-8000-000000000005',
  /** SIM_TENANT_SUSPENDED, validated, default location `suspendedMain`. */
  suspendedValidated: '0cad0000-0000-4000-8000-000000000006',
} as const;

export const SIM_LOCATIONS = {
  usMain: '0c10c000-0000-4000-8000-000000000001',
  usFloor2: '0c10c000-0000-4000-8000-000000000002',
  usNotValidated: '0c10c000-0000-4000-8000-000000000003',
  usWithoutDefault: '0c10c000-0000-4000-8000-000000000004',
  caMain: '0c10c000-0000-4000-8000-000000000005',
  gbMain: '0c10c000-0000-4000-8000-000000000006',
  suspendedMain: '0c10c000-0000-4000-8000-000000000007',
} as const;

/** Numbers the seed has already uploaded. */
export const SIM_SEED_NUMBERS = {
  /** SIM_TENANT_US, CallingUserAssignment, assigned to a user (release fails with NumberAssigned). */
  usAssignedUser: '+14255550100',
  /** SIM_TENANT_US, CallingUserAssignment, unassigned. */
  usUnassignedUser: '+14255550101',
  /** SIM_TENANT_US, US toll-free, FirstPartyAppAssignment, displayedCountryCode US. */
  usTollFreeApp: '+18005550100',
  /** SIM_TENANT_GB, CallingUserAssignment, unassigned. */
  gbUser: '+442071234500',
  /** SIM_TENANT_SUSPENDED, CallingUserAssignment, unassigned. */
  suspendedUser: '+14255550150',
} as const;

/** Free ranges (nothing seeded in them) for tests to upload from; see simNumber(). */
export const SIM_NUMBER_RANGES = {
  US: { first: '+14255550200', count: 100 },
  CA: { first: '+14165550100', count: 100 },
  GB: { first: '+442071234600', count: 100 },
  /** North American toll-free: needs displayedCountryCode US or CA. */
  USTollFree: { first: '+18885550100', count: 100 },
} as const;

/** The `index`-th number of a range, e.g. simNumber(SIM_NUMBER_RANGES.US, 3) → +14255550203. */
export function simNumber(range: { readonly first: string; readonly count: number }, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= range.count) throw new RangeError(`index ${index} is outside the range of ${range.count}`);
  return `+${(BigInt(range.first.slice(1)) + BigInt(index)).toString()}`;
}

/** The operator's onboarding: apps and calling profiles. Present even when `seed: false`. */
export function seedOperator(state: SimState): void {
  addApp(state, { clientId: SIM_CLIENT_ID, clientSecret: SIM_CLIENT_SECRET, displayName: 'Provisioning platform (simulated)', roles: [...OC_ROLES] });
  addApp(state, {
    clientId: SIM_READER_CLIENT_ID,
    clientSecret: SIM_READER_CLIENT_SECRET,
    displayName: 'Read-only reporting (simulated)',
    roles: ['PartnerSettings.Read', 'TrunkManagement.Read', 'NumberManagement.Read'],
  });
  addApp(state, {
    clientId: SIM_UNREGISTERED_CLIENT_ID,
    clientSecret: SIM_UNREGISTERED_CLIENT_SECRET,
    displayName: 'Not in the OC portal (simulated)',
    registeredInPortal: false,
  });
  for (const profile of [
    { callingProfileId: SIM_PROFILE_CALLING_ID, name: 'Voice', nameSuffix: 'Sim', offerTypes: ['Calling'] },
    { callingProfileId: SIM_PROFILE_CALLING_CONFERENCING_ID, name: 'Voice and Conferencing', nameSuffix: 'Sim', offerTypes: ['Calling', 'AudioConferencing'] },
    { callingProfileId: SIM_PROFILE_MOBILE_ID, name: 'Teams Phone Mobile', nameSuffix: 'Sim', offerTypes: ['Mobile'] },
  ]) {
    state.callingProfiles.set(profile.callingProfileId, profile);
  }
}

const usAddresses = [
  {
    id: SIM_ADDRESSES.usValidated,
    country: 'US',
    houseNumber: '1',
    streetName: 'Microsoft Way',
    cityOrTown: 'Redmond',
    stateOrProvince: 'WA',
    postalOrZipCode: '98052',
    companyName: 'Contoso',
    description: 'Headquarters',
    validationStatus: 'Validated',
    locations: [
      { id: SIM_LOCATIONS.usMain, description: '911', isDefault: true, elin: 'HQ' },
      { id: SIM_LOCATIONS.usFloor2, description: 'Floor 2', additionalInfo: 'East wing' },
    ],
  },
  {
    id: SIM_ADDRESSES.usNotValidated,
    country: 'US',
    houseNumber: '500',
    streetName: 'Pine Street',
    cityOrTown: 'Seattle',
    stateOrProvince: 'WA',
    postalOrZipCode: '98101',
    companyName: 'Contoso',
    validationStatus: 'NotValidated',
    locations: [{ id: SIM_LOCATIONS.usNotValidated, description: 'Store', isDefault: true }],
  },
  {
    id: SIM_ADDRESSES.usWithoutDefault,
    country: 'US',
    houseNumber: '12',
    streetName: 'Harbor Road',
    cityOrTown: 'Tacoma',
    stateOrProvince: 'WA',
    postalOrZipCode: '98402',
    companyName: 'Contoso',
    validationStatus: 'Validated',
    locations: [{ id: SIM_LOCATIONS.usWithoutDefault, description: 'Warehouse' }],
  },
  {
    id: SIM_ADDRESSES.caValidated,
    country: 'CA',
    houseNumber: '81',
    streetName: 'Bay Street',
    cityOrTown: 'Toronto',
    stateOrProvince: 'ON',
    postalOrZipCode: 'M5J 0E7',
    companyName: 'Contoso Canada',
    validationStatus: 'Validated',
    locations: [{ id: SIM_LOCATIONS.caMain, description: 'Reception', isDefault: true }],
  },
];

function seedNumber(
  state: SimState,
  nowMs: number,
  tenantId: string,
  telephoneNumber: string,
  fields: { usage: Usage; callingProfileId: string; civicAddressId?: string; locationId?: string; assignmentStatus: AssignmentStatus; displayedCountryCode?: string },
): void {
  const country = countryOfNumber(telephoneNumber, fields.displayedCountryCode);
  const plan = CAPABILITY_PLANS.find((candidate) => candidate.usage === fields.usage && candidate.offerTypes.includes('Calling'));
  if (!country.known || plan === undefined) throw new Error(`seed number ${telephoneNumber} is inconsistent`);
  const record = buildNumberRecord({
    telephoneNumber,
    tenantId,
    isoCountryCode: country.isoCountryCode,
    tollFree: country.tollFree,
    plan,
    upload: {
      callingProfileId: fields.callingProfileId,
      usage: fields.usage,
      additionalUsages: [],
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      allowTenantAddressUpdate: false,
      ...(fields.displayedCountryCode !== undefined && { displayedCountryCode: fields.displayedCountryCode }),
    },
    ...(fields.civicAddressId !== undefined && { civicAddressId: fields.civicAddressId }),
    ...(fields.locationId !== undefined && { locationId: fields.locationId }),
    acquiredOn: nowMs,
    visibleFrom: nowMs,
  });
  state.numbers.set(telephoneNumber, { ...record, assignmentStatus: fields.assignmentStatus });
}

const contact = (name: string, domain: string, companyName: string, companySize: string) => ({
  fullName: name,
  email: `${name.split(' ')[0]?.toLowerCase() ?? 'admin'}@${domain}`,
  companyName,
  companySize,
});

/** Customers: tenants, consents, addresses and numbers already uploaded. */
export function seedCustomers(state: SimState, nowMs: number): void {
  addConsent(
    state,
    {
      id: '0cc00000-0000-4000-8000-000000000001',
      tenantId: SIM_TENANT_US,
      tenantName: 'Contoso',
      civicAddresses: usAddresses,
      consentedCountries: ['US', 'CA'],
      contacts: [{ ...contact('Avery Admin', 'contoso.example', 'Contoso', 'L250_U999'), telephoneNumber: '+14255550199' }],
      customerRelationship: { status: 'ConsentAcknowledged' },
    },
    nowMs,
  );
  addConsent(
    state,
    {
      id: '0cc00000-0000-4000-8000-000000000002',
      tenantId: SIM_TENANT_GB,
      tenantName: 'Fabrikam UK',
      civicAddresses: [
        {
          id: SIM_ADDRESSES.gbValidated,
          country: 'GB',
          houseNumber: '10',
          streetName: 'King Street',
          cityOrTown: 'London',
          postalOrZipCode: 'EC2V 8EA',
          companyName: 'Fabrikam',
          validationStatus: 'Validated',
          locations: [{ id: SIM_LOCATIONS.gbMain, description: 'Office', isDefault: true }],
        },
      ],
      consentedCountries: ['GB'],
      contacts: [contact('Blake Owner', 'fabrikam.example', 'Fabrikam', 'L1_U49')],
    },
    nowMs,
  );
  addConsent(
    state,
    {
      id: '0cc00000-0000-4000-8000-000000000003',
      tenantId: SIM_TENANT_SUSPENDED,
      tenantName: 'Northwind',
      civicAddresses: [
        {
          id: SIM_ADDRESSES.suspendedValidated,
          country: 'US',
          houseNumber: '4',
          streetName: 'Main Street',
          cityOrTown: 'Boise',
          stateOrProvince: 'ID',
          postalOrZipCode: '83702',
          validationStatus: 'Validated',
          locations: [{ id: SIM_LOCATIONS.suspendedMain, description: 'Office', isDefault: true }],
        },
      ],
      consentedCountries: ['US'],
      contacts: [contact('Casey Lead', 'northwind.example', 'Northwind', 'L50_U249')],
      status: 'Suspended',
    },
    nowMs,
  );
  addConsent(
    state,
    {
      id: '0cc00000-0000-4000-8000-000000000004',
      tenantId: SIM_TENANT_REMOVED,
      tenantName: 'Tailspin',
      consentedCountries: ['US'],
      contacts: [contact('Drew Former', 'tailspin.example', 'Tailspin', 'L1_U49')],
      status: 'Removed',
      customerRelationship: { status: 'ContractTerminated', comment: 'Moved to another operator' },
    },
    nowMs,
  );
  addConsent(
    state,
    {
      id: '0cc00000-0000-4000-8000-000000000005',
      tenantId: SIM_TENANT_PENDING_SETUP,
      tenantName: 'Woodgrove',
      consentedCountries: [],
      contacts: [{ fullName: 'Woodgrove', email: 'it@woodgrove.example', companyName: 'Woodgrove' }],
    },
    nowMs,
  );
  createTenant(state, { tenantId: SIM_TENANT_WITHOUT_CONSENT, name: 'Litware' });

  const calling = { callingProfileId: SIM_PROFILE_CALLING_ID } as const;
  seedNumber(state, nowMs, SIM_TENANT_US, SIM_SEED_NUMBERS.usAssignedUser, {
    ...calling,
    usage: 'CallingUserAssignment',
    civicAddressId: SIM_ADDRESSES.usValidated,
    locationId: SIM_LOCATIONS.usMain,
    assignmentStatus: 'UserAssigned',
  });
  seedNumber(state, nowMs, SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser, {
    ...calling,
    usage: 'CallingUserAssignment',
    civicAddressId: SIM_ADDRESSES.usValidated,
    locationId: SIM_LOCATIONS.usMain,
    assignmentStatus: 'Unassigned',
  });
  seedNumber(state, nowMs, SIM_TENANT_US, SIM_SEED_NUMBERS.usTollFreeApp, {
    ...calling,
    usage: 'FirstPartyAppAssignment',
    displayedCountryCode: 'US',
    assignmentStatus: 'Unassigned',
  });
  seedNumber(state, nowMs, SIM_TENANT_GB, SIM_SEED_NUMBERS.gbUser, {
    ...calling,
    usage: 'CallingUserAssignment',
    civicAddressId: SIM_ADDRESSES.gbValidated,
    locationId: SIM_LOCATIONS.gbMain,
    assignmentStatus: 'Unassigned',
  });
  seedNumber(state, nowMs, SIM_TENANT_SUSPENDED, SIM_SEED_NUMBERS.suspendedUser, {
    ...calling,
    usage: 'CallingUserAssignment',
    civicAddressId: SIM_ADDRESSES.suspendedValidated,
    locationId: SIM_LOCATIONS.suspendedMain,
    assignmentStatus: 'Unassigned',
  });
}
