/**
 * The one mapper from Operator Connect failures to API errors for the Teams pass-through operations.
 * Nothing here becomes a 500: an outage is a 503 with Retry-After, OC refusing our credentials or
 * answering nonsense is a 502, and OC rejecting the question keeps OC's code in `details`.
 */
import { logEvent } from '../log/logger';
import { ApiError, ErrorCode, type ErrorDetail } from '../contract/errors';
import { operatorConnect } from '../flowthrough/ocInstance';
import { OcError, type OperatorConnect } from '../flowthrough/oc/port';

/** Without a server-named wait, clients are told to come back after this long (L-INT suggests 60 s). */
const DEFAULT_RETRY_AFTER_SECONDS = 30;
const MAX_RETRY_AFTER_SECONDS = 3600;
const MAX_MESSAGE = 500;

export function operatorConnectOrThrow(): OperatorConnect {
  const oc = operatorConnect();
  if (oc === undefined) {
    // No Retry-After: this does not fix itself, an administrator has to configure OC_API_BASE_URL.
    throw new ApiError(503, ErrorCode.OperatorConnectNotConfigured, 'Operator Connect is not configured for this deployment, so Teams data cannot be read or written.');
  }
  return oc;
}

export function retryAfterSeconds(retryAfterMs: number | undefined): number {
  if (retryAfterMs === undefined) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/** OC's own error as one Azure.Core detail entry (its nested details kept), for 4xx answers and `serviceProvisioningErrors`. */
export function ocErrorDetail(err: OcError, target?: string): ErrorDetail {
  const nested = err.details.map((d) => ({ code: d.code, message: (d.message ?? d.code).slice(0, MAX_MESSAGE), ...(d.target !== undefined ? { target: d.target } : {}) }));
  return {
    code: err.code,
    message: err.message.slice(0, MAX_MESSAGE),
    ...(target !== undefined ? { target } : {}),
    ...(nested.length > 0 ? { details: nested } : {}),
  };
}

export interface NotFoundMeaning {
  readonly code: string;
  readonly message: string;
}

/**
 * `notFound` says what an OC 404 means for this call (no consent for the tenant, no such address).
 * Anything that is not an OcError is rethrown untouched (storage outages have their own mapper).
 */
export function toTeamsApiError(err: unknown, notFound: NotFoundMeaning): unknown {
  if (!(err instanceof OcError)) return err;
  logEvent('warn', 'teams.oc.failed', { kind: err.kind, status: err.status, code: err.code, requestId: err.requestId });
  const details = [ocErrorDetail(err)];
  switch (err.kind) {
    case 'transient':
    case 'ambiguous':
      return new ApiError(503, ErrorCode.OperatorConnectUnavailable, 'Operator Connect is temporarily unavailable; retry the request later.', {
        details,
        headers: { 'Retry-After': String(retryAfterSeconds(err.retryAfterMs)) },
      });
    case 'configuration':
      return new ApiError(502, ErrorCode.OperatorConnectAccessDenied, 'Operator Connect refused this deployment\'s credentials; an administrator must fix the Operator Connect configuration.', {
        details,
      });
    case 'permanent':
      if (err.status === 404) return new ApiError(404, notFound.code, notFound.message, { details });
      if (err.status === 409) return new ApiError(409, ErrorCode.OperatorConnectConflict, `Operator Connect refused the request: ${err.code}.`, { details });
      if (err.status !== undefined && err.status >= 400 && err.status < 500) {
        return new ApiError(400, ErrorCode.OperatorConnectRejected, `Operator Connect rejected the request: ${err.code}.`, { details });
      }
      return new ApiError(502, ErrorCode.OperatorConnectBadResponse, 'Operator Connect answered in a way this service cannot use.', { details });
  }
}

/** Runs one Operator Connect call for an API request, mapping its failures. */
export async function askOperatorConnect<T>(call: (oc: OperatorConnect) => Promise<T>, notFound: NotFoundMeaning): Promise<T> {
  const oc = operatorConnectOrThrow();
  try {
    return await call(oc);
  } catch (err) {
    throw toTeamsApiError(err, notFound);
  }
}
