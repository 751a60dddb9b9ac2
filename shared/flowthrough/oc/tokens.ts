/**
 * Where Operator Connect bearer tokens come from (client credentials against the operator's own
 * tenant; docs/oc-client.md, "What is known about Operator Connect"). client.ts wraps the source in the shared outbound token cache
 * (../outboundHttp/tokenCache.ts), with configuration failures marked fatal.
 */
import type { TokenCredential } from '@azure/identity';
import { parseRetryAfter } from '../outboundHttp/retryAfter';
import type { TokenSource } from '../outboundHttp/tokenCache';
import { OcError } from './port';
import { exchange, type FetchLike } from './exchange';
import type { OcLogger } from './log';

/** A token failure no cached token may hide: the credential or the app registration is wrong. */
export function isOcConfigurationError(err: unknown): boolean {
  return err instanceof OcError && err.kind === 'configuration';
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
