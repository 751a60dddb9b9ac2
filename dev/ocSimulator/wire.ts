/**
 * Stored records → JSON as the simulated API returns it (camelCase fields, PascalCase enum values,
 * ISO-8601 UTC times). The shapes are the client's own wire schemas (shared/flowthrough/oc/wire.ts):
 * each function returns that schema's input type, so simulator and client cannot drift apart.
 */
import type { WireCallingProfile, WireCapabilityPlan, WireCivicAddress, WireConsent, WireNumber, WireOrder } from '../../shared/flowthrough/oc/wire';
import type { CapabilityPlan } from './capabilities';
import type { CallingProfileRecord, CivicAddressRecord, ConsentRecord, NumberRecord, OrderRecord } from './model';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function wireConsent(consent: ConsentRecord, operatorId: string): WireConsent {
  return {
    id: consent.id,
    tenantId: consent.tenantId,
    operatorId,
    productContext: 'teams',
    status: consent.status,
    consentedOn: iso(consent.consentedOn),
    lastModifiedOn: iso(consent.lastModifiedOn),
    consentedCountries: [...consent.consentedCountries],
    contacts: consent.contacts.map((contact) => ({ ...contact })),
    ...(consent.customerRelationship !== undefined && {
      customerRelationship: {
        status: consent.customerRelationship.status,
        ...(consent.customerRelationship.comment !== undefined && { comment: consent.customerRelationship.comment }),
        lastModifiedOn: iso(consent.customerRelationship.lastModifiedOn),
      },
    }),
  };
}

export function wireCallingProfile(profile: CallingProfileRecord): WireCallingProfile {
  return {
    callingProfileId: profile.callingProfileId,
    name: profile.name,
    nameSuffix: profile.nameSuffix,
    offerTypes: profile.offerTypes.map((offerTypeName) => ({ offerTypeName })),
  };
}

export function wireCapabilityPlan(plan: CapabilityPlan): WireCapabilityPlan {
  return {
    name: plan.name,
    offerTypes: [...plan.offerTypes],
    usage: plan.usage,
    mandatoryCapabilities: [...plan.mandatoryCapabilities],
    choosableCapabilities: [...plan.choosableCapabilities],
    supportsTollFree: plan.supportsTollFree,
  };
}

export function wireCivicAddress(address: CivicAddressRecord, operatorId: string): WireCivicAddress {
  const { locations, ...fields } = address;
  return { ...fields, partnerId: operatorId, locations: locations.map((location) => ({ ...location })) };
}

export function wireNumber(number: NumberRecord): WireNumber {
  return {
    telephoneNumber: number.telephoneNumber,
    tenantId: number.tenantId,
    callingProfileId: number.callingProfileId,
    usage: number.usage,
    additionalUsages: [...number.additionalUsages],
    acquiredCapabilities: [...number.acquiredCapabilities],
    availableCapabilities: [...number.availableCapabilities],
    isoCountryCode: number.isoCountryCode,
    ...(number.displayedCountryCode !== undefined && { displayedCountryCode: number.displayedCountryCode }),
    ...(number.civicAddressId !== undefined && { civicAddressId: number.civicAddressId }),
    ...(number.locationId !== undefined && { locationId: number.locationId }),
    allowTenantAddressUpdate: number.allowTenantAddressUpdate,
    assignmentStatus: number.assignmentStatus,
    acquiredOn: iso(number.acquiredOn),
  };
}

export function wireOrder(order: OrderRecord): WireOrder {
  const finished = order.completedAt !== undefined;
  return {
    orderId: order.orderId,
    type: order.type,
    tenantId: order.tenantId,
    status: order.status,
    createdAt: iso(order.createdAt),
    ...(order.completedAt !== undefined && { completedAt: iso(order.completedAt) }),
    totalCount: order.items.length,
    successCount: finished ? order.items.filter((item) => item.status === 'Succeeded').length : 0,
    failureCount: finished ? order.items.filter((item) => item.status === 'Failed').length : 0,
    ...(order.ticketId !== undefined && { ticketId: order.ticketId }),
    results: order.items.map((item) => ({
      telephoneNumber: item.telephoneNumber,
      status: item.status,
      ...(item.errorCode !== undefined && { errorCode: item.errorCode }),
      ...(item.errorMessage !== undefined && { errorMessage: item.errorMessage }),
    })),
    ...(order.error !== undefined && { error: { ...order.error } }),
  };
}
