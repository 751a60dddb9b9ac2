/** Table Storage errors decoded once: statuses we act on, and outages as 503 (never a 500). */
import { errorText, logEvent } from '../log/logger';
import { ApiError, ErrorCode } from '../contract/errors';

export function storageStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

export const isNotFound = (err: unknown) => storageStatus(err) === 404;
export const isConflict = (err: unknown) => storageStatus(err) === 409;
export const isPreconditionFailed = (err: unknown) => storageStatus(err) === 412;

/** Storage that cannot be reached or answers 5xx: tell the client to retry, with no internals. */
export function storageUnavailable(err: unknown): ApiError {
  logEvent('error', 'storage.failed', { error: errorText(err) });
  return new ApiError(503, ErrorCode.ServiceUnavailable, 'The provisioning store is temporarily unavailable; retry the request.', {
    headers: { 'Retry-After': '1' },
  });
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

/**
 * The pipeline's failure port (shared/contract/pipeline.ts): a storage outage is a 503 with
 * Retry-After, a write race the store could not settle is a 409; anything else is not the store's.
 */
export function storageFailure(err: unknown): ApiError | undefined {
  const status = storageStatus(err);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code?: unknown }).code) : '';
  if ((status !== undefined && status >= 500) || NETWORK_ERRORS.has(code)) return storageUnavailable(err);
  if (status === 409 || status === 412) {
    return new ApiError(409, ErrorCode.Conflict, 'The resource was changed by a concurrent request; retry the request.');
  }
  return undefined;
}
