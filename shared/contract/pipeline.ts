/**
 * The Azure.Core request pipeline every API operation runs through: route resolution, header
 * limits, api-version, authorization, repeatability, then the operation; one error mapper at the
 * end (status + ErrorResponse + x-ms-error-code); x-ms-client-request-id echoed on every answer.
 */
import { errorText, logEvent } from '../log/logger';
import { config } from '../config';
import { storageStatus, storageUnavailable } from '../store/storageErrors';
import { checkApiVersion } from './apiVersion';
import { ApiError, ErrorCode } from './errors';
import type { ApiRequest, ApiResponse } from './http';
import { withRepeatability } from './repeatability';

export interface Operation {
  /** The swagger operationId (authorization and logs key on it). */
  readonly id: string;
  /** PUT, PATCH, DELETE and POST actions take Repeatability-Request-ID (swagger traits). */
  readonly repeatable: boolean;
  run(req: ApiRequest): Promise<ApiResponse>;
}

export function operation(id: string, repeatable: boolean, run: (req: ApiRequest) => Promise<ApiResponse>): Operation {
  return { id, repeatable, run };
}

/** Decides whether the caller may run the operation; throws 401/403 ApiErrors. */
export type Authorizer = (req: ApiRequest, operationId: string) => Promise<void>;

let authorizer: Authorizer = async () => undefined;
export function setAuthorizer(next: Authorizer): void {
  authorizer = next;
}

const MAX_HEADER_VALUE = 8 * 1024;
/** Path plus query; longer URLs are refused before anything else (docs/api.md "At the edge"). */
export const MAX_URL_LENGTH = 8 * 1024;
const MAX_CLIENT_REQUEST_ID = 256;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

function checkHeaders(req: ApiRequest): string | undefined {
  const urlLength = req.url.pathname.length + req.url.search.length;
  if (urlLength > MAX_URL_LENGTH) {
    throw new ApiError(400, ErrorCode.RequestUrlTooLong, `The URL path and query are ${urlLength} characters long; the limit is ${MAX_URL_LENGTH}.`);
  }
  for (const name of ['x-ms-client-request-id', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'repeatability-request-id', 'repeatability-first-sent', 'content-type']) {
    const value = req.headers.get(name);
    if (value !== null && value.length > MAX_HEADER_VALUE) throw new ApiError(400, ErrorCode.InvalidHeader, `Header ${name} is too long.`, { target: name });
  }
  const clientRequestId = req.headers.get('x-ms-client-request-id');
  if (clientRequestId !== null && clientRequestId.length > MAX_CLIENT_REQUEST_ID) {
    throw new ApiError(400, ErrorCode.InvalidHeader, `x-ms-client-request-id must be at most ${MAX_CLIENT_REQUEST_ID} characters.`, { target: 'x-ms-client-request-id' });
  }
  return clientRequestId ?? undefined;
}

/** Storage outages become 503 with Retry-After; an unexpected defect is a logged 500 without details. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const status = storageStatus(err);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code?: unknown }).code) : '';
  if ((status !== undefined && status >= 500) || NETWORK_ERRORS.has(code)) return storageUnavailable(err);
  if (status === 409 || status === 412) {
    return new ApiError(409, ErrorCode.Conflict, 'The resource was changed by a concurrent request; retry the request.');
  }
  logEvent('error', 'unhandled.error', { error: errorText(err), stack: err instanceof Error ? err.stack : undefined });
  return new ApiError(500, ErrorCode.InternalError, 'The service failed to process the request.');
}

export function errorResponse(err: ApiError): ApiResponse {
  return { status: err.status, headers: { 'x-ms-error-code': err.code, ...(err.headers ?? {}) }, body: err.toBody() };
}

export async function handleRequest(req: ApiRequest, resolve: (req: ApiRequest) => Operation): Promise<ApiResponse> {
  let clientRequestId: string | undefined;
  let response: ApiResponse;
  try {
    clientRequestId = checkHeaders(req);
    const operation = resolve(req);
    checkApiVersion(req.url);
    await authorizer(req, operation.id);
    response = operation.repeatable
      ? await withRepeatability(req, config().repeatabilityWindowSeconds, () => operation.run(req))
      : await operation.run(req);
  } catch (err) {
    response = errorResponse(toApiError(err));
  }
  if (clientRequestId !== undefined) response.headers['x-ms-client-request-id'] = clientRequestId;
  return response;
}
