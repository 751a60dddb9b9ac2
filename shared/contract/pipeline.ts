/**
 * The Azure.Core request pipeline every API operation runs through, once, in this order (docs/api.md
 * "The request pipeline"): URL and header limits, route (404/405), api-version, authorization,
 * repeatability, then the operation's own preconditions and parsing into its typed command, and the
 * command run; one error mapper at the end (status + ErrorResponse + x-ms-error-code);
 * x-ms-client-request-id echoed on every answer. What it needs from below (who may call, where
 * repeatability records live, what a storage failure means) it is given as ports, so this module
 * imports nothing from shared/store.
 */
import { errorText, logEvent, withLogContext } from '../log/logger';
import { checkApiVersion } from './apiVersion';
import { ApiError, ErrorCode } from './errors';
import type { ApiRequest, ApiResponse } from './http';
import { withRepeatability, type RepeatabilityPersistence } from './repeatability';

/**
 * One contract operation as the pipeline sees it: its id, whether Repeatability-Request-ID applies,
 * how the request becomes its command (preconditions, then parsing), and what runs the command.
 */
export interface Operation<C = unknown> {
  /** The swagger operationId (authorization and logs key on it). */
  readonly operationId: string;
  /** PUT, PATCH, DELETE and POST actions take Repeatability-Request-ID (swagger traits). */
  readonly repeatable: boolean;
  /** The account the request is about, when its path names one: every log line of the request carries it. */
  readonly accountName?: string;
  command(req: ApiRequest): Promise<C>;
  run(command: C): Promise<ApiResponse>;
}

/** Decides whether the caller may run the operation; throws 401/403 ApiErrors. */
export type Authorizer = (req: ApiRequest, operationId: string) => Promise<void>;
/** Maps a failure from below (e.g. a storage outage) to its answer; undefined when it is not one. */
export type FailureMapper = (err: unknown) => ApiError | undefined;

export interface PipelinePorts {
  readonly authorizer: Authorizer;
  readonly repeatability: RepeatabilityPersistence;
  readonly failures: FailureMapper;
  /** Seconds a Repeatability-Request-ID is remembered. */
  readonly repeatabilityWindowSeconds: () => number;
}

let ports: PipelinePorts | undefined;

/** Called once by functions/index.ts with the process's authorizer, store and settings. */
export function configurePipeline(next: PipelinePorts): void {
  ports = next;
}

function configured(): PipelinePorts {
  if (ports === undefined) throw new Error('The request pipeline is not configured (functions/index.ts calls configurePipeline).');
  return ports;
}

const MAX_HEADER_VALUE = 8 * 1024;
/** Path plus query; longer URLs are refused before anything else (docs/api.md "At the edge"). */
export const MAX_URL_LENGTH = 8 * 1024;
/** Longest x-ms-client-request-id echoed (the API refuses a longer one; the lookup drops it). */
export const MAX_CLIENT_REQUEST_ID = 256;

/** The x-ms-client-request-id to echo, or undefined when absent or too long to echo. */
export function echoableClientRequestId(headers: { get(name: string): string | null }): string | undefined {
  const value = headers.get('x-ms-client-request-id');
  return value !== null && value.length <= MAX_CLIENT_REQUEST_ID ? value : undefined;
}

function checkHeaders(req: ApiRequest): void {
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
}

/** Failures from below become their answers (storage outage: 503); an unexpected defect is a logged 500 without details. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const mapped = ports?.failures(err);
  if (mapped !== undefined) return mapped;
  logEvent('error', 'unhandled.error', { error: errorText(err), stack: err instanceof Error ? err.stack : undefined });
  return new ApiError(500, ErrorCode.InternalError, 'The service failed to process the request.');
}

export function errorResponse(err: ApiError): ApiResponse {
  return { status: err.status, headers: { 'x-ms-error-code': err.code, ...(err.headers ?? {}) }, body: err.toBody() };
}

async function execute<C>(operation: Operation<C>, req: ApiRequest): Promise<ApiResponse> {
  return operation.run(await operation.command(req));
}

/** `resolve` finds the operation for the request (the registrar's dispatch) or throws 404/405. */
export async function handleRequest(req: ApiRequest, resolve: (req: ApiRequest) => Operation): Promise<ApiResponse> {
  let clientRequestId: string | undefined;
  let response: ApiResponse;
  try {
    // Known before the limits are checked, so their answers echo it too (docs/api.md: every response).
    clientRequestId = echoableClientRequestId(req.headers);
    checkHeaders(req);
    const operation = resolve(req);
    // From here on every line logged for this request (auth refusals, storage retries, kicks) names
    // the operation, the caller's request id and the account, so one write can be found by any of them.
    response = await withLogContext({ operation: operation.operationId, clientRequestId, accountName: operation.accountName }, () => dispatch(operation, req));
  } catch (err) {
    response = errorResponse(toApiError(err));
  }
  if (clientRequestId !== undefined) response.headers['x-ms-client-request-id'] = clientRequestId;
  return response;
}

/** The pipeline's steps after routing: api-version, authorization, repeatability, the operation. */
async function dispatch(operation: Operation, req: ApiRequest): Promise<ApiResponse> {
  checkApiVersion(req.url);
  const { authorizer, repeatability, repeatabilityWindowSeconds } = configured();
  await authorizer(req, operation.operationId);
  return operation.repeatable ? withRepeatability(repeatability, req, repeatabilityWindowSeconds(), () => execute(operation, req)) : execute(operation, req);
}
