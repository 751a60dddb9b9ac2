/**
 * Operator Connect client settings: from the environment (`loadOcClientSettings`) or built in code
 * (`ocClientSettings`, used by tests and the local host with the simulator's URL and credentials).
 * Both validate everything up front and return frozen objects, so a bad setting fails at start-up,
 * not on the first provisioning message. Host, path prefix and token audience are not public
 * (docs/oc-client.md, "What is known about Operator Connect"), so they are configuration, never constants.
 */
import { existsSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import type { RetryPolicy } from '../outboundHttp/retryPolicy';
import { intSetting, isProblem, readSetting } from '../../settings/parse';

export const OC_CLIENT_ENV_NAMES = [
  'OC_API_BASE_URL',
  'OC_SCOPE',
  'OC_AUTH_MODE',
  'OC_TOKEN_AUTHORITY',
  'OC_TENANT_ID',
  'OC_CLIENT_ID',
  'OC_CLIENT_SECRET',
  'OC_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_ID',
  'OC_CALL_TIMEOUT_MS',
  'OC_RETRY_MAX_ATTEMPTS',
  'OC_RETRY_MAX_WAIT_MS',
  'OC_RETRY_BASE_DELAY_MS',
  'OC_RETRY_MAX_DELAY_MS',
  'OC_TOKEN_REFRESH_MARGIN_MS',
  'OC_CLIENT_LOG',
] as const;

export const DEFAULT_TOKEN_AUTHORITY = 'https://login.microsoftonline.com';

export const OC_CLIENT_DEFAULTS = Object.freeze({
  /** Per attempt, response body included. */
  callTimeoutMs: 10_000,
  /** Worst case per call ≈ 4 × 10 s + 20 s: inside the 1-minute default Service Bus lock. */
  retry: Object.freeze({ maxAttempts: 4, maxTotalWaitMs: 20_000, baseDelayMs: 500, maxDelayMs: 8_000 }),
  /** Refresh this long before expiry (capped at half the token's lifetime). */
  tokenRefreshMarginMs: 5 * 60_000,
});

export const OC_AUTH_MODES = ['managed-identity', 'client-secret', 'client-certificate', 'client-secret-form'] as const;

/**
 * - `client-secret-form`: a plain form POST of the client-credentials grant to `tokenUrl`. The
 *   only mode that works against the local simulator, because `@azure/identity` credentials refuse
 *   a non-https authority ("The authorityHost address must use the 'https' protocol.").
 * - `client-secret` / `client-certificate`: `@azure/identity` credentials against an https authority.
 * - `managed-identity`: `ManagedIdentityCredential`; `clientId` picks a user-assigned identity.
 * - `token-credential`: any `TokenCredential` handed in by code (not reachable from the environment).
 */
export type OcAuthSettings =
  | { readonly mode: 'client-secret-form'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly mode: 'client-secret'; readonly authorityHost: string; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly mode: 'client-certificate'; readonly authorityHost: string; readonly tenantId: string; readonly clientId: string; readonly certificatePath: string }
  | { readonly mode: 'managed-identity'; readonly clientId?: string }
  | { readonly mode: 'token-credential'; readonly credential: TokenCredential };

export interface OcClientSettings {
  /** Everything before the route, prefix included (e.g. `https://oc.example.net/oc/v1`); no trailing slash. */
  readonly apiBaseUrl: string;
  /** Token scope, e.g. `<Project Synergy app ID URI>/.default`. */
  readonly scope: string;
  readonly auth: OcAuthSettings;
  readonly callTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly tokenRefreshMarginMs: number;
}

export type OcAuthInput =
  | OcAuthSettings
  /** The form POST goes to `{authority}/{tenantId}/oauth2/v2.0/token`. */
  | { readonly mode: 'client-secret-form'; readonly authority: string; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string };

export interface OcClientSettingsInput {
  readonly apiBaseUrl: string;
  readonly scope: string;
  readonly auth: OcAuthInput;
  readonly callTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly tokenRefreshMarginMs?: number;
}

export class OcConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Operator Connect client configuration: ${problems.join('; ')}.`);
    this.name = 'OcConfigurationError';
  }
}

/** Tenant GUID or verified domain; the token URL embeds it as a path segment. */
const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/;

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

class Problems {
  readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
  }
  /** https anywhere; plain http only on loopback (simulator, local host), where no token leaves the machine. */
  url(name: string, value: string, { httpsOnly = false } = {}): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.add(`${name} is not a valid URL`);
      return value;
    }
    if (url.search !== '' || url.hash !== '') this.add(`${name} must not have a query or fragment`);
    if (url.username !== '' || url.password !== '') this.add(`${name} must not carry credentials`);
    const allowed = url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:' && isLoopback(url));
    if (!allowed) {
      this.add(httpsOnly ? `${name} must use https (@azure/identity refuses http; use client-secret-form locally)` : `${name} must use https (http only for localhost/127.0.0.1)`);
    }
    return value.replace(/\/+$/, '');
  }
  text(name: string, value: string | undefined): string {
    if (value === undefined || value.trim() === '') this.add(`${name} is required`);
    return value?.trim() ?? '';
  }
  int(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) this.add(`${name} must be an integer from ${min} to ${max}`);
    return value;
  }
  tenant(name: string, value: string | undefined): string {
    const tenant = this.text(name, value);
    if (tenant !== '' && !TENANT.test(tenant)) this.add(`${name} must be a tenant GUID or domain name`);
    return tenant;
  }
}

function buildAuth(input: OcAuthInput, problems: Problems, label: (field: string) => string): OcAuthSettings {
  switch (input.mode) {
    case 'client-secret-form': {
      const clientId = problems.text(label('auth.clientId'), input.clientId);
      const clientSecret = problems.text(label('auth.clientSecret'), input.clientSecret);
      if ('tokenUrl' in input) return { mode: input.mode, tokenUrl: problems.url(label('auth.tokenUrl'), input.tokenUrl), clientId, clientSecret };
      const authority = problems.url(label('auth.authority'), input.authority);
      const tenantId = problems.tenant(label('auth.tenantId'), input.tenantId);
      return { mode: input.mode, tokenUrl: `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, clientId, clientSecret };
    }
    case 'client-secret':
      return {
        mode: input.mode,
        authorityHost: problems.url(label('auth.authorityHost'), input.authorityHost, { httpsOnly: true }),
        tenantId: problems.tenant(label('auth.tenantId'), input.tenantId),
        clientId: problems.text(label('auth.clientId'), input.clientId),
        clientSecret: problems.text(label('auth.clientSecret'), input.clientSecret),
      };
    case 'client-certificate': {
      const certificatePath = problems.text(label('auth.certificatePath'), input.certificatePath);
      if (certificatePath !== '' && !existsSync(certificatePath)) problems.add(`${label('auth.certificatePath')} ${certificatePath} does not exist`);
      return {
        mode: input.mode,
        authorityHost: problems.url(label('auth.authorityHost'), input.authorityHost, { httpsOnly: true }),
        tenantId: problems.tenant(label('auth.tenantId'), input.tenantId),
        clientId: problems.text(label('auth.clientId'), input.clientId),
        certificatePath,
      };
    }
    case 'managed-identity':
      return input.clientId === undefined || input.clientId.trim() === '' ? { mode: input.mode } : { mode: input.mode, clientId: input.clientId.trim() };
    case 'token-credential':
      if (typeof input.credential?.getToken !== 'function') problems.add('auth.credential must be a TokenCredential');
      return { mode: input.mode, credential: input.credential };
    default:
      problems.add(`auth.mode must be one of ${[...OC_AUTH_MODES, 'token-credential'].join(', ')}`);
      return input;
  }
}

