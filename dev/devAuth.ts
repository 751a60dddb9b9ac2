/**
 * Development token issuer for `npm start`: its own key pair (persisted under .data so tokens from
 * `npm run -s token` stay valid across restarts), its JWKS served by the local host at
 * `/dev-issuer/keys`, and the app's AUTH_* settings pointed at it. Refuses to run with cloud
 * configuration present (createDevIssuer checks the environment).
 */
import { app } from '@azure/functions';
import { KNOWN_ROLES } from '../shared/auth/roles';
import { createDevIssuer, devIssuerDefaults, type DevIssuer } from './devIssuer';
import { DEV_SIGN_IN_ROUTE, registerDevSignIn } from './devSignIn';

const DEV_TOKEN_LIFETIME_SECONDS = 12 * 3600;

export function setUpDevAuth(env: NodeJS.ProcessEnv = process.env): DevIssuer {
  const defaults = devIssuerDefaults(env);
  const issuer = createDevIssuer({ issuer: defaults.issuer, audience: defaults.audience, keyFile: defaults.keyFile, env });
  env.AUTH_ISSUER ||= defaults.issuer;
  env.AUTH_AUDIENCE ||= defaults.audience;
  env.AUTH_JWKS_URI ||= defaults.jwksUri;
  app.http('devIssuerKeys', {
    route: 'dev-issuer/keys',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: async () => ({ status: 200, jsonBody: issuer.jwks() }),
  });
  // The portal's local sign-in (docs/portal.md): user tokens for chosen roles from this issuer.
  registerDevSignIn(() => issuer, env);
  env.PORTAL_DEV_SIGN_IN_URL ||= `/${DEV_SIGN_IN_ROUTE}`;
  return issuer;
}

/** A token with every role, for trying the API by hand. */
export function allRolesToken(issuer: DevIssuer): Promise<string> {
  return issuer.issueToken({ roles: [...KNOWN_ROLES], subject: 'developer', expiresInSeconds: DEV_TOKEN_LIFETIME_SECONDS });
}
