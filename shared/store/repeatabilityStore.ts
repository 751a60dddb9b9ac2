/**
 * repeatability table: PartitionKey = SHA-256 of the client's Repeatability-Request-ID (client text
 * never becomes a key), RowKey = ''. Holds the request fingerprint and, once done, the response to
 * replay. Large bodies (a batch response) are split over several properties (64 KiB limit each).
 */
import type { TableEntity } from '@azure/data-tables';
import type { ApiResponse } from '../contract/http';
import type { InProgressResult, RepeatabilityPersistence, RepeatabilityRecord } from '../contract/repeatability';
import { readJson } from './json';
import { isConflict, isNotFound, isPreconditionFailed } from './storageErrors';
import { tables } from './tables';

const CHUNK = 30_000; // characters: UTF-16 strings of at most 60 KB per property


function recordFrom(row: Record<string, unknown>): RepeatabilityRecord {
  let response: ApiResponse | undefined;
  if (row.state === 'completed') {
    const chunks: string[] = [];
    for (let i = 0; typeof row[`body${i}`] === 'string'; i++) chunks.push(row[`body${i}`] as string);
    const text = chunks.join('');
    response = {
      status: Number(row.status),
      headers: readJson<Record<string, string>>(row.headers, {}),
      ...(text !== '' ? { body: JSON.parse(text) as unknown } : {}),
    };
  }
  return {
    payloadHash: String(row.fingerprint),
    state: row.state === 'completed' ? 'completed' : 'inProgress',
    expiresAt: new Date(String(row.expiresAt)),
    ...(response !== undefined ? { response } : {}),
    version: String(row.etag),
  };
}

export async function readRepeatability(key: string): Promise<RepeatabilityRecord | undefined> {
  const t = await tables();
  try {
    return recordFrom((await t.repeatability.getEntity<Record<string, unknown>>(key, '')) as Record<string, unknown>);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Starts tracking a request id: either this caller owns the execution (with the record's ETag for
 * its completion), or another request with the same id got there first.
 */
export async function beginRepeatable(key: string, fingerprint: string, expiresAt: Date, replaceEtag?: string): Promise<InProgressResult> {
  const t = await tables();
  const entity = { partitionKey: key, rowKey: '', fingerprint, state: 'inProgress', expiresAt: expiresAt.toISOString() };
  try {
    const response =
      replaceEtag === undefined ? await t.repeatability.createEntity(entity) : await t.repeatability.updateEntity(entity, 'Replace', { etag: replaceEtag });
    return { owned: true, version: response.etag ?? '' };
  } catch (err) {
    if (!isConflict(err) && !isPreconditionFailed(err) && !isNotFound(err)) throw err;
  }
  const existing = await readRepeatability(key);
  if (existing === undefined) return beginRepeatable(key, fingerprint, expiresAt);
  return { owned: false, existing };
}

export async function completeRepeatable(key: string, etag: string, fingerprint: string, expiresAt: Date, response: ApiResponse): Promise<void> {
  const t = await tables();
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: key,
    rowKey: '',
    fingerprint,
    state: 'completed',
    expiresAt: expiresAt.toISOString(),
    status: response.status,
    headers: JSON.stringify(response.headers),
  };
  const text = response.body === undefined ? '' : JSON.stringify(response.body);
  for (let i = 0; i * CHUNK < text.length; i++) entity[`body${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  await t.repeatability.updateEntity(entity, 'Replace', { etag });
}

/** Forgets a request id whose execution did not complete (so a retry executes again). */
export async function abandonRepeatable(key: string, etag: string): Promise<void> {
  const t = await tables();
  try {
    await t.repeatability.deleteEntity(key, '', { etag });
  } catch (err) {
    if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
  }
}

/** The pipeline's repeatability port (shared/contract/repeatability.ts) over the repeatability table. */
export const tableRepeatability: RepeatabilityPersistence = {
  getRecord: readRepeatability,
  saveInProgress: beginRepeatable,
  saveSuccess: completeRepeatable,
  delete: abandonRepeatable,
};
