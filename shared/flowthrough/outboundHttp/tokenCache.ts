/**
 * The one bearer-token cache of our outbound calls (Operator Connect, Azure DNS): refreshes shortly
 * before expiry, shares a single refresh between concurrent callers, forgets a token the server
 * rejected (401), and rides out a failed refresh with the current token while it is still valid.
 */

export interface TokenProvider {
  getToken(): Promise<string>;
  /** The server answered 401 to `token`: drop it so the next getToken fetches a fresh one. */
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
  /** Refresh this long before expiry (at most half the token's lifetime). */
  readonly refreshMarginMs: number;
  /**
   * A refresh failure the still-valid token must not hide (the credential is gone or rejected, so
   * the caller should hear it now). Default: none, every failure falls back while the token lasts.
   */
  readonly isFatal?: (err: unknown) => boolean;
}

export function cachingTokenProvider(source: TokenSource, { now, refreshMarginMs, isFatal = () => false }: TokenCacheOptions): TokenProvider {
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
      if (cached !== undefined && now() < cached.expiresAtMs && !isFatal(err)) return cached.token;
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
