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
import {
  abandonRepeatable,
  beginRepeatable,
  completeRepeatable,
  readRepeatability,
  requestKey,
} from '../store/repeatabilityStore';

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

export async function withRepeatability(req: ApiRequest, windowSeconds: number, execute: () => Promise<ApiResponse>): Promise<ApiResponse> {
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
  let begun = await beginRepeatable(key, fingerprint, expiresAt);
  const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
  while (!begun.owned) {
    const existing = begun.existing;
    if (existing.expiresAt.getTime() < Date.now()) {
      begun = await beginRepeatable(key, fingerprint, expiresAt, existing.etag);
      continue;
    }
    if (existing.fingerprint !== fingerprint) {
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
    const again = await readRepeatability(key);
    begun = again === undefined ? await beginRepeatable(key, fingerprint, expiresAt) : { owned: false, existing: again };
  }

  const ownerEtag = begun.etag;
  let response: ApiResponse;
  try {
    response = await execute();
  } catch (err) {
    await abandonRepeatable(key, ownerEtag).catch(() => undefined);
    throw err;
  }
  const remembered: ApiResponse = {
    status: response.status,
    headers: Object.fromEntries(Object.entries(response.headers).filter(([k]) => REPLAYED_HEADERS.includes(k.toLowerCase()))),
    ...(response.body !== undefined ? { body: response.body } : {}),
  };
  await completeRepeatable(key, ownerEtag, fingerprint, expiresAt, remembered);
  return replay(response);
}