function buildSettings(input: OcClientSettingsInput, problems: Problems, labels: Readonly<Record<string, string>>): OcClientSettings {
  const label = (field: string): string => labels[field] ?? field;
  const baseUrlText = problems.text(label('apiBaseUrl'), input.apiBaseUrl);
  const apiBaseUrl = baseUrlText === '' ? '' : problems.url(label('apiBaseUrl'), baseUrlText);
  const scope = problems.text(label('scope'), input.scope);
  if (/\s/.test(scope)) problems.add(`${label('scope')} must be a single scope`);
  const auth = buildAuth(input.auth, problems, label);
  const defaults = OC_CLIENT_DEFAULTS;
  const retry = {
    maxAttempts: problems.int(label('retry.maxAttempts'), input.retry?.maxAttempts, defaults.retry.maxAttempts, 1, 10),
    maxTotalWaitMs: problems.int(label('retry.maxTotalWaitMs'), input.retry?.maxTotalWaitMs, defaults.retry.maxTotalWaitMs, 0, 300_000),
    baseDelayMs: problems.int(label('retry.baseDelayMs'), input.retry?.baseDelayMs, defaults.retry.baseDelayMs, 0, 60_000),
    maxDelayMs: problems.int(label('retry.maxDelayMs'), input.retry?.maxDelayMs, defaults.retry.maxDelayMs, 0, 300_000),
  };
  if (retry.maxDelayMs < retry.baseDelayMs) problems.add(`${label('retry.maxDelayMs')} must not be below ${label('retry.baseDelayMs')}`);
  return Object.freeze({
    apiBaseUrl,
    scope,
    auth: Object.freeze(auth),
    callTimeoutMs: problems.int(label('callTimeoutMs'), input.callTimeoutMs, defaults.callTimeoutMs, 10, 300_000),
    retry: Object.freeze(retry),
    tokenRefreshMarginMs: problems.int(label('tokenRefreshMarginMs'), input.tokenRefreshMarginMs, defaults.tokenRefreshMarginMs, 0, 3_600_000),
  });
}

