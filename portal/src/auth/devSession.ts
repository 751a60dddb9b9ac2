/**
 * Local sign-in against the development issuer (dev/devSignIn.ts): the user picks roles, the issuer
 * mints a user token for them. Kept in sessionStorage so a reload stays signed in; never in the cloud
 * (the server offers it only without cloud settings).
 */
import { rolesOf, tokenClaims, type Session } from './session';

const STORAGE_KEY = 'nmp.devSession';

interface StoredDevSession {
  accessToken: string;
  name: string;
}

function expired(token: string): boolean {
  const exp = tokenClaims(token).exp;
  return typeof exp !== 'number' || exp * 1000 < Date.now() + 30_000;
}

function toSession(stored: StoredDevSession, onSignOut: () => void): Session {
  return {
    name: stored.name,
    roles: rolesOf(stored.accessToken),
    token: async () => stored.accessToken,
    signOut: () => {
      sessionStorage.removeItem(STORAGE_KEY);
      onSignOut();
    },
  };
}

export function restoreDevSession(onSignOut: () => void): Session | undefined {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return undefined;
  try {
    const stored = JSON.parse(text) as StoredDevSession;
    if (typeof stored.accessToken !== 'string' || expired(stored.accessToken)) return undefined;
    return toSession(stored, onSignOut);
  } catch {
    return undefined;
  }
}

export async function devSignIn(tokenUrl: string, name: string, roles: readonly string[], onSignOut: () => void): Promise<Session> {
  const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, roles }) });
  const body = (await response.json().catch(() => ({}))) as { accessToken?: string; name?: string; error?: { message?: string } };
  if (!response.ok || typeof body.accessToken !== 'string') {
    throw new Error(body.error?.message ?? `The development sign-in failed (HTTP ${response.status}).`);
  }
  const stored: StoredDevSession = { accessToken: body.accessToken, name: body.name ?? name };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  return toSession(stored, onSignOut);
}
