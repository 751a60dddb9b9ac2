/**
 * The Entra client-credentials token endpoint, `POST /{tenant}/oauth2/v2.0/token` (docs/oc-simulator.md,
 * "Token endpoint"): form body,
 * secret checked against the app registration, roles copied into the token. Errors use the OAuth shape
 * (`error`, `error_description` with an AADSTS code), not the OC error body.
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from './exchange';
import type { AppRecord } from './model';
import { SIM_RESOURCE, SIM_SCOPE } from './seed';
import type { Simulation } from './simulation';
import { signAccessToken } from './tokens';

export const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

function oauthError(error: string, aadsts: number, description: string, nowMs: number): SimResponse {
  return {
    status: 400,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description}`,
      error_codes: [aadsts],
      timestamp: new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'), // Entra's format
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

/** The secret from the form (client_secret_post) or from HTTP Basic (client_secret_basic). */
function clientCredentials(request: SimRequest, form: URLSearchParams): { clientId: string | null; clientSecret: string | null } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const [clientId, ...secret] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(clientId ?? ''), clientSecret: decodeURIComponent(secret.join(':')) };
  }
  return { clientId: form.get('client_id'), clientSecret: form.get('client_secret') };
}

/** Mints a token for a registered app (also used programmatically by tests that need odd tokens). */
export function mintAccessToken(sim: Simulation, app: Pick<AppRecord, 'clientId' | 'roles'>, nowMs: number, lifetimeSeconds: number): string {
  const iat = Math.floor(nowMs / 1000);
  const tid = sim.state.operatorTenantId;
  return signAccessToken(sim.signingKey, {
    aud: SIM_RESOURCE,
    iss: `https://sts.windows.net/${tid}/`,
    iat,
    nbf: iat,
    exp: iat + lifetimeSeconds,
    appid: app.clientId,
    azp: app.clientId,
    tid,
    roles: [...app.roles],
    ver: '1.0',
  });
}

export function issueToken(sim: Simulation, tenant: string, request: SimRequest, nowMs: number): SimResponse {
  const contentType = String(request.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError('invalid_request', 900144, 'The request body must be application/x-www-form-urlencoded.', nowMs);
  }
  const form = new URLSearchParams(request.rawBody);
  const grantType = form.get('grant_type');
  if (grantType === null) return oauthError('invalid_request', 900144, "The request body must contain the parameter 'grant_type'.", nowMs);
  if (grantType !== 'client_credentials') return oauthError('unsupported_grant_type', 70003, `The grant type ${grantType} is not supported.`, nowMs);
  const { clientId, clientSecret } = clientCredentials(request, form);
  if (!clientId) return oauthError('invalid_request', 900144, "The request body must contain the parameter 'client_id'.", nowMs);
  const app = sim.state.apps.get(clientId);
  if (app === undefined || tenant.toLowerCase() !== sim.state.operatorTenantId.toLowerCase()) {
    return oauthError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`, nowMs);
  }
  if (!clientSecret) return oauthError('invalid_client', 7000218, "The request body must contain 'client_assertion' or 'client_secret'.", nowMs);
  if (clientSecret !== app.clientSecret) return oauthError('invalid_client', 7000215, 'Invalid client secret provided.', nowMs);
  const scope = form.get('scope');
  if (scope !== SIM_SCOPE) return oauthError('invalid_scope', 1002012, `The provided value for scope ${scope ?? '(none)'} is not valid; use ${SIM_SCOPE}.`, nowMs);
  const lifetime = sim.settings.tokenLifetimeSeconds;
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: mintAccessToken(sim, app, nowMs, lifetime) },
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
  };
}
