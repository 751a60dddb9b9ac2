/**
 * Azure.Core error model. Domain and contract code throw ApiError with a stable code; one mapper
 * (toErrorResponse) turns it into status + ErrorResponse body + x-ms-error-code.
 */

/** Stable x-ms-error-code values (D2, docs/api.md). Documented in docs/errors.md. */
export const ErrorCode = {
  InvalidRequestContent: 'InvalidRequestContent',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RequestBodyTooLarge: 'RequestBodyTooLarge',
  RequestUrlTooLong: 'RequestUrlTooLong',
  // Answered by the HTTP front end (dev/host/edgeAnswers.ts) for requests Node's parser refuses.
  RequestHeadersTooLarge: 'RequestHeadersTooLarge',
  InvalidHttpRequest: 'InvalidHttpRequest',
  RequestTimeout: 'RequestTimeout',
  InvalidFilter: 'InvalidFilter',
  InvalidQueryParameter: 'InvalidQueryParameter',
  InvalidHeader: 'InvalidHeader',
  InvalidSkipToken: 'InvalidSkipToken',
  MissingApiVersion: 'MissingApiVersion',
  UnsupportedApiVersion: 'UnsupportedApiVersion',
  AccountNotFound: 'AccountNotFound',
  NumberNotFound: 'NumberNotFound',
  NumberInOtherAccount: 'NumberInOtherAccount',
  AccountHasNumbers: 'AccountHasNumbers',
  TenantIdLocked: 'TenantIdLocked',
  SubdomainInUse: 'SubdomainInUse',
  ServiceNotEnabledOnAccount: 'ServiceNotEnabledOnAccount',
  PreconditionFailed: 'PreconditionFailed',
  Conflict: 'Conflict',
  ServiceInUse: 'ServiceInUse',
  AccountBeingDeleted: 'AccountBeingDeleted',
  RepeatabilityRejected: 'RepeatabilityRejected',
  RepeatabilityRequestIdReused: 'RepeatabilityRequestIdReused',
  RepeatabilityRequestInProgress: 'RepeatabilityRequestInProgress',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  MethodNotAllowed: 'MethodNotAllowed',
  ServiceUnavailable: 'ServiceUnavailable',
  InternalError: 'InternalError',
  // Teams operations and requests for information (docs/teams.md).
  OperatorConnectNotConfigured: 'OperatorConnectNotConfigured',
  OperatorConnectUnavailable: 'OperatorConnectUnavailable',
  OperatorConnectAccessDenied: 'OperatorConnectAccessDenied',
  OperatorConnectBadResponse: 'OperatorConnectBadResponse',
  OperatorConnectRejected: 'OperatorConnectRejected',
  OperatorConnectConflict: 'OperatorConnectConflict',
  TeamsTenantIdMissing: 'TeamsTenantIdMissing',
  TeamsConsentNotFound: 'TeamsConsentNotFound',
  CivicAddressNotFound: 'CivicAddressNotFound',
  CivicAddressWithoutDefaultLocation: 'CivicAddressWithoutDefaultLocation',
  RequestForInformationNotFound: 'RequestForInformationNotFound',
  CommentRequired: 'CommentRequired',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ErrorDetail[];
}

export interface ErrorResponseBody {
  error: ErrorDetail;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target?: string;
  readonly details?: ErrorDetail[];
  /** Extra response headers (e.g. WWW-Authenticate, Repeatability-Result, Retry-After). */
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { target?: string; details?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.target = options.target;
    if (options.details !== undefined && options.details.length > 0) this.details = options.details;
    this.headers = options.headers;
  }

  toBody(): ErrorResponseBody {
    const error: ErrorDetail = { code: this.code, message: this.message };
    if (this.target !== undefined) error.target = this.target;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** 400 with one details[] entry per problem. */
export function badRequest(code: string, message: string, details: ErrorDetail[] = [], target?: string): ApiError {
  return new ApiError(400, code, message, { details, target });
}

export function notFound(code: string, message: string, target?: string): ApiError {
  return new ApiError(404, code, message, { target });
}

export function conflict(code: string, message: string, target?: string): ApiError {
  return new ApiError(409, code, message, { target });
}

export function preconditionFailed(message = 'The resource does not match the request preconditions.'): ApiError {
  return new ApiError(412, ErrorCode.PreconditionFailed, message);
}

/** Anything that is not an ApiError is a defect or an outage: never leak its text to the client. */
export function ensureApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(500, ErrorCode.InternalError, 'The service failed to process the request.');
}
