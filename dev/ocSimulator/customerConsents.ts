/**
 * The customer's side of a consent (Teams admin centre → Voice → Operators): adding the operator with
 * countries and contacts, suspending, reactivating and removing it (B9). What removal does to the
 * remaining numbers is not public, so it follows a configurable policy.
 */
import { randomUUID } from 'node:crypto';
import { asObject, invalidField, optionalEnum, optionalString, optionalStringArray, requiredString, type JsonObject } from './bodyFields';
import { normaliseCountry } from './countries';
import { SimError } from './errors';
import { releaseFromTenant } from './inventory';
import { CONSENT_STATUSES, CUSTOMER_RELATIONSHIP_STATUSES, type ConsentRecord, type ConsentStatus, type ContactRecord, type CustomerRelationshipStatus, type SimState } from './model';
import type { RemovalPolicy } from './settings';
import { createTenant, type CivicAddressSpec } from './tenants';

export interface ContactSpec {
  readonly fullName: string;
  readonly email: string;
  readonly telephoneNumber?: string;
  readonly companyName?: string;
  readonly companySize?: string;
}

export interface ConsentSpec {
  /** The tenant is created when it does not exist yet (with `tenantName` and `civicAddresses`). */
  readonly tenantId?: string;
  readonly tenantName?: string;
  readonly civicAddresses?: readonly CivicAddressSpec[];
  /** Default `['US']`. Empty: an operator-created consent the customer has not completed yet (B2). */
  readonly consentedCountries?: readonly string[];
  readonly contacts?: readonly ContactSpec[];
  /** Default Active; other values set up a tenant in that state directly. */
  readonly status?: ConsentStatus;
  readonly customerRelationship?: { readonly status: CustomerRelationshipStatus; readonly comment?: string };
  /** Fixed consent id (seed data); random otherwise. */
  readonly id?: string;
}

function parseContact(value: unknown): ContactRecord {
  const body = asObject(value, 'contacts[]');
  const telephoneNumber = optionalString(body, 'telephoneNumber');
  const companyName = optionalString(body, 'companyName');
  const companySize = optionalString(body, 'companySize');
  return {
    fullName: requiredString(body, 'fullName'),
    email: requiredString(body, 'email'),
    ...(telephoneNumber !== undefined && { telephoneNumber }),
    ...(companyName !== undefined && { companyName }),
    ...(companySize !== undefined && { companySize }),
  };
}

function parseRelationship(body: JsonObject, nowMs: number): ConsentRecord['customerRelationship'] {
  if (body.customerRelationship === undefined || body.customerRelationship === null) return undefined;
  const relationship = asObject(body.customerRelationship, 'customerRelationship');
  const status = optionalEnum(relationship, 'status', CUSTOMER_RELATIONSHIP_STATUSES);
  if (status === undefined) throw invalidField('customerRelationship.status', 'customerRelationship.status is required.');
  const comment = optionalString(relationship, 'comment');
  return { status, ...(comment !== undefined && { comment }), lastModifiedOn: nowMs };
}

export function requireConsent(state: SimState, tenantId: string): ConsentRecord {
  const consent = state.consents.get(tenantId);
  if (consent === undefined) throw new SimError(404, 'ConsentNotFound', `Tenant ${tenantId} has no consent for this operator.`);
  return consent;
}

/** The customer adds the operator. Re-adding after removal reactivates the same consent with the new details. */
export function addConsent(state: SimState, spec: unknown, nowMs: number): ConsentRecord {
  const body = asObject(spec, 'consent');
  const tenantId = optionalString(body, 'tenantId') ?? randomUUID();
  const countries = (optionalStringArray(body, 'consentedCountries') ?? ['US']).map(normaliseCountry);
  const contactSpecs = body.contacts === undefined ? undefined : body.contacts;
  if (contactSpecs !== undefined && !Array.isArray(contactSpecs)) throw invalidField('contacts', 'contacts must be an array.');
  const contacts = (contactSpecs ?? [{ fullName: 'Tenant Admin', email: `admin@${tenantId.slice(0, 8)}.example` }]).map(parseContact);
  const status = optionalEnum(body, 'status', CONSENT_STATUSES) ?? 'Active';
  const customerRelationship = parseRelationship(body, nowMs);

  const existing = state.consents.get(tenantId);
  if (existing !== undefined && existing.status !== 'Removed') {
    throw new SimError(409, 'ConsentAlreadyExists', `Tenant ${tenantId} already has a ${existing.status} consent for this operator.`);
  }
  if (!state.tenants.has(tenantId)) {
    createTenant(state, { tenantId, name: optionalString(body, 'tenantName'), civicAddresses: body.civicAddresses });
  }
  const consent: ConsentRecord = {
    id: existing?.id ?? optionalString(body, 'id') ?? randomUUID(),
    tenantId,
    status,
    consentedOn: nowMs,
    lastModifiedOn: nowMs,
    consentedCountries: countries,
    contacts,
    ...(customerRelationship !== undefined && { customerRelationship }),
  };
  state.consents.set(tenantId, consent);
  return consent;
}

function removedConflict(tenantId: string): SimError {
  return new SimError(409, 'ConsentRemoved', `The consent of tenant ${tenantId} was removed; the customer has to add the operator again.`);
}

export function suspendConsent(state: SimState, tenantId: string, nowMs: number): ConsentRecord {
  const consent = requireConsent(state, tenantId);
  if (consent.status === 'Removed') throw removedConflict(tenantId);
  if (consent.status !== 'Suspended') {
    consent.status = 'Suspended';
    consent.lastModifiedOn = nowMs;
  }
  return consent;
}

export function reactivateConsent(state: SimState, tenantId: string, nowMs: number): ConsentRecord {
  const consent = requireConsent(state, tenantId);
  if (consent.status === 'Removed') throw removedConflict(tenantId);
  if (consent.status !== 'Active') {
    consent.status = 'Active';
    consent.lastModifiedOn = nowMs;
  }
  return consent;
}

export function removeConsent(state: SimState, tenantId: string, nowMs: number, policy: RemovalPolicy, listLagMs: number): ConsentRecord {
  const consent = requireConsent(state, tenantId);
  if (consent.status === 'Removed') return consent;
  const numbers = [...state.numbers.values()].filter((record) => record.tenantId === tenantId);
  if (policy === 'blockIfNumbers' && numbers.length > 0) {
    throw new SimError(409, 'TenantHasNumbers', `Tenant ${tenantId} still holds ${numbers.length} number(s) from this operator; release them first.`);
  }
  if (policy === 'releaseUnassigned') {
    for (const record of numbers) if (record.assignmentStatus === 'Unassigned') releaseFromTenant(state, record, nowMs, listLagMs);
  }
  consent.status = 'Removed';
  consent.lastModifiedOn = nowMs;
  return consent;
}
