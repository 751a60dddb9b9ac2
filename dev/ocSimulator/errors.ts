/**
 * The simulator's error vocabulary. API errors use the body Operator Connect relays through ACG
 * (docs/oc-client.md, "What is known"): `{ code, message, details: [{ code, message, target? }] }`. The codes are
 * a closed catalogue, documented in docs/oc-simulator.md, so client tests can match on them.
 */

export const OC_SIM_ERROR_CODES = [
  // Authentication, authorization, throttling
  'InvalidAuthenticationToken',
  'AppNotRegistered',
  'InsufficientRole',
  'TooManyRequests',
  // Request shape
  'RouteNotFound',
  'MethodNotAllowed',
  'InvalidRequestBody',
  'InvalidQueryParameter',
  'InvalidSkipToken',
  'RequestTooLarge',
  'InternalError',
  // Missing resources
  'ConsentNotFound',
  'CivicAddressNotFound',
  'NumberNotFound',
  'OrderNotFound',
  'TenantNotFound',
  'AppNotFound',
  'FaultNotFound',
  // Consents
  'CommentRequired',
  'ConsentRemoved',
  'ConsentNotActive',
  'ConsentAlreadyExists',
  'TenantAlreadyExists',
  'TenantHasNumbers',
  'AppAlreadyExists',
  // Order submission (synchronous 400, nothing created)
  'NoTelephoneNumbers',
  'TooManyNumbers',
  'InvalidTelephoneNumber',
  'DuplicateTelephoneNumber',
  'CallingProfileNotFound',
  'InvalidUsage',
  'UsageNotAllowedForCallingProfile',
  'CapabilityNotAllowed',
  'CivicAddressAndLocationConflict',
  // Per-number outcomes of an order (also used by the synchronous number update)
  'UnknownCountryCode',
  'CountryNotConsented',
  'NumberAlreadyAcquired',
  'NumberAlreadyExists',
  'UsageNotSupportedForTollFree',
  'EmergencyAddressRequired',
  'UnableToRetrieveLocation',
  'UnableToRetrieveDefaultLocation',
  'NumberAssigned',
  'NumberInProgress',
  // Tenant-side (customer) actions
  'AssignmentNotAllowed',
  'NumberAlreadyAssigned',
  'TenantAddressUpdateNotAllowed',
] as const;

export type OcSimErrorCode = (typeof OC_SIM_ERROR_CODES)[number];

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export interface OcErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
}

/** Thrown by handlers and domain code; the server turns it into status + OC error body. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: OcSimErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'SimError';
  }

  body(): OcErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = []): OcErrorBody {
  return { code, message, details };
}

/** A per-number failure inside an order: the code and message reported in the order's `results`. */
export interface NumberFailure {
  readonly code: OcSimErrorCode;
  readonly message: string;
}
