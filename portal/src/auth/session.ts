/**
 * Who is signed in and how to get their token. Two sign-ins produce the same Session: MSAL against
 * Entra ID in the cloud, the development issuer locally (docs/portal.md). The roles shown in the UI
 * come from the access token's `roles` claim; the API enforces them again on every call.
 */
import { permissionsOf, type Permission } from '../../../shared/auth/roles';

export interface Session {
  readonly name: string;
  readonly roles: readonly string[];
  token(): Promise<string>;
  signOut(): void;
}

export function can(session: Session, permission: Permission): boolean {
  return permissionsOf(session.roles).has(permission);
}

/** The payload of a JWT, without verifying it: only for showing the user's roles (the API verifies). */
export function tokenClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function rolesOf(token: string): string[] {
  const roles = tokenClaims(token).roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}
