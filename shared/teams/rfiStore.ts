/** Reads and ETag-conditional writes of the `rfis` table. */
import type { TableClient } from '@azure/data-tables';
import type { Row } from '../store/query';
import { isNotFound } from '../store/storageErrors';
import { tables } from '../store/tables';
import { rfiEntity, rfiFromRow, type RfiRecord } from './rfiRecord';

export async function rfiTable(): Promise<TableClient> {
  return (await tables()).rfis;
}

export async function readRfi(tenantId: string): Promise<RfiRecord | undefined> {
  const table = await rfiTable();
  try {
    return rfiFromRow((await table.getEntity<Record<string, unknown>>(tenantId, '')) as Row);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Every RFI matching `filter` (the table is one row per consenting tenant: small). */
export async function readRfis(filter?: string): Promise<RfiRecord[]> {
  const table = await rfiTable();
  const records: RfiRecord[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: filter === undefined ? {} : { filter } })) {
    records.push(rfiFromRow(row as Row));
  }
  return records;
}

/** Fails with the SDK's 409 when the row exists (a concurrent creator won). */
export async function insertRfi(record: Omit<RfiRecord, 'etag'>): Promise<void> {
  await (await rfiTable()).createEntity(rfiEntity(record));
}

/** Fails with the SDK's 412 when the row changed since `etag` was read. */
export async function replaceRfi(record: Omit<RfiRecord, 'etag'>, etag: string): Promise<void> {
  await (await rfiTable()).updateEntity(rfiEntity(record), 'Replace', { etag });
}
