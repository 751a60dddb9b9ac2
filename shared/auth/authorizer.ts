/**
 * The pipeline's Authorizer backed by the bearer validator: every operation needs a valid token
 * with a role that grants it (D11). The rejection reason is logged; the body never carries it beyond
 * a short message.
 */
import { logEvent } from '../log/logger';
import type { Authorizer } from '../contract/pipeline';
import { AuthError, createBearerValidator, type BearerValidator } from './bearer';
import { loadAuthConfig } from './config';

/** The one record of a refused token (the API and the lookup: one alert covers both); never the token. */
export function logAuthRejection(err: unknown, operationId: string, path: string): void {
  if (err instanceof AuthError) logEvent('warn', 'auth.rejected', { operationId, status: err.status, reason: err.reason, path });
}

export function authorizerFor(validator: BearerValidator): Authorizer {
  return async (req, operationId) => {
    try {
      await validator.check(req.headers.get('authorization'), operationId);
    } catch (err) {
      logAuthRejection(err, operationId, req.url.pathname);
      throw err;
    }
  };
}

let processValidator: BearerValidator | undefined;

/**
 * The process's validator, from AUTH_* settings (throws at start-up when they are missing or
 * inconsistent): one JWKS cache shared by the provisioning API and the lookup.
 */
export function processBearerValidator(): BearerValidator {
  processValidator ??= createBearerValidator(loadAuthConfig(process.env));
  return processValidator;
}
