/** RequestForInformationResource as the API returns it, with the ETag derived from it. */
import { etagOf } from '../contract/conditional';
import type { RfiRecord } from '../store/rfiStore';

export interface RfiRepresentation {
  readonly body: Record<string, unknown>;
  readonly etag: string;
  readonly lastModified: Date;
}

export function representRfi(record: Omit<RfiRecord, 'etag'>): RfiRepresentation {
  const { consent, relationship } = record;
  const body: Record<string, unknown> = {
    id: consent.id,
    tenantId: record.tenantId,
    ...(record.accountName !== undefined ? { accountName: record.accountName } : {}),
    productContext: 'teams',
    ...(consent.operatorId !== undefined ? { operatorId: consent.operatorId } : {}),
    status: consent.status,
    ...(consent.consentedOn !== undefined ? { consentedOn: consent.consentedOn } : {}),
    ...(consent.lastModifiedOn !== undefined ? { lastModifiedOn: consent.lastModifiedOn } : {}),
    consentedCountries: consent.consentedCountries,
    contacts: consent.contacts,
    ...(relationship !== undefined
      ? {
          customerRelationship: {
            status: relationship.status,
            ...(relationship.lastModifiedOn !== undefined ? { lastModifiedOn: relationship.lastModifiedOn } : {}),
            ...(relationship.comment !== undefined ? { comment: relationship.comment } : {}),
          },
        }
      : {}),
    serviceProvisioningStatus: record.provisioning.status,
    serviceProvisioningErrors: record.provisioning.errors,
  };
  return { body, etag: etagOf(body), lastModified: record.lastModified };
}
