/**
 * Accounts table: PartitionKey = account name, RowKey = '' (one partition per account spreads load;
 * listing is a key-ordered scan of this small table). Every filterable field is also a column, so
 * list filters are pushed down to the table whole.
 */
import { odata, type TableEntity } from '@azure/data-tables';
import type { ErrorDetail } from '../contract/errors';
import type { FilterFields } from '../contract/filter';
import { SERVICES, SERVICES_WITH_SYNC_FLAG, zeroCounts, type ServiceCounts } from '../domain/services';
import { tenantKey } from '../domain/tenants';
import type { AccountDoc, BackendState, ProvisioningStatus } from '../domain/types';
import { writeConflictBackoff } from './backoff';
import { step } from './steps';
import { intentFromRow, isIntentRow, type Intent } from './intents';
import { readJson } from './json';
import type { Row } from './query';
import { isNotFound, isPreconditionFailed } from './storageErrors';
import { tables } from './tables';

export type SubdomainStatus = 'provisioned' | 'notProvisioned' | 'inconsistent';

export interface AccountRecord {
  readonly doc: AccountDoc;
  readonly counts: ServiceCounts;
  readonly backend: BackendState;
  readonly subdomainStatus: SubdomainStatus;
  readonly lastModified: Date;
  /** Set while DELETE ?deleteNumbers=true is removing the numbers; the account refuses new numbers. */
  readonly deleting: boolean;
  /** Table ETag: every update is conditional on it (the SDK's default `*` is never used). */
  readonly etag: string;
}

export const ACCOUNT_FILTER_FIELDS: FilterFields = {
  name: { column: 'PartitionKey', type: 'string' },
  correlationId: { column: 'correlationId', type: 'string' },
  'serviceDetails/teamsTenantId': { column: 'teamsTenantId', type: 'string', caseInsensitive: true },
  serviceProvisioningStatus: { column: 'status', type: 'string' },
  ...Object.fromEntries(SERVICES.map((s) => [`serviceDetails/${s}/enabled`, { column: s, type: 'boolean' as const }])),
  ...Object.fromEntries(SERVICES_WITH_SYNC_FLAG.map((s) => [`serviceDetails/${s}/syncEnabled`, { column: `${s}Sync`, type: 'boolean' as const }])),
};

const countColumn = (s: string) => `${s}Count`;

export function accountEntity(record: Omit<AccountRecord, 'etag'>): TableEntity<Record<string, unknown>> {
  const { doc } = record;
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: doc.name,
    rowKey: '',
    doc: JSON.stringify(doc),
    status: record.backend.status,
    errors: JSON.stringify(record.backend.errors),
    subdomainStatus: record.subdomainStatus,
    lastModified: record.lastModified.toISOString(),
    deleting: record.deleting,
    correlationId: doc.correlationId ?? '',
    // Lower-cased: the filter column and the tenant → accounts lookup (teams/tenantAccounts.ts) compare
    // ids without regard to case; `doc` keeps the id as the client sent it.
    teamsTenantId: tenantKey(doc.serviceDetails?.teamsTenantId ?? ''),
  };
  for (const s of SERVICES) {
    entity[s] = doc.serviceDetails?.[s]?.enabled === true;
    entity[countColumn(s)] = record.counts[s];
  }
  for (const s of SERVICES_WITH_SYNC_FLAG) {
    const settings = doc.serviceDetails?.[s];
    entity[`${s}Sync`] = settings !== undefined && 'syncEnabled' in settings && settings.syncEnabled === true;
  }
  return entity;
}

export function accountFromRow(row: Row): AccountRecord {
  const counts = zeroCounts();
  for (const s of SERVICES) counts[s] = Number(row[countColumn(s)] ?? 0);
  return {
    doc: readJson<AccountDoc>(row.doc, { name: String(row.partitionKey) }),
    counts,
    backend: { status: String(row.status ?? 'pending') as ProvisioningStatus, errors: readJson<ErrorDetail[]>(row.errors, []) },
    subdomainStatus: String(row.subdomainStatus ?? 'notProvisioned') as SubdomainStatus,
    lastModified: new Date(String(row.lastModified)),
    deleting: row.deleting === true,
    etag: String(row.etag),
  };
}

/**
 * The account and the notes of its unfinished number writes, in one partition query (the notes live
 * in the account's partition, store/intents.ts): what a reader needs to know whether to repair first.
 */
export async function readAccountWithIntents(name: string): Promise<{ account?: AccountRecord; intents: Intent[] }> {
  const t = await tables();
  let account: AccountRecord | undefined;
  const intents: Intent[] = [];
  for await (const row of t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: accountNameFilter(name) } })) {
    if (isIntentRow(row as Row)) intents.push(intentFromRow(row as Row));
    else if (row.rowKey === '') account = accountFromRow(row as Row);
  }
  return { ...(account !== undefined ? { account } : {}), intents };
}

export async function readAccount(name: string): Promise<AccountRecord | undefined> {
  const t = await tables();
  try {
    return accountFromRow((await t.accounts.getEntity<Record<string, unknown>>(name, '')) as Row);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Creates the account; a concurrent create of the same name surfaces as the SDK's 409. */
export async function insertAccount(record: Omit<AccountRecord, 'etag'>): Promise<string> {
  const t = await tables();
  const response = await t.accounts.createEntity(accountEntity(record));
  return response.etag ?? '';
}

export async function replaceAccount(record: Omit<AccountRecord, 'etag'>, etag: string): Promise<string> {
  const t = await tables();
  const response = await t.accounts.updateEntity(accountEntity(record), 'Replace', { etag });
  return response.etag ?? '';
}

export async function deleteAccountRow(name: string, etag: string): Promise<void> {
  const t = await tables();
  await t.accounts.deleteEntity(name, '', { etag });
}

export class AccountGone extends Error {
  constructor(readonly accountName: string) {
    super(`account ${accountName} no longer exists`);
  }
}

/**
 * Applies per-service number count deltas with an optimistic ETag loop: concurrent batches on one
 * account each add their own exact delta. Throws AccountGone when the account was deleted meanwhile.
 */
export async function applyCountDelta(name: string, delta: ServiceCounts, now: Date): Promise<void> {
  if (SERVICES.every((s) => delta[s] === 0)) return;
  const t = await tables();
  for (let attempt = 0; attempt < 50; attempt++) {
    const current = await readAccount(name);
    if (current === undefined) throw new AccountGone(name);
    const patch: TableEntity<Record<string, unknown>> = { partitionKey: name, rowKey: '', lastModified: now.toISOString() };
    for (const s of SERVICES) patch[countColumn(s)] = Math.max(0, current.counts[s] + delta[s]);
    try {
      step('account.counts');
      await t.accounts.updateEntity(patch, 'Merge', { etag: current.etag });
      return;
    } catch (err) {
      if (isNotFound(err)) throw new AccountGone(name);
      if (!isPreconditionFailed(err)) throw err;
      await writeConflictBackoff(attempt);
    }
  }
  throw new Error(`could not update number counts of ${name}: too much contention`);
}

/** Replaces the counts with exact values (repair after a crash), with the same ETag loop. */
export async function setCounts(name: string, counts: ServiceCounts, now: Date): Promise<void> {
  const current = await readAccount(name);
  if (current === undefined) return;
  const delta = zeroCounts();
  for (const s of SERVICES) delta[s] = counts[s] - current.counts[s];
  try {
    await applyCountDelta(name, delta, now);
  } catch (err) {
    if (!(err instanceof AccountGone)) throw err;
  }
}

export function accountNameFilter(name: string): string {
  return odata`PartitionKey eq ${name}`;
}
