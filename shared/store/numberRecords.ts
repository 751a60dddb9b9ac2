/**
 * The number entity as stored in both access paths: the account partition (numbers table) and the
 * number-keyed projection (numberindex table). Same columns in both, so filters translate alike.
 */
import type { TableEntity } from '@azure/data-tables';
import type { ErrorDetail } from '../contract/errors';
import type { FilterFields } from '../contract/filter';
import { SERVICES } from '../domain/services';
import type { BackendState, NumberDoc, ProvisioningStatus, TeamsReadBack } from '../domain/types';
import { readJson } from './json';
import type { Row } from './query';

export interface NumberRecord {
  readonly doc: NumberDoc;
  readonly backend: BackendState;
  readonly lastModified: Date;
}

const serviceFields = Object.fromEntries(SERVICES.map((s) => [`serviceDetails/${s}/enabled`, { column: s, type: 'boolean' as const }]));

/** Filters over an account's partition: the account is the PartitionKey, the number the RowKey. */
export const PARTITION_NUMBER_FILTER_FIELDS: FilterFields = {
  telephoneNumber: { column: 'RowKey', type: 'string' },
  accountName: { column: 'PartitionKey', type: 'string' },
  serviceProvisioningStatus: { column: 'status', type: 'string' },
  'configuration/customSipHeader': { column: 'customSipHeader', type: 'string' },
  ...serviceFields,
};

/** Filters over the number-keyed projection: the number is the RowKey, the account a column. */
export const INDEX_NUMBER_FILTER_FIELDS: FilterFields = {
  ...PARTITION_NUMBER_FILTER_FIELDS,
  accountName: { column: 'accountName', type: 'string' },
};

/** Data columns shared by both tables (keys are added by the caller). */
export function numberColumns(record: NumberRecord): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    accountName: record.doc.accountName,
    doc: JSON.stringify(record.doc),
    status: record.backend.status,
    errors: JSON.stringify(record.backend.errors),
    readBack: record.backend.readBack === undefined ? '' : JSON.stringify(record.backend.readBack),
    lastModified: record.lastModified.toISOString(),
    customSipHeader: record.doc.configuration?.customSipHeader ?? '',
  };
  for (const s of SERVICES) columns[s] = record.doc.serviceDetails[s]?.enabled === true;
  return columns;
}

export function partitionEntity(record: NumberRecord): TableEntity<Record<string, unknown>> {
  return { partitionKey: record.doc.accountName, rowKey: record.doc.telephoneNumber, ...numberColumns(record) };
}

export function numberFromRow(row: Row): NumberRecord {
  return {
    doc: readJson<NumberDoc>(row.doc, { telephoneNumber: String(row.rowKey), accountName: String(row.accountName), serviceDetails: {} }),
    backend: backendFromRow(row),
    lastModified: new Date(String(row.lastModified)),
  };
}

function backendFromRow(row: Row): BackendState {
  const backend: BackendState = { status: String(row.status ?? 'pending') as ProvisioningStatus, errors: readJson<ErrorDetail[]>(row.errors, []) };
  const readBack = readJson<TeamsReadBack | null>(row.readBack, null);
  if (readBack !== null) backend.readBack = readBack;
  return backend;
}
