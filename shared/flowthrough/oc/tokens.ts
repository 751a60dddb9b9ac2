/**
 * Bearer tokens for Operator Connect (client credentials against the operator's own tenant,
 * operator-connect.md §1). Every source is wrapped in one cache that refreshes shortly before
 * expiry, shares a single refresh between concurrent callers and forgets a token the API rejected.
 */
import type { TokenCredential } from '@azure/identity';
import { OcError } from './port';
import { exchange, type FetchLike } from './exchange';
import type { OcLogger } from './log';
import { parseRetryAfter } from './retry';

export interface OcTokenProvider {
  getToken(): Promise<string>;
  /** The API answered 401 to `token`: drop it so the next getToken fetches a fresh one. */
  invalidate(token: string): void;
}

export interface TokenGrant {
  readonly token: string;
  readonly expiresAtMs: number;
  /** When the issuer suggests refreshing (`refreshAfterTimestamp` of @azure/identity). */
  readonly refreshAtMs?: number;
}

export type TokenSource = () => Promise<TokenGrant>;

export interface TokenCacheOptions {
  readonly now: () => number;
  readonly refreshMarginMs: number;
}

export function cachingTokenProvider(source: TokenSource, { now, refreshMarginMs }: TokenCacheOptions): OcTokenProvider {
  let cached: { token: string; refreshAtMs: number; expiresAtMs: number } | undefined;
  let refreshing: Promise<string> | undefined;

  async function acquire(): Promise<string> {
    const acquiredAt = now();
    try {
      const grant = await source();
      const lifetime = Math.max(0, grant.expiresAtMs - acquiredAt);
      // Short-lived tokens (simulator, tests) would otherwise be "due" the moment they arrive.
      const refreshAtMs = grant.refreshAtMs ?? grant.expiresAtMs - Math.min(refreshMarginMs, lifetime / 2);
      cached = { token: grant.token, refreshAtMs, expiresAtMs: grant.expiresAtMs };
      return grant.token;
    } catch (err) {
      // An identity-platform blip should not stop calls while the current token is still good.
      if (cached !== undefined && now() < cached.expiresAtMs && !(err instanceof OcError && err.kind === 'configuration')) return cached.token;
      throw err;
    }
  }

  function refresh(): Promise<string> {
    // `.finally` runs after the assignment even when `source` fails synchronously.
    refreshing ??= acquire().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    getToken: () => (cached !== undefined && now() < cached.refreshAtMs ? Promise.resolve(cached.token) : refresh()),
    invalidate(token) {
      // Compare first: of many concurrent 401s only the first one throws the (shared) token away.
      if (cached?.token === token) cached = undefined;
    },
  };
}

export interface FormTokenSourceOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  readonly timeoutMs: number;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly log: OcLogger;
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * The OAuth 2.0 client-credentials grant as a plain form POST (RFC 6749 §4.4). Used against the
 * simulator: @azure/identity's ClientSecretCredential throws "The authorityHost address must use
 * the 'https' protocol." for the simulator's http://127.0.0.1 authority. Works against Entra too.
 */
export function formClientCredentialsSource(options: FormTokenSourceOptions): TokenSource {
  return async () => {
    const started = options.now();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret, scope: options.scope });
    const result = await exchange(
      options.fetch,
      options.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() },
      options.timeoutMs,
    );
    const durationMs = options.now() - started;
    if (!result.ok) {
      options.log({ level: 'warn', event: 'oc.token', outcome: 'transient', durationMs, code: 'TokenEndpointUnreachable' });
      throw new OcError('transient', undefined, 'TokenEndpointUnreachable', `Token request failed: ${result.message}`);
    }
    let body: unknown;
    try {
      body = result.text === '' ? undefined : JSON.parse(result.text);
    } catch {
      body = undefined;
    }
    const requestId = result.headers.get('x-ms-request-id') ?? undefined;
    if (result.status !== 200) {
      const code = typeof field(body, 'error') === 'string' ? (field(body, 'error') as string) : `Http${result.status}`;
      const description = typeof field(body, 'error_description') === 'string' ? (field(body, 'error_description') as string) : '';
      // Throttling and outages pass; anything else (bad client, secret, tenant, scope) needs a human.
      const transient = result.status === 408 || result.status === 429 || result.status >= 500;
      const kind = transient ? 'transient' : 'configuration';
      options.log({ level: 'warn', event: 'oc.token', status: result.status, outcome: kind, durationMs, code, ...(requestId ? { requestId } : {}) });
      const retryAfterMs = parseRetryAfter(result.headers, options.now());
      throw new OcError(kind, result.status, code, `Token request refused with ${result.status} ${code}${description ? `: ${description.split('\n')[0]}` : ''}`, [], retryAfterMs, requestId);
    }
    const token = field(body, 'access_token');
    const expiresIn = Number(field(body, 'expires_in'));
    const tokenType = field(body, 'token_type');
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0 || (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer')) {
      throw new OcError('configuration', 200, 'InvalidTokenResponse', 'Token endpoint answered without a usable bearer token (access_token, expires_in, token_type).');
    }
    options.log({ level: 'debug', event: 'oc.token', status: 200, outcome: 'ok', durationMs, ...(requestId ? { requestId } : {}) });
    return { token, expiresAtMs: started + expiresIn * 1000 };
  };
}

const CONFIGURATION_ERROR_NAMES = new Set(['CredentialUnavailableError', 'AuthenticationRequiredError']);

/** Any @azure/identity credential (managed identity, secret, certificate, or one a caller built). */
export function tokenCredentialSource(credential: TokenCredential, scope: string, timeoutMs: number): TokenSource {
  return async () => {
    let token;
    try {
      token = await credential.getToken(scope, { requestOptions: { timeout: timeoutMs } });
    } catch (err) {
      const name = (err as { name?: unknown } | undefined)?.name;
      const statusCode = (err as { statusCode?: unknown } | undefined)?.statusCode;
      const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
      // No identity here, or Entra rejected the app: retrying cannot help.
      const rejected = typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429;
      if ((typeof name === 'string' && CONFIGURATION_ERROR_NAMES.has(name)) || rejected) {
        throw new OcError('configuration', typeof statusCode === 'number' ? statusCode : undefined, String(name ?? 'CredentialError'), `Token credential failed: ${message}`);
      }
      throw new OcError('transient', typeof statusCode === 'number' ? statusCode : undefined, String(name ?? 'CredentialError'), `Token credential failed: ${message}`);
    }
    if (token === null) throw new OcError('configuration', undefined, 'NoToken', `Token credential returned no token for scope ${scope}.`);
    return { token: token.token, expiresAtMs: token.expiresOnTimestamp, ...(token.refreshAfterTimestamp !== undefined ? { refreshAtMs: token.refreshAfterTimestamp } : {}) };
  };
}
