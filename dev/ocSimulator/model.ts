/**
 * What the simulated Operator Connect knows, as stored records (times are virtual epoch ms). The wire
 * shapes the API returns are derived from these in wire.ts; enum values are PascalCase as on the real
 * wire (docs/oc-client.md, "What is known") and, like locations and the civic address fields, come from the client's
 * wire schemas (shared/flowthrough/oc/wire.ts), written once.
 */
import {
  CONSENT_STATUSES,
  CUSTOMER_RELATIONSHIP_STATUSES,
  type CivicAddressTextField,
  type OcLocation,
  type ORDER_ITEM_STATUSES,
  type ORDER_STATUSES,
  type ORDER_TYPES,
  type VALIDATION_STATUSES,
} from '../../shared/flowthrough/oc/wire';

export const OC_ROLES = [
  'TrunkManagement.Read',
  'TrunkManagement.Write',
  'PartnerSettings.Read',
  'PartnerSettings.Write',
  'NumberManagement.Read',
  'NumberManagement.Write',
  'Data.Read',
  'Data.Write',
] as const;
export type OcRole = (typeof OC_ROLES)[number];

export { CONSENT_STATUSES, CUSTOMER_RELATIONSHIP_STATUSES };
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export type CustomerRelationshipStatus = (typeof CUSTOMER_RELATIONSHIP_STATUSES)[number];

export const USAGES = ['CallingUserAssignment', 'FirstPartyAppAssignment', 'ConferenceAssignment'] as const;
export type Usage = (typeof USAGES)[number];

export const ASSIGNMENT_STATUSES = ['Unassigned', 'UserAssigned', 'ConferenceAssigned', 'VoiceAppAssigned'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderItemStatus = (typeof ORDER_ITEM_STATUSES)[number];

/** An app registration in the operator's Entra tenant, plus whether the OC portal lists it (docs/oc-client.md). */
export interface AppRecord {
  clientId: string;
  clientSecret: string;
  displayName: string;
  roles: OcRole[];
  registeredInPortal: boolean;
}

export interface CallingProfileRecord {
  readonly callingProfileId: string;
  readonly name: string;
  readonly nameSuffix: string;
  readonly offerTypes: readonly string[];
}

export type LocationRecord = OcLocation;

/** The address's free-form fields are the wire's (CIVIC_ADDRESS_TEXT_FIELDS), all optional. */
export type CivicAddressRecord = Readonly<Partial<Record<CivicAddressTextField, string>>> & {
  readonly id: string;
  readonly tenantId: string;
  readonly country: string;
  readonly validationStatus: (typeof VALIDATION_STATUSES)[number];
  /** Absent when the address has no default location (drives UnableToRetrieveDefaultLocation). */
  readonly defaultLocationId?: string;
  readonly locations: readonly LocationRecord[];
};

export interface TenantRecord {
  readonly tenantId: string;
  readonly name: string;
  readonly civicAddresses: CivicAddressRecord[];
}

export interface ContactRecord {
  readonly fullName: string;
  readonly email: string;
  readonly telephoneNumber?: string;
  readonly companyName?: string;
  readonly companySize?: string;
}

export interface ConsentRecord {
  readonly id: string;
  readonly tenantId: string;
  status: ConsentStatus;
  consentedOn: number;
  lastModifiedOn: number;
  consentedCountries: string[];
  contacts: ContactRecord[];
  customerRelationship?: { status: CustomerRelationshipStatus; comment?: string; lastModifiedOn: number };
}

export interface NumberRecord {
  readonly telephoneNumber: string;
  readonly tenantId: string;
  readonly callingProfileId: string;
  readonly usage: Usage;
  readonly additionalUsages: readonly Usage[];
  readonly acquiredCapabilities: readonly string[];
  readonly availableCapabilities: readonly string[];
  readonly isoCountryCode: string;
  readonly displayedCountryCode?: string;
  civicAddressId?: string;
  locationId?: string;
  allowTenantAddressUpdate: boolean;
  assignmentStatus: AssignmentStatus;
  readonly acquiredOn: number;
  /** The operator's lists show the number from this time on (completion + listLagMs). */
  readonly visibleFrom: number;
  readonly uploadOrderId?: string;
}

/** A released number that the operator's lists still show until `hiddenFrom` (listLagMs). */
export interface ReleasedNumberRecord extends NumberRecord {
  readonly hiddenFrom: number;
}

export interface UploadDetails {
  readonly callingProfileId: string;
  readonly usage: Usage;
  readonly additionalUsages: readonly Usage[];
  readonly choosableCapabilities: readonly string[];
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly allowTenantAddressUpdate: boolean;
  readonly displayedCountryCode?: string;
}

export interface OrderItemRecord {
  readonly telephoneNumber: string;
  status: OrderItemStatus;
  errorCode?: string;
  errorMessage?: string;
  /** Decided at submission (overlap with another open order), reported when the order completes. */
  readonly presetFailure?: { readonly code: string; readonly message: string };
}

export interface OrderRecord {
  readonly orderId: string;
  /** Submission sequence: breaks ties between orders due at the same virtual ms. */
  readonly seq: number;
  readonly type: OrderType;
  readonly tenantId: string;
  readonly clientId: string;
  readonly createdAt: number;
  readonly inProgressAt: number;
  readonly completeAt: number;
  status: OrderStatus;
  completedAt?: number;
  readonly ticketId?: string;
  readonly upload?: UploadDetails;
  readonly items: OrderItemRecord[];
  error?: { code: string; message: string };
}

export function isTerminal(status: OrderStatus): boolean {
  return status === 'Succeeded' || status === 'PartiallySucceeded' || status === 'Failed';
}

/** The whole simulated world. Numbers are keyed by telephone number: a number has at most one owner. */
export interface SimState {
  readonly operatorId: string;
  readonly operatorTenantId: string;
  readonly apps: Map<string, AppRecord>;
  readonly callingProfiles: Map<string, CallingProfileRecord>;
  readonly tenants: Map<string, TenantRecord>;
  /** Keyed by tenant id: one consent per tenant for this operator. */
  readonly consents: Map<string, ConsentRecord>;
  readonly numbers: Map<string, NumberRecord>;
  readonly releasedNumbers: Map<string, ReleasedNumberRecord>;
  readonly orders: Map<string, OrderRecord>;
  nextOrderSeq: number;
}

export function emptyState(operatorId: string, operatorTenantId: string): SimState {
  return {
    operatorId,
    operatorTenantId,
    apps: new Map(),
    callingProfiles: new Map(),
    tenants: new Map(),
    consents: new Map(),
    numbers: new Map(),
    releasedNumbers: new Map(),
    orders: new Map(),
    nextOrderSeq: 1,
  };
}
