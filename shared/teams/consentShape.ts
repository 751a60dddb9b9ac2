/** Operator Connect consent → the consent and relationship parts of a request for information. */
import type { OcConsent } from '../flowthrough/oc/port';
import type { ConsentStatus, CustomerRelationship, RfiConsent, RfiContact } from '../store/rfiStore';

const CONSENT_STATUS: Readonly<Record<OcConsent['status'], ConsentStatus>> = { Active: 'active', Suspended: 'suspended', Removed: 'removed' };

/** RFC 3339 UTC, or undefined when OC sent nothing usable (the contract's date-time must parse). */
export function isoTime(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function contactsOf(consent: OcConsent): RfiContact[] {
  // fullName and email are required (minLength 1) in the contract: a contact without them is not shown.
  return consent.contacts
    .filter((contact) => contact.fullName !== '' && contact.email !== '')
    .map((contact) => ({
      fullName: contact.fullName,
      email: contact.email,
      ...(contact.telephoneNumber !== undefined ? { telephoneNumber: contact.telephoneNumber } : {}),
      ...(contact.companyName !== undefined ? { companyName: contact.companyName } : {}),
      ...(contact.companySize !== undefined ? { companySize: contact.companySize } : {}),
    }));
}

export function consentFromOc(consent: OcConsent): RfiConsent {
  const consentedOn = isoTime(consent.consentedOn);
  const lastModifiedOn = isoTime(consent.lastModifiedOn);
  return {
    id: consent.id,
    ...(consent.operatorId !== '' ? { operatorId: consent.operatorId } : {}),
    status: CONSENT_STATUS[consent.status],
    ...(consentedOn !== undefined ? { consentedOn } : {}),
    ...(lastModifiedOn !== undefined ? { lastModifiedOn } : {}),
    consentedCountries: [...consent.consentedCountries],
    contacts: contactsOf(consent),
  };
}

export function relationshipFromOc(consent: OcConsent): CustomerRelationship | undefined {
  const relationship = consent.customerRelationship;
  if (relationship === undefined) return undefined;
  const lastModifiedOn = isoTime(relationship.lastModifiedOn);
  return {
    status: relationship.status,
    ...(relationship.comment !== undefined ? { comment: relationship.comment } : {}),
    ...(lastModifiedOn !== undefined ? { lastModifiedOn } : {}),
  };
}
