/**
 * Bearer-token validation (docs/auth.md; D11 in docs/api.md): 401 when the token is missing or not
 * acceptable, 403 when it is valid but its roles do not grant the operation's permission.
 */
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { ApiError, ErrorCode } from '../contract/errors';
import type { AuthConfig, SigningAlgorithm } from './config';
import { createJwksKeySource, KeysUnavailableError, type KeySource } from './jwks';
import { permissionsOf, requiredPermission, rolesGranting } from './roles';

export interface Principal {
  subject: string;
  appId?: string;
  roles: readonly string[];
  tenantId?: string;
  name?: string;
}

export interface BearerValidator {
  authenticate(authorizationHeader: string | undefined | null): Promise<Principal>;
  authorize(principal: Principal, operationId: string): void;
  /** authenticate, then authorize. */
  check(authorizationHeader: string | undefined | null, operationId: string): Promise<Principal>;
}

/** Stable, loggable cause of a rejection; the client sees only the matching short message. */
export type AuthFailureReason =
  | 'missing_header'
  | 'header_too_large'
  | 'not_bearer'
  | 'malformed'
  | 'alg_not_allowed'
  | 'missing_kid'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_tenant'
  | 'missing_claim'
  | 'invalid_claim'
  | 'keys_unavailable'
  | 'forbidden';

/** An ApiError that also says why, for logs. Never carries the token or a stack of the cause. */
export class AuthError extends ApiError {
  readonly reason: AuthFailureReason;

  constructor(status: number, code: string, message: string, reason: AuthFailureReason, headers: Record<string, string>) {
    super(status, code, message, { headers });
    this.name = 'AuthError';
    this.reason = reason;
  }
}

// Entra tokens are 1–4 KB; 16 KiB bounds the work an anonymous caller can make us do.
export const MAX_AUTHORIZATION_HEADER_LENGTH = 16 * 1024;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const KEYS_RETRY_AFTER_SECONDS = '5';

const MESSAGES: Record<Exclude<AuthFailureReason, 'forbidden' | 'missing_claim' | 'invalid_claim'>, string> = {
  missing_header: 'The request has no Authorization header.',
  header_too_large: `The Authorization header is longer than ${MAX_AUTHORIZATION_HEADER_LENGTH} characters.`,
  not_bearer: 'The Authorization header must use the Bearer scheme.',
  malformed: 'The access token is not a well-formed signed JWT.',
  alg_not_allowed: 'The access token is signed with an algorithm this API does not accept.',
  missing_kid: 'The access token header has no key id (kid).',
  unknown_kid: 'The access token is signed with a key the issuer does not publish.',
  bad_signature: 'The access token signature is invalid.',
  expired: 'The access token has expired.',
  not_yet_valid: 'The access token is not valid yet (nbf).',
  wrong_issuer: 'The access token was not issued by the trusted issuer.',
  wrong_audience: 'The access token is not intended for this API (aud).',
  wrong_tenant: 'The access token belongs to another tenant (tid).',
  keys_unavailable: 'The service cannot verify access tokens at the moment; retry later.',
};

