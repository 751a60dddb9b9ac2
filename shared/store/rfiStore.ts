/**
 * The `rfis` table: one row per consenting Teams tenant, PartitionKey = tenant id (lower case),
 * RowKey = ''. The consent part mirrors Operator Connect (written by the consent puller,
 * shared/teams/consentPuller.ts); the customer relationship is the operator's (written by PATCH,
 * confirmed by the push). Every D1 filter field is a column, always written, so list filters are
 * pushed down to the table whole. Reads and ETag-conditional writes.
 */
import type { TableEntity } from '@azure/data-tables';
import type { ErrorDetail } from '../contract/errors';
import type { FilterFields } from '../contract/filter';
import type { ProvisioningStatus } from '../domain/types';
import { readJson } from './json';
import type { Row } from './query';
import { isNotFound } from './storageErrors';
import { tables } from './tables';

export type ConsentStatus = 'active' | 'suspended' | 'removed';

export interface RfiContact {
  fullName: string;
  email: string;
  telephoneNumber?: string;
  companyName?: string;
  companySize?: string;
}

/** What Operator Connect says about the consent (read-only in our API). */
export interface RfiConsent {
  id: string;
  operatorId?: string;
  status: ConsentStatus;
  consentedOn?: string;
  lastModifiedOn?: string;
  consentedCountries: string[];
  contacts: RfiContact[];
}

export interface CustomerRelationship {
  status: string;
  comment?: string;
  lastModifiedOn?: string;
}

export interface RfiRecord {
  readonly tenantId: string;
  readonly accountName?: string;
  readonly consent: RfiConsent;
  /** What the API shows: the operator's pending or failed change, else Operator Connect's value. */
  readonly relationship?: CustomerRelationship;
  readonly provisioning: { readonly status: ProvisioningStatus; readonly errors: ErrorDetail[] };
  /** Bumped by every PATCH; a push only records its outcome while the version it pushed is current. */
  readonly desiredVersion: number;
  /** When the pending change was accepted: the clock of the stuck/give-up rules. */
  readonly desiredAt?: string;
  readonly lastModified: Date;
  /** Table ETag: every write is conditional on it. */
  readonly etag: string;
}

export const RFI_FILTER_FIELDS: FilterFields = {
  // The PartitionKey is the lower-cased tenant id (consentPuller.ts), so the filter is case-insensitive.
  tenantId: { column: 'PartitionKey', type: 'string', caseInsensitive: true },
  accountName: { column: 'accountName', type: 'string' },
  status: { column: 'status', type: 'string' },
  'customerRelationship/status': { column: 'relationshipStatus', type: 'string' },
};

function rfiEntity(record: Omit<RfiRecord, 'etag'>): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: record.tenantId,
    rowKey: '',
    consent: JSON.stringify(record.consent),
    status: record.consent.status,
    accountName: record.accountName ?? '',
    relationship: record.relationship === undefined ? '' : JSON.stringify(record.relationship),
    relationshipStatus: record.relationship?.status ?? '',
    provisioningStatus: record.provisioning.status,
    errors: JSON.stringify(record.provisioning.errors),
    desiredVersion: record.desiredVersion,
    desiredAt: record.desiredAt ?? '',
    lastModified: record.lastModified.toISOString(),
  };
}

export function rfiFromRow(row: Row): RfiRecord {
  const accountName = typeof row.accountName === 'string' && row.accountName !== '' ? row.accountName : undefined;
  const relationship = readJson<CustomerRelationship | undefined>(row.relationship, undefined);
  const desiredAt = typeof row.desiredAt === 'string' && row.desiredAt !== '' ? row.desiredAt : undefined;
  return {
    tenantId: String(row.partitionKey),
    ...(accountName !== undefined ? { accountName } : {}),
    consent: readJson<RfiConsent>(row.consent, { id: '', status: 'active', consentedCountries: [], contacts: [] }),
    ...(relationship !== undefined ? { relationship } : {}),
    provisioning: { status: String(row.provisioningStatus ?? 'synced') as ProvisioningStatus, errors: readJson<ErrorDetail[]>(row.errors, []) },
    desiredVersion: Number(row.desiredVersion ?? 0),
    ...(desiredAt !== undefined ? { desiredAt } : {}),
    lastModified: new Date(String(row.lastModified)),
    etag: String(row.etag),
  };
}

export async function readRfi(tenantId: string): Promise<RfiRecord | undefined> {
  const table = (await tables()).rfis;
  try {
    return rfiFromRow((await table.getEntity<Record<string, unknown>>(tenantId, '')) as Row);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Every RFI matching `filter` (the table is one row per consenting tenant: small). */
export async function readRfis(filter?: string): Promise<RfiRecord[]> {
  const table = (await tables()).rfis;
  const records: RfiRecord[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: filter === undefined ? {} : { filter } })) {
    records.push(rfiFromRow(row as Row));
  }
  return records;
}

/** Fails with the SDK's 409 when the row exists (a concurrent creator won). */
export async function insertRfi(record: Omit<RfiRecord, 'etag'>): Promise<void> {
  await (await tables()).rfis.createEntity(rfiEntity(record));
}

/** Fails with the SDK's 412 when the row changed since `etag` was read. */
export async function replaceRfi(record: Omit<RfiRecord, 'etag'>, etag: string): Promise<void> {
  await (await tables()).rfis.updateEntity(rfiEntity(record), 'Replace', { etag });
}
