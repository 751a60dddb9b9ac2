/**
 * What the portal's browser code is told at start-up (/portal/config.json) and the security headers
 * of every portal response. Cloud sign-in is MSAL against Entra ID when PORTAL_CLIENT_ID is set;
 * the development sign-in is offered only when the local host registered it (PORTAL_DEV_SIGN_IN_URL)
 * and no cloud setting is present. Nothing here is secret: it is all visible to any browser.
 */

export interface EntraSignIn {
  readonly kind: 'entra';
  readonly clientId: string;
  readonly authority: string;
  /** The delegated scope of the Provisioning API app registration, e.g. `api://<app id>/user_impersonation`. */
  readonly apiScope: string;
}

export interface DevSignIn {
  readonly kind: 'dev';
  /** Same-origin path of the development issuer's user-token endpoint. */
  readonly tokenUrl: string;
}

export interface PortalConfig {
  readonly apiVersion: string;
  /** `DR_BASE_DOMAIN`, so the portal shows the FQDNs a subdomain label produces. */
  readonly drBaseDomain: string;
  readonly signIn: EntraSignIn | DevSignIn | { readonly kind: 'none'; readonly reason: string };
}

const API_VERSION = '2024-02-29-preview';
const DEFAULT_DR_BASE_DOMAIN = 'example.commsgw.azure.com';
/** Settings whose presence means a cloud deployment: the development sign-in is never offered there. */
const CLOUD_SETTINGS = ['AUTH_TENANT_ID', 'AZURE_CLIENT_ID', 'WEBSITE_SITE_NAME', 'TABLES_ENDPOINT'] as const;

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function portalConfig(env: NodeJS.ProcessEnv): PortalConfig {
  const drBaseDomain = setting(env, 'DR_BASE_DOMAIN') ?? DEFAULT_DR_BASE_DOMAIN;
  const clientId = setting(env, 'PORTAL_CLIENT_ID');
  if (clientId !== undefined) {
    const tenant = setting(env, 'AUTH_TENANT_ID');
    const authority = setting(env, 'PORTAL_AUTHORITY') ?? (tenant ? `https://login.microsoftonline.com/${tenant}` : undefined);
    const apiScope = setting(env, 'PORTAL_API_SCOPE');
    if (authority === undefined || apiScope === undefined) {
      return { apiVersion: API_VERSION, drBaseDomain, signIn: { kind: 'none', reason: 'PORTAL_CLIENT_ID is set but PORTAL_API_SCOPE or the authority (PORTAL_AUTHORITY / AUTH_TENANT_ID) is missing.' } };
    }
    return { apiVersion: API_VERSION, drBaseDomain, signIn: { kind: 'entra', clientId, authority, apiScope } };
  }
  const devTokenUrl = setting(env, 'PORTAL_DEV_SIGN_IN_URL');
  if (devTokenUrl !== undefined && CLOUD_SETTINGS.every((name) => setting(env, name) === undefined)) {
    return { apiVersion: API_VERSION, drBaseDomain, signIn: { kind: 'dev', tokenUrl: devTokenUrl } };
  }
  return { apiVersion: API_VERSION, drBaseDomain, signIn: { kind: 'none', reason: 'No sign-in is configured: set PORTAL_CLIENT_ID, PORTAL_API_SCOPE and AUTH_TENANT_ID (docs/portal.md).' } };
}

/** The Entra origin the browser must reach for MSAL (token requests and its silent-renew iframe). */
function entraOrigin(env: NodeJS.ProcessEnv): string | undefined {
  const signIn = portalConfig(env).signIn;
  if (signIn.kind !== 'entra') return undefined;
  try {
    return new URL(signIn.authority).origin;
  } catch {
    return undefined;
  }
}

/**
 * No inline scripts and nothing from another origin except Entra ID. `style-src 'unsafe-inline'`
 * is needed because Fluent UI (Griffel) inserts its atomic CSS rules at run time.
 */
export function contentSecurityPolicy(env: NodeJS.ProcessEnv): string {
  const entra = entraOrigin(env);
  const withEntra = (sources: string) => (entra ? `${sources} ${entra}` : sources);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    withEntra("connect-src 'self'"),
    entra ? `frame-src ${entra}` : "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function portalSecurityHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(env),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
