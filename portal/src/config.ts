/** The server's portal settings (functions/portal.ts → /portal/config.json). */
// One definition of the shape, shared with the function that serves it (type-only: nothing of it reaches the bundle).
import type { PortalConfig } from '../../shared/portal/portalConfig';
export type { DevSignIn, EntraSignIn, PortalConfig } from '../../shared/portal/portalConfig';

export async function loadPortalConfig(): Promise<PortalConfig> {
  const response = await fetch('/portal/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The portal configuration could not be loaded (HTTP ${response.status}).`);
  return (await response.json()) as PortalConfig;
}
