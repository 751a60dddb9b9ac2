/**
 * Bearer tokens the lookup has already verified, remembered by their exact Authorization header
 * until they expire. A signature check costs far more than the lookup itself, and the SIP layer
 * sends the same token on every call, so only the first call of each token pays it.
 *
 * Only successes are cached (an anonymous caller cannot fill the cache), the cache is bounded, and an
 * entry lives at most `maxAgeMs` even when the token lives longer, which bounds how long a token
 * keeps working after the issuer withdraws its signing key.
 */
import type { BearerValidator, Principal } from '../auth/bearer';

export interface VerifiedTokenOptions {
  /** Default 1000: a few SBC clients, each renewing its token hourly. */
  readonly maxEntries?: number;
  /** Default 5 minutes. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

interface Verified {
  readonly principal: Principal;
  readonly allowed: boolean;
  readonly expiresAt: number;
}

export interface TokenGate {
  /**
   * Returns undefined when the header's token is known good for the operation (no await needed);
   * otherwise a promise that verifies it. Throws / rejects with the validator's 401/403 AuthError.
   */
  check(authorizationHeader: string | null): Promise<void> | undefined;
  readonly size: number;
}

/** `exp` of a token the validator accepted (so it is a well-formed JWS with a numeric exp). */
function expiryMs(authorizationHeader: string): number {
  const token = authorizationHeader.trim().split(/[ \t]+/)[1] ?? '';
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
  return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
}

export function createTokenGate(validator: BearerValidator, operationId: string, options: VerifiedTokenOptions = {}): TokenGate {
  const maxEntries = options.maxEntries ?? 1000;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, Verified>();

  function remember(header: string, entry: Verified): void {
    if (verified.size >= maxEntries) {
      // Oldest first (insertion order); expired ones would be the first to go anyway.
      const oldest = verified.keys().next();
      if (oldest.done !== true) verified.delete(oldest.value);
    }
    verified.set(header, entry);
  }

  async function verify(header: string | null): Promise<void> {
    const principal = await validator.authenticate(header);
    let allowed = true;
    try {
      validator.authorize(principal, operationId);
    } catch (err) {
      allowed = false;
      throw err;
    } finally {
      if (header !== null) remember(header, { principal, allowed, expiresAt: Math.min(expiryMs(header), now() + maxAgeMs) });
    }
  }

  return {
    check(header) {
      const known = header === null ? undefined : verified.get(header);
      if (known !== undefined) {
        if (known.expiresAt > now()) {
          if (known.allowed) return undefined;
          validator.authorize(known.principal, operationId); // throws the 403 with its message
        }
        verified.delete(header as string);
      }
      return verify(header);
    },
    get size() {
      return verified.size;
    },
  };
}
