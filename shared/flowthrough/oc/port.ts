/**
 * What the flow-through reconciler needs from Operator Connect, in our own words. The real partner
 * API is not public (../docs/flowthrough.md), so every wire detail (paths, envelopes, enum casing)
 * lives in the one adapter that implements this port; swapping in the official spec touches only it.
 * Enum values here are normalised (PascalCase as on the wire, parsed case-insensitively; docs/oc-client.md).
 */

import type {
  CONSENT_STATUSES,
  CUSTOMER_RELATIONSHIP_STATUSES,
  OcCallingProfile,
  OcCapabilityPlan,
  OcCivicAddress,
  OcConsent,
  OcContact,
  OcLocation,
  OcNumber as WireReadNumber,
  OcOrder,
  OcOrderResult,
  ORDER_ITEM_STATUSES,
  ORDER_STATUSES,
  ORDER_TYPES,
} from './wire';

/** The shapes read from Operator Connect: written once, as the wire schemas' output types (wire.ts). */
export type { OcCallingProfile, OcCapabilityPlan, OcCivicAddress, OcConsent, OcContact, OcLocation, OcOrder, OcOrderResult };

export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export type CustomerRelationshipStatus = (typeof CUSTOMER_RELATIONSHIP_STATUSES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderItemStatus = (typeof ORDER_ITEM_STATUSES)[number];
export type OcAssignmentStatus = 'assigned' | 'unassigned';

/** A number always belongs to a tenant: the one asked about when Operator Connect does not say. */
export type OcNumber = Omit<WireReadNumber, 'tenantId'> & { readonly tenantId: string };

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
