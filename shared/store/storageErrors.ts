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
