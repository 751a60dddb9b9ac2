/** The server's portal settings (functions/portal.ts → /portal/config.json). */
export interface EntraSignIn {
  readonly kind: 'entra';
  readonly clientId: string;
  readonly authority: string;
  readonly apiScope: string;
}
export interface DevSignIn {
  readonly kind: 'dev';
  readonly tokenUrl: string;
}
export interface PortalConfig {
  readonly apiVersion: string;
  readonly drBaseDomain: string;
  readonly signIn: EntraSignIn | DevSignIn | { readonly kind: 'none'; readonly reason: string };
}

export async function loadPortalConfig(): Promise<PortalConfig> {
  const response = await fetch('/portal/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The portal configuration could not be loaded (HTTP ${response.status}).`);
  return (await response.json()) as PortalConfig;
}
