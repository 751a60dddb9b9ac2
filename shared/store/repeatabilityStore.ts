/**
 * repeatability table: PartitionKey = SHA-256 of the client's Repeatability-Request-ID (client text
 * never becomes a key), RowKey = ''. Holds the request fingerprint and, once done, the response to
 * replay. Large bodies (a batch response) are split over several properties (64 KiB limit each).
 */
import { createHash } from 'node:crypto';
import type { TableEntity } from '@azure/data-tables';
import type { ApiResponse } from '../contract/http';
import { readJson } from './json';
import { isConflict, isNotFound, isPreconditionFailed } from './storageErrors';
import { tables } from './tables';

const CHUNK = 30_000; // characters: UTF-16 strings of at most 60 KB per property

export interface RepeatabilityRecord {
  readonly fingerprint: string;
  readonly state: 'inProgress' | 'completed';
  readonly expiresAt: Date;
  readonly response?: ApiResponse;
  readonly etag: string;
}

export function requestKey(requestId: string): string {
  return createHash('sha256').update(requestId).digest('hex');
}

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
    fingerprint: String(row.fingerprint),
    state: row.state === 'completed' ? 'completed' : 'inProgress',
    expiresAt: new Date(String(row.expiresAt)),
    ...(response !== undefined ? { response } : {}),
    etag: String(row.etag),
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

export type BeginResult = { owned: true; etag: string } | { owned: false; existing: RepeatabilityRecord };

/**
 * Starts tracking a request id: either this caller owns the execution (with the record's ETag for
 * its completion), or another request with the same id got there first.
 */
export async function beginRepeatable(key: string, fingerprint: string, expiresAt: Date, replaceEtag?: string): Promise<BeginResult> {
  const t = await tables();
  const entity = { partitionKey: key, rowKey: '', fingerprint, state: 'inProgress', expiresAt: expiresAt.toISOString() };
  try {
    const response =
      replaceEtag === undefined ? await t.repeatability.createEntity(entity) : await t.repeatability.updateEntity(entity, 'Replace', { etag: replaceEtag });
    return { owned: true, etag: response.etag ?? '' };
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