function quoted(value: string): string {
  // RFC 6750 §3: error_description excludes '"' and '\'.
  return value.replace(/["\\]/g, "'");
}

function unauthorized(reason: AuthFailureReason, message: string): AuthError {
  // RFC 6750 §3.1: no error code when the request carried no bearer token at all.
  const presented = reason !== 'missing_header' && reason !== 'not_bearer';
  const challenge = presented ? `Bearer error="invalid_token", error_description="${quoted(message)}"` : 'Bearer';
  return new AuthError(401, ErrorCode.Unauthorized, message, reason, { 'WWW-Authenticate': challenge });
}

function rejected(reason: keyof typeof MESSAGES): AuthError {
  if (reason === 'keys_unavailable') {
    return new AuthError(503, ErrorCode.ServiceUnavailable, MESSAGES[reason], reason, {
      'Retry-After': KEYS_RETRY_AFTER_SECONDS,
    });
  }
  return unauthorized(reason, MESSAGES[reason]);
}

function badClaim(claim: string, missing: boolean): AuthError {
  const safeClaim = claim.replace(/[^a-z_]/gi, '');
  return missing
    ? unauthorized('missing_claim', `The access token has no ${safeClaim} claim.`)
    : unauthorized('invalid_claim', `The access token has an invalid ${safeClaim} claim.`);
}

/** Cheap checks before any cryptography or key lookup. */
function bearerToken(authorizationHeader: string | undefined | null): string {
  if (authorizationHeader === undefined || authorizationHeader === null) throw rejected('missing_header');
  if (authorizationHeader.length > MAX_AUTHORIZATION_HEADER_LENGTH) throw rejected('header_too_large');
  const value = authorizationHeader.trim();
  if (value === '') throw rejected('missing_header');
  const [scheme, ...rest] = value.split(/[ \t]+/);
  if (scheme?.toLowerCase() !== 'bearer') throw rejected('not_bearer'); // RFC 9110: scheme is case-insensitive
  const token = rest.length === 1 ? rest[0] : undefined;
  if (token === undefined || !JWS_COMPACT.test(token)) throw rejected('malformed');
  return token;
}

function signingHeader(token: string, algorithms: readonly SigningAlgorithm[]): { alg: SigningAlgorithm; kid: string } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw rejected('malformed');
  }
  if (typeof header.alg !== 'string') throw rejected('malformed');
  // Also stops `none` and HS* (a public key used as an HMAC secret) before any key is looked up.
  if (!(algorithms as readonly string[]).includes(header.alg)) throw rejected('alg_not_allowed');
  if (typeof header.kid !== 'string' || header.kid === '') throw rejected('missing_kid');
  return { alg: header.alg as SigningAlgorithm, kid: header.kid };
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof KeysUnavailableError) return rejected('keys_unavailable');
  if (err instanceof errors.JWTExpired) return rejected('expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' && err.reason === 'check_failed') return rejected('not_yet_valid');
    if (err.claim === 'iss' && err.reason === 'check_failed') return rejected('wrong_issuer');
    if (err.claim === 'aud' && err.reason === 'check_failed') return rejected('wrong_audience');
    return badClaim(err.claim, err.reason === 'missing');
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return rejected('bad_signature');
  if (err instanceof errors.JOSEAlgNotAllowed) return rejected('alg_not_allowed');
  // JWSInvalid, JWTInvalid, JOSENotSupported, and anything unexpected: the token is not usable.
  return rejected('malformed');
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function principalOf(payload: JWTPayload): Principal {
  const subject = stringClaim(payload, 'sub');
  if (subject === undefined) throw badClaim('sub', false);
  // `roles` is an array of app-role values; anything else grants nothing rather than failing.
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
  const appId = stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid'); // v2 ?? v1 token
  const tenantId = stringClaim(payload, 'tid');
  const name = stringClaim(payload, 'name') ?? stringClaim(payload, 'preferred_username');
  return {
    subject,
    roles: Object.freeze(roles),
    ...(appId !== undefined ? { appId } : {}),
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

export function createBearerValidator(config: AuthConfig, keys?: KeySource): BearerValidator {
  const keySource = keys ?? createJwksKeySource({ jwksUri: config.jwksUri, algorithms: config.algorithms });
  const verifyOptions = {
    algorithms: [...config.algorithms],
    issuer: [...config.issuers],
    audience: [...config.audiences],
    clockTolerance: config.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };

  async function authenticate(authorizationHeader: string | undefined | null): Promise<Principal> {
    const token = bearerToken(authorizationHeader);
    const { alg, kid } = signingHeader(token, config.algorithms);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async () => {
          const key = await keySource.keyFor(kid, alg);
          if (key === undefined) throw rejected('unknown_kid');
          return key;
        },
        verifyOptions,
      ));
    } catch (err) {
      throw toAuthError(err);
    }
    // The issuer already names the tenant; this catches a multi-issuer setting accepting a stranger.
    const tokenTenant = stringClaim(payload, 'tid');
    if (config.tenantId !== undefined && tokenTenant !== undefined && tokenTenant.toLowerCase() !== config.tenantId) {
      throw rejected('wrong_tenant');
    }
    return principalOf(payload);
  }

  function authorize(principal: Principal, operationId: string): void {
    const permission = requiredPermission(operationId);
    if (permissionsOf(principal.roles).has(permission)) return;
    const message =
      `${operationId} requires the ${permission} permission, which the token's roles do not grant ` +
      `(granted by: ${rolesGranting(permission).join(', ')}).`;
    throw new AuthError(403, ErrorCode.Forbidden, message, 'forbidden', {
      'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="${quoted(message)}"`,
    });
  }

  return {
    authenticate,
    authorize,
    async check(authorizationHeader, operationId) {
      requiredPermission(operationId); // a wiring defect surfaces even on anonymous requests
      const principal = await authenticate(authorizationHeader);
      authorize(principal, operationId);
      return principal;
    },
  };
}