/** Validates, fills defaults and freezes; throws OcConfigurationError listing every problem. */
export function ocClientSettings(input: OcClientSettingsInput): OcClientSettings {
  const problems = new Problems();
  const settings = buildSettings(input, problems, {});
  if (problems.list.length > 0) throw new OcConfigurationError(problems.list);
  return settings;
}

const ENV_LABELS: Record<string, string> = {
  apiBaseUrl: 'OC_API_BASE_URL',
  scope: 'OC_SCOPE',
  callTimeoutMs: 'OC_CALL_TIMEOUT_MS',
  'retry.maxAttempts': 'OC_RETRY_MAX_ATTEMPTS',
  'retry.maxTotalWaitMs': 'OC_RETRY_MAX_WAIT_MS',
  'retry.baseDelayMs': 'OC_RETRY_BASE_DELAY_MS',
  'retry.maxDelayMs': 'OC_RETRY_MAX_DELAY_MS',
  tokenRefreshMarginMs: 'OC_TOKEN_REFRESH_MARGIN_MS',
};

/** Which variables each mode reads; any other credential variable set is refused as a likely mistake. */
const MODE_VARIABLES: Record<(typeof OC_AUTH_MODES)[number], readonly string[]> = {
  'client-secret-form': ['OC_TOKEN_AUTHORITY', 'OC_TENANT_ID', 'OC_CLIENT_ID', 'OC_CLIENT_SECRET'],
  'client-secret': ['OC_TOKEN_AUTHORITY', 'OC_TENANT_ID', 'OC_CLIENT_ID', 'OC_CLIENT_SECRET'],
  'client-certificate': ['OC_TOKEN_AUTHORITY', 'OC_TENANT_ID', 'OC_CLIENT_ID', 'OC_CLIENT_CERTIFICATE_PATH'],
  'managed-identity': ['OC_CLIENT_ID'],
};
const CREDENTIAL_VARIABLES = ['OC_TOKEN_AUTHORITY', 'OC_TENANT_ID', 'OC_CLIENT_ID', 'OC_CLIENT_SECRET', 'OC_CLIENT_CERTIFICATE_PATH'];

const read = readSetting;

function readInt(env: NodeJS.ProcessEnv, name: string, problems: Problems): number | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  // Bounds are checked with the field's label by buildSettings (the same rules as settings built in code).
  const value = intSetting(env, name, 0, 0, Number.MAX_SAFE_INTEGER);
  if (isProblem(value)) {
    problems.add(`${name}=${raw} is not a whole number`);
    return undefined;
  }
  return value;
}

function authFromEnv(env: NodeJS.ProcessEnv, problems: Problems): OcAuthInput | undefined {
  const mode = read(env, 'OC_AUTH_MODE');
  if (mode === undefined || !(OC_AUTH_MODES as readonly string[]).includes(mode)) {
    problems.add(`OC_AUTH_MODE must be one of ${OC_AUTH_MODES.join(', ')}${mode === undefined ? '' : ` (got ${mode})`}`);
    return undefined;
  }
  const known = mode as (typeof OC_AUTH_MODES)[number];
  for (const name of CREDENTIAL_VARIABLES) {
    if (read(env, name) !== undefined && !MODE_VARIABLES[known].includes(name)) problems.add(`${name} is set but OC_AUTH_MODE=${known} does not use it`);
  }
  const authority = read(env, 'OC_TOKEN_AUTHORITY') ?? DEFAULT_TOKEN_AUTHORITY;
  const tenantId = read(env, 'OC_TENANT_ID') ?? '';
  const clientId = read(env, 'OC_CLIENT_ID') ?? '';
  switch (known) {
    case 'client-secret-form':
      return { mode: known, authority, tenantId, clientId, clientSecret: read(env, 'OC_CLIENT_SECRET') ?? '' };
    case 'client-secret':
      return { mode: known, authorityHost: authority, tenantId, clientId, clientSecret: read(env, 'OC_CLIENT_SECRET') ?? '' };
    case 'client-certificate':
      return { mode: known, authorityHost: authority, tenantId, clientId, certificatePath: read(env, 'OC_CLIENT_CERTIFICATE_PATH') ?? '' };
    case 'managed-identity': {
      // A dedicated identity for OC wins; otherwise the app's user-assigned identity; otherwise system-assigned.
      const identity = read(env, 'OC_CLIENT_ID') ?? read(env, 'AZURE_CLIENT_ID');
      return identity === undefined ? { mode: known } : { mode: known, clientId: identity };
    }
  }
}

