/**
 * The portal's local sign-in (docs/portal.md): `POST /dev-issuer/token` with `{ "roles": [...],
 * "name": "..." }` answers a user token from the development issuer carrying the chosen portal
 * roles (`ProvisioningAPI.*User`). Development only: registration throws, and every request is
 * refused, when cloud configuration is present (the same markers createDevIssuer refuses).
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { cloudConfigurationIn, type DevIssuer } from './devIssuer';

export const DEV_SIGN_IN_ROUTE = 'dev-issuer/token';
/** The delegated roles a portal user can hold (docs/auth.md); machine roles and Lookup.Query are not offered. */
export const PORTAL_USER_ROLES = ['ProvisioningAPI.ReadUser', 'ProvisioningAPI.WriteUser', 'ProvisioningAPI.DeleteUser', 'ProvisioningAPI.AdminUser'] as const;
const USER_TOKEN_LIFETIME_SECONDS = 8 * 3600;

function error(status: number, code: string, message: string, target?: string): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-error-code': code, 'cache-control': 'no-store' },
    body: JSON.stringify({ error: { code, message, ...(target ? { target } : {}) } }),
  };
}

async function readRequest(request: HttpRequest): Promise<{ roles: string[]; name: string } | HttpResponseInit> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return error(400, 'InvalidRequestContent', 'The body must be JSON: { "roles": [...], "name": "..." }.', 'body');
  }
  const { roles, name } = (body ?? {}) as { roles?: unknown; name?: unknown };
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (PORTAL_USER_ROLES as readonly unknown[]).includes(r))) {
    return error(400, 'InvalidRequestContent', `roles must be a non-empty list of ${PORTAL_USER_ROLES.join(', ')}.`, 'roles');
  }
  if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 64)) {
    return error(400, 'InvalidRequestContent', 'name must be 1 to 64 characters.', 'name');
  }
  return { roles: [...new Set(roles as string[])], name: (name as string | undefined) ?? 'Local developer' };
}

/** `issuer` is read per request so a test can register the route before its issuer exists. */
export function registerDevSignIn(issuer: () => DevIssuer | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const offending = cloudConfigurationIn(env);
  if (offending.length > 0) {
    throw new Error(`Refusing to register the development sign-in: cloud configuration is present (${offending.join(', ')}).`);
  }
  app.http('devSignIn', {
    route: DEV_SIGN_IN_ROUTE,
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request) => {
      if (cloudConfigurationIn(env).length > 0) return error(403, 'Forbidden', 'The development sign-in is disabled where cloud configuration is present.');
      const current = issuer();
      if (current === undefined) return error(503, 'ServiceUnavailable', 'The development issuer is not running.');
      const parsed = await readRequest(request);
      if (!('roles' in parsed)) return parsed;
      const accessToken = await current.issueToken({
        roles: parsed.roles,
        name: parsed.name,
        subject: `dev-user:${parsed.name}`,
        expiresInSeconds: USER_TOKEN_LIFETIME_SECONDS,
      });
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify({ accessToken, roles: parsed.roles, name: parsed.name, expiresInSeconds: USER_TOKEN_LIFETIME_SECONDS }),
      };
    },
  });
}
