/**
 * What the flow-through reconciler needs from Operator Connect, in our own words. The real partner
 * API is not public (../docs/flowthrough.md), so every wire detail (paths, envelopes, enum casing)
 * lives in the one adapter that implements this port; swapping in the official spec touches only it.
 * Enum values here are normalised (PascalCase as in operator-connect.md §3, parsed case-insensitively).
 */

export type ConsentStatus = 'Active' | 'Suspended' | 'Removed';

export type CustomerRelationshipStatus = 'ConsentAcknowledged' | 'CustomerContacted' | 'AgreementSigned' | 'ConsentDeclined' | 'ContractTerminated';

export interface OcContact {
  readonly fullName: string;
  readonly email: string;
  readonly telephoneNumber?: string;
  readonly companyName?: string;
  readonly companySize?: string;
}

export interface OcConsent {
  readonly id: string;
  readonly tenantId: string;
  readonly operatorId: string;
  readonly status: ConsentStatus;
  readonly consentedOn: string;
  readonly lastModifiedOn: string;
  readonly consentedCountries: readonly string[];
  readonly contacts: readonly OcContact[];
  readonly customerRelationship?: { readonly status: CustomerRelationshipStatus; readonly comment?: string; readonly lastModifiedOn?: string };
}

export type OcAssignmentStatus = 'assigned' | 'unassigned';

export interface OcNumber {
  readonly telephoneNumber: string;
  readonly tenantId: string;
  readonly callingProfileId?: string;
  readonly usage: string;
  readonly additionalUsages: readonly string[];
  readonly acquiredCapabilities: readonly string[];
  readonly availableCapabilities: readonly string[];
  readonly isoCountryCode?: string;
  readonly displayedCountryCode?: string;
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly allowTenantAddressUpdate: boolean;
  readonly assignmentStatus: OcAssignmentStatus;
  readonly acquiredOn?: string;
}

export interface OcCallingProfile {
  readonly id: string;
  readonly name: string;
  readonly offerTypes: readonly string[];
  /** Teams Phone Mobile profile (numbers carry the Mobile capability). */
  readonly mobile: boolean;
  /** Set by whoever manages the profile, e.g. `CommsGw` for ACG-managed ones (never edit those: operator-connect.md B16). */
  readonly nameSuffix?: string;
}

export interface OcCapabilityPlan {
  readonly name: string;
  readonly offerTypes: readonly string[];
  readonly usage: string;
  readonly mandatoryCapabilities: readonly string[];
  readonly choosableCapabilities: readonly string[];
  readonly supportsTollFree: boolean;
}

export interface OcLocation {
  readonly id: string;
  readonly civicAddressId: string;
  readonly description?: string;
  readonly additionalInfo?: string;
  readonly isDefault: boolean;
  readonly elin?: string;
}

/** Civic address as Operator Connect returns it (operator-connect.md §3.4); fields are optional strings. */
export interface OcCivicAddress {
  readonly id: string;
  readonly country: string;
  readonly defaultLocationId?: string;
  readonly validationStatus?: 'Validated' | 'NotValidated';
  readonly locations: readonly OcLocation[];
  readonly [field: string]: unknown;
}

export type OrderType = 'Upload' | 'Release' | 'Unassign';
export type OrderStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'PartiallySucceeded' | 'Failed';
export type OrderItemStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';

export interface OcOrderResult {
  readonly telephoneNumber: string;
  readonly status: OrderItemStatus;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface OcOrder {
  readonly orderId: string;
  readonly type: OrderType;
  readonly tenantId: string;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly completedAt?: string;
  readonly results: readonly OcOrderResult[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface UploadOrder {
  readonly tenantId: string;
  readonly telephoneNumbers: readonly string[];
  readonly callingProfileId: string;
  readonly usage: string;
  readonly choosableCapabilities: readonly string[];
  readonly additionalUsages?: readonly string[];
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly allowTenantAddressUpdate?: boolean;
  readonly displayedCountryCode?: string;
  readonly ticketId?: string;
}

export interface NumberUpdate {
  readonly civicAddressId?: string | null;
  readonly locationId?: string | null;
  readonly allowTenantAddressUpdate?: boolean;
}

/**
 * How a failed call should be treated:
 * - `transient`: throttled/unavailable and safe to try again later (`retryAfterMs` when the server said);
 * - `ambiguous`: a write may or may not have happened (timeout, dropped connection, 5xx on a POST):
 *   never re-send blindly, read back first;
 * - `permanent`: Operator Connect rejected the request (4xx); `code` is its error code;
 * - `configuration`: 401 after a fresh token or 403 (app not registered, role missing): not retried.
 */
export type OcFailureKind = 'transient' | 'ambiguous' | 'permanent' | 'configuration';

export class OcError extends Error {
  constructor(
    readonly kind: OcFailureKind,
    readonly status: number | undefined,
    readonly code: string,
    message: string,
    readonly details: readonly { readonly code: string; readonly message?: string; readonly target?: string }[] = [],
    readonly retryAfterMs?: number,
    /** Operator Connect's `x-ms-request-id` of the failing response, for support tickets. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'OcError';
  }
}

/**
 * The operations; reads of a missing resource return `undefined` (not an error). Every method may
 * throw OcError. Calls retry transient failures internally within a bounded budget, honouring
 * Retry-After; order submissions are never retried after an ambiguous failure.
 */
export interface OperatorConnect {
  listConsents(): Promise<OcConsent[]>;
  getConsent(tenantId: string): Promise<OcConsent | undefined>;
  updateCustomerRelationship(tenantId: string, relationship: { status: CustomerRelationshipStatus; comment?: string }): Promise<OcConsent>;
  listCallingProfiles(): Promise<OcCallingProfile[]>;
  getCapabilityPlans(tenantId: string): Promise<OcCapabilityPlan[]>;
  getAvailableCapabilities(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ telephoneNumber: string; availableCapabilities: string[] }[]>;
  listCivicAddresses(tenantId: string): Promise<OcCivicAddress[]>;
  getCivicAddress(tenantId: string, civicAddressId: string): Promise<OcCivicAddress | undefined>;
  listNumbers(tenantId: string): Promise<OcNumber[]>;
  getNumber(tenantId: string, telephoneNumber: string): Promise<OcNumber | undefined>;
  updateNumber(tenantId: string, telephoneNumber: string, update: NumberUpdate): Promise<OcNumber>;
  submitUpload(order: UploadOrder): Promise<{ orderId: string }>;
  submitRelease(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ orderId: string }>;
  submitUnassign(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ orderId: string }>;
  getOrder(orderId: string): Promise<OcOrder | undefined>;
  /**
   * Orders of a tenant created at or after `createdAfter` (ISO time), any status: the read-back after
   * an ambiguous submission finds the order that did get created (or proves none did).
   */
  listOrders(tenantId: string, createdAfter?: string): Promise<OcOrder[]>;
}
