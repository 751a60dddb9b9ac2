/**
 * Access tokens: HS256 JWTs signed with a per-simulator key (node:crypto, no library), carrying the
 * claims Operator Connect authorizes on (docs/oc-client.md, "What is known"): `appid`, `tid`, `roles`, plus `aud` and `exp`.
 * Expiry is judged on the virtual clock, so a test can expire a token by advancing time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AccessTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly appid: string;
  readonly azp: string;
  readonly tid: string;
  readonly roles: readonly string[];
  readonly ver: '1.0';
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: 'Malformed' | 'InvalidSignature' | 'InvalidAudience' | 'Expired' };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signature(key: Buffer, signingInput: string): Buffer {
  return createHmac('sha256', key).update(signingInput).digest();
}

export function signAccessToken(key: Buffer, claims: AccessTokenClaims): string {
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${signature(key, signingInput).toString('base64url')}`;
}

function isClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.aud === 'string' &&
    typeof claims.exp === 'number' &&
    typeof claims.appid === 'string' &&
    typeof claims.tid === 'string' &&
    Array.isArray(claims.roles) &&
    claims.roles.every((role) => typeof role === 'string')
  );
}

export function verifyAccessToken(key: Buffer, token: string, audience: string, nowMs: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'Malformed' };
  const [header, payload, sig] = parts as [string, string, string];
  let decodedHeader: unknown;
  let claims: unknown;
  try {
    decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'Malformed' };
  }
  // Only our own algorithm: an `alg: none` token must not pass as unsigned.
  if ((decodedHeader as { alg?: unknown } | null)?.alg !== 'HS256') return { ok: false, reason: 'InvalidSignature' };
  const expected = signature(key, `${header}.${payload}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'InvalidSignature' };
  if (!isClaims(claims)) return { ok: false, reason: 'Malformed' };
  if (claims.aud !== audience) return { ok: false, reason: 'InvalidAudience' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'Expired' };
  return { ok: true, claims };
}
