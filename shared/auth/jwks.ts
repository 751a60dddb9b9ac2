/**
 * Signing keys of the token issuer, fetched from its JWKS endpoint and cached by `kid`.
 * Written by hand instead of jose's createRemoteJWKSet so that the refresh rate (an attacker can
 * send any number of made-up kids) and key rotation are explicit and testable; docs/auth.md lists
 * the behaviours auth.test.ts asserts that jose's set cannot give (stale keys on a failed refresh,
 * an empty set refused, rate-limited retries with no keys, an injectable clock, an in-process loader).
 */
import { importJWK, type JWK, type KeyLike } from 'jose';
import type { SigningAlgorithm } from './config';

export interface KeySource {
  /**
   * The key that verifies a token signed with `alg` under `kid`, or undefined when the issuer has
   * no such key (after at most one rate-limited refresh). Rejects with KeysUnavailableError when
   * no key set was ever loaded.
   */
  keyFor(kid: string, alg: SigningAlgorithm): Promise<KeyLike | undefined>;
}

export interface JwksKeySourceOptions {
  jwksUri: string;
  /** Keys announcing another `alg` are ignored. */
  algorithms: readonly SigningAlgorithm[];
  /** Lower bound between two fetches (unknown-kid refreshes and retries after a failure). Default 30 s. */
  minRefreshIntervalMs?: number;
  /** Keys older than this are re-fetched on the next use. Default 1 h. */
  maxAgeMs?: number;
  /** Default 5 s. */
  fetchTimeoutMs?: number;
  /** Replaces the HTTP fetch, e.g. for an in-process dev issuer. */
  loadJwks?: () => Promise<unknown>;
  /** Told about failed refreshes (the old keys stay in use). */
  onRefreshError?: (error: Error) => void;
  now?: () => number;
}

/** No key set could ever be loaded: the token may be fine, the service cannot check it. */
export class KeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

// A JWKS is a few kilobytes; a much larger answer is a misconfigured URI, not keys.
const MAX_JWKS_BYTES = 1024 * 1024;
const COLD_RETRY_INTERVAL_MS = 5_000;

const CURVE_OF: Partial<Record<SigningAlgorithm, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Whether a key can verify `alg` at all, checked before import so a mismatched header cannot pick it. */
function fits(jwk: JWK, alg: SigningAlgorithm): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (alg.startsWith('ES')) return jwk.kty === 'EC' && jwk.crv === CURVE_OF[alg];
  return jwk.kty === 'RSA';
}

function usableSigningKeys(body: unknown, algorithms: readonly SigningAlgorithm[]): Map<string, JWK> {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('JWKS response has no "keys" array');
  const usable = new Map<string, JWK>();
  for (const candidate of keys as unknown[]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const jwk = candidate as JWK;
    if (typeof jwk.kid !== 'string' || jwk.kid === '') continue;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue; // never `oct`: a shared secret is not a public key
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.key_ops !== undefined && !jwk.key_ops.includes('verify')) continue;
    if (jwk.alg !== undefined && !(algorithms as readonly string[]).includes(jwk.alg)) continue;
    if ('d' in jwk) continue; // a private key published by mistake is not trusted either
    if (!usable.has(jwk.kid)) usable.set(jwk.kid, jwk);
  }
  return usable;
}

export function createJwksKeySource(options: JwksKeySourceOptions): KeySource {
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 60 * 60_000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
  const now = options.now ?? Date.now;

  let keys: Map<string, JWK> | undefined;
  let imported = new Map<string, Promise<KeyLike | undefined>>();
  let loadedAt = 0;
  let lastAttemptAt: number | undefined;
  let lastError: Error | undefined;
  let inFlight: Promise<void> | undefined;

  async function download(): Promise<unknown> {
    if (options.loadJwks !== undefined) return options.loadJwks();
    let response: Response;
    try {
      response = await fetch(options.jwksUri, {
        signal: AbortSignal.timeout(fetchTimeoutMs),
        headers: { accept: 'application/json' },
        redirect: 'error',
      });
    } catch (err) {
      const timedOut = (err as { name?: unknown } | null)?.name === 'TimeoutError';
      throw new Error(timedOut ? `JWKS endpoint did not answer within ${fetchTimeoutMs} ms` : `JWKS fetch failed: ${String(err)}`);
    }
    if (!response.ok) throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error('JWKS response is too large');
    return JSON.parse(text) as unknown;
  }

  async function refresh(): Promise<void> {
    try {
      const fresh = usableSigningKeys(await download(), options.algorithms);
      // An issuer never publishes an empty set on purpose; keeping the old keys rides out a bad deploy.
      if (fresh.size === 0) throw new Error('JWKS contains no usable signing keys');
      keys = fresh;
      imported = new Map();
      loadedAt = now();
      lastError = undefined;
    } catch (err) {
      // Not `instanceof Error`: fetch and JSON errors may come from another realm (DOMException).
      lastError = new Error((err as { message?: unknown } | null)?.message?.toString() ?? String(err));
      options.onRefreshError?.(lastError);
    }
  }

  /** Joins a running refresh, or starts one unless the last attempt is too recent. */
  function refreshIfAllowed(): Promise<void> {
    if (inFlight !== undefined) return inFlight;
    // With no keys at all every request fails, so a failed first load is retried sooner.
    const interval = keys === undefined ? Math.min(minRefreshIntervalMs, COLD_RETRY_INTERVAL_MS) : minRefreshIntervalMs;
    if (lastAttemptAt !== undefined && now() - lastAttemptAt < interval) return Promise.resolve();
    lastAttemptAt = now();
    inFlight = refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function importKey(kid: string, jwk: JWK, alg: SigningAlgorithm): Promise<KeyLike | undefined> {
    const cacheKey = `${kid}\u0000${alg}`;
    let key = imported.get(cacheKey);
    if (key === undefined) {
      // A key that does not import (bad modulus, wrong curve) verifies nothing: treat it as absent.
      key = (importJWK({ ...jwk, alg }, alg) as Promise<KeyLike>).catch(() => undefined);
      imported.set(cacheKey, key);
    }
    return key;
  }

  return {
    async keyFor(kid, alg) {
      if (keys === undefined) {
        await refreshIfAllowed();
      } else if (now() - loadedAt >= maxAgeMs) {
        // Stale but usable: refresh in the background, the current keys still verify this token.
        void refreshIfAllowed();
      }
      let jwk = keys?.get(kid);
      if (jwk === undefined && keys !== undefined) {
        await refreshIfAllowed(); // rotation: the issuer may have published a new key
        jwk = keys.get(kid);
      }
      if (keys === undefined) {
        throw new KeysUnavailableError(`No signing keys loaded from ${options.jwksUri}: ${lastError?.message ?? 'not fetched yet'}`);
      }
      if (jwk === undefined || !fits(jwk, alg)) return undefined;
      return importKey(kid, jwk, alg);
    },
  };
}