const AUTH_ENV_LABELS: Record<string, string> = {
  'auth.authority': 'OC_TOKEN_AUTHORITY',
  'auth.authorityHost': 'OC_TOKEN_AUTHORITY',
  'auth.tenantId': 'OC_TENANT_ID',
  'auth.clientId': 'OC_CLIENT_ID',
  'auth.clientSecret': 'OC_CLIENT_SECRET',
  'auth.certificatePath': 'OC_CLIENT_CERTIFICATE_PATH',
};

/** Reads OC_* variables (see OC_CLIENT_ENV_NAMES and docs/oc-client.md); throws listing every problem. */
export function loadOcClientSettings(env: NodeJS.ProcessEnv = process.env): OcClientSettings {
  const problems = new Problems();
  const auth = authFromEnv(env, problems);
  const ints = {
    callTimeoutMs: readInt(env, 'OC_CALL_TIMEOUT_MS', problems),
    maxAttempts: readInt(env, 'OC_RETRY_MAX_ATTEMPTS', problems),
    maxTotalWaitMs: readInt(env, 'OC_RETRY_MAX_WAIT_MS', problems),
    baseDelayMs: readInt(env, 'OC_RETRY_BASE_DELAY_MS', problems),
    maxDelayMs: readInt(env, 'OC_RETRY_MAX_DELAY_MS', problems),
    tokenRefreshMarginMs: readInt(env, 'OC_TOKEN_REFRESH_MARGIN_MS', problems),
  };
  const input: OcClientSettingsInput = {
    apiBaseUrl: read(env, 'OC_API_BASE_URL') ?? '',
    scope: read(env, 'OC_SCOPE') ?? '',
    // A missing or unknown mode is already a problem; managed identity stands in so the rest is still checked.
    auth: auth ?? { mode: 'managed-identity' },
    ...(ints.callTimeoutMs !== undefined ? { callTimeoutMs: ints.callTimeoutMs } : {}),
    ...(ints.tokenRefreshMarginMs !== undefined ? { tokenRefreshMarginMs: ints.tokenRefreshMarginMs } : {}),
    retry: {
      ...(ints.maxAttempts !== undefined ? { maxAttempts: ints.maxAttempts } : {}),
      ...(ints.maxTotalWaitMs !== undefined ? { maxTotalWaitMs: ints.maxTotalWaitMs } : {}),
      ...(ints.baseDelayMs !== undefined ? { baseDelayMs: ints.baseDelayMs } : {}),
      ...(ints.maxDelayMs !== undefined ? { maxDelayMs: ints.maxDelayMs } : {}),
    },
  };
  const settings = buildSettings(input, problems, { ...ENV_LABELS, ...AUTH_ENV_LABELS });
  if (problems.list.length > 0) throw new OcConfigurationError(problems.list);
  return settings;
}

/** A log-safe summary: never the secret. */
export function describeOcClientSettings(settings: OcClientSettings): Record<string, unknown> {
  const { auth } = settings;
  const authSummary =
    auth.mode === 'token-credential'
      ? { mode: auth.mode }
      : auth.mode === 'managed-identity'
        ? { mode: auth.mode, clientId: auth.clientId ?? '(system-assigned)' }
        : auth.mode === 'client-secret-form'
          ? { mode: auth.mode, tokenUrl: auth.tokenUrl, clientId: auth.clientId }
          : { mode: auth.mode, authorityHost: auth.authorityHost, tenantId: auth.tenantId, clientId: auth.clientId };
  return { apiBaseUrl: settings.apiBaseUrl, scope: settings.scope, auth: authSummary, callTimeoutMs: settings.callTimeoutMs, retry: settings.retry, tokenRefreshMarginMs: settings.tokenRefreshMarginMs };
}
