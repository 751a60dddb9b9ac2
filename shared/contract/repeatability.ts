/**
 * Repeatable requests (Azure.Core RepeatabilityRequestHeaders, OASIS Repeatable Requests, D17):
 * a request id is remembered for the window; a repeat replays the stored response without
 * executing again; the same id with a different request is refused; stale or malformed
 * First-Sent is rejected. Failed executions are forgotten, so bad input writes nothing.
 */
import { createHash } from 'node:crypto';
import { ApiError, ErrorCode } from './errors';
import type { ApiRequest, ApiResponse } from './http';
import { parseHttpDate } from './conditional';

/**
 * Where repeatability records live, shaped like AWS Powertools' idempotency persistence layer: the
 * pipeline is given one (shared/store/repeatabilityStore.ts implements it over Table Storage), so
 * this module decides and the store only stores.
 */
export interface RepeatabilityRecord {
  /** The request's payload hash: method, path, query (without api-version) and body. */
  readonly payloadHash: string;
  readonly state: 'inProgress' | 'completed';
  readonly expiresAt: Date;
  /** The response to replay, once completed. */
  readonly response?: ApiResponse;
  /** Optimistic-concurrency token of the stored record. */
  readonly version: string;
}

/** saveInProgress either claims the key (this request executes) or returns who holds it. */
export type InProgressResult = { owned: true; version: string } | { owned: false; existing: RepeatabilityRecord };

export interface RepeatabilityPersistence {
  getRecord(key: string): Promise<RepeatabilityRecord | undefined>;
  /** Claims `key`; `replacing` is the version of an expired record being taken over. */
  saveInProgress(key: string, payloadHash: string, expiresAt: Date, replacing?: string): Promise<InProgressResult>;
  saveSuccess(key: string, version: string, payloadHash: string, expiresAt: Date, response: ApiResponse): Promise<void>;
  /** Forgets a claim whose execution failed, so a retry executes again. */
  delete(key: string, version: string): Promise<void>;
}

/** Client text never becomes a storage key: the key is the SHA-256 of the request id. */
export function requestKey(requestId: string): string {
  return createHash('sha256').update(requestId).digest('hex');
}

const MAX_ID_LENGTH = 256;
const IN_PROGRESS_WAIT_MS = 5_000;
/** Headers worth replaying; per-request ones (client request id) are added fresh each time. */
const REPLAYED_HEADERS = ['etag', 'location'];

const rejected = (message: string, target: string) =>
  new ApiError(400, ErrorCode.RepeatabilityRejected, message, { target, headers: { 'Repeatability-Result': 'rejected' } });

async function fingerprintOf(req: ApiRequest): Promise<string> {
  const body = await req.readBody();
  const query = [...req.url.searchParams].filter(([k]) => k !== 'api-version').sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(req.method.toUpperCase())
    .update('\n')
    .update(req.url.pathname)
    .update('\n')
    .update(JSON.stringify(query))
    .update('\n')
    .update(body)
    .digest('hex');
}

function replay(response: ApiResponse): ApiResponse {
  return { ...response, headers: { ...response.headers, 'Repeatability-Result': 'accepted' } };
}

export async function withRepeatability(
  persistence: RepeatabilityPersistence,
  req: ApiRequest,
  windowSeconds: number,
  execute: () => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const requestId = req.headers.get('repeatability-request-id');
  const firstSentRaw = req.headers.get('repeatability-first-sent');
  if (requestId === null) {
    if (firstSentRaw !== null) throw rejected('Repeatability-First-Sent requires Repeatability-Request-ID.', 'Repeatability-Request-ID');
    return execute();
  }
  if (requestId.trim() === '' || requestId.length > MAX_ID_LENGTH) {
    throw rejected(`Repeatability-Request-ID must be 1 to ${MAX_ID_LENGTH} characters.`, 'Repeatability-Request-ID');
  }
  const now = Date.now();
  let firstSent: Date;
  try {
    firstSent = parseHttpDate('Repeatability-First-Sent', firstSentRaw) ?? new Date(now);
  } catch {
    throw rejected('Repeatability-First-Sent must be an HTTP date.', 'Repeatability-First-Sent');
  }
  if (now - firstSent.getTime() > windowSeconds * 1000) {
    throw rejected(`Repeatability-First-Sent is older than the ${windowSeconds / 60}-minute repeatability window.`, 'Repeatability-First-Sent');
  }
  if (firstSent.getTime() - now > 5 * 60_000) throw rejected('Repeatability-First-Sent is in the future.', 'Repeatability-First-Sent');

  const key = requestKey(requestId);
  const fingerprint = await fingerprintOf(req);
  const expiresAt = new Date(firstSent.getTime() + windowSeconds * 1000);
  let begun = await persistence.saveInProgress(key, fingerprint, expiresAt);
  const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
  while (!begun.owned) {
    const existing = begun.existing;
    if (existing.expiresAt.getTime() < Date.now()) {
      begun = await persistence.saveInProgress(key, fingerprint, expiresAt, existing.version);
      continue;
    }
    if (existing.payloadHash !== fingerprint) {
      throw new ApiError(409, ErrorCode.RepeatabilityRequestIdReused, 'This Repeatability-Request-ID was already used for a different request.', {
        target: 'Repeatability-Request-ID',
      });
    }
    if (existing.state === 'completed' && existing.response !== undefined) return replay(existing.response);
    if (Date.now() > deadline) {
      throw new ApiError(409, ErrorCode.RepeatabilityRequestInProgress, 'A request with this Repeatability-Request-ID is still being processed; retry later.', {
        headers: { 'Retry-After': '1' },
      });
    }
    await new Promise((r) => setTimeout(r, 50));
    const again = await persistence.getRecord(key);
    begun = again === undefined ? await persistence.saveInProgress(key, fingerprint, expiresAt) : { owned: false, existing: again };
  }

  const ownerVersion = begun.version;
  let response: ApiResponse;
  try {
    response = await execute();
  } catch (err) {
    await persistence.delete(key, ownerVersion).catch(() => undefined);
    throw err;
  }
  const remembered: ApiResponse = {
    status: response.status,
    headers: Object.fromEntries(Object.entries(response.headers).filter(([k]) => REPLAYED_HEADERS.includes(k.toLowerCase()))),
    ...(response.body !== undefined ? { body: response.body } : {}),
  };
  await persistence.saveSuccess(key, ownerVersion, fingerprint, expiresAt, remembered);
  return replay(response);
}
