/**
 * The portal under test: the local host with flow-through (Operator Connect simulator, in-process
 * queue), the portal function serving the built bundle, and the development sign-in bound to this
 * host's token issuer. One per test file, like startLocalHost.
 */
import { registerDevSignIn, DEV_SIGN_IN_ROUTE } from '../../../dev/devSignIn';
import type { DevIssuer } from '../../../dev/devIssuer';
import { startFlowthroughHost, type FlowthroughHost } from '../../support/flowthroughHost';
import { ensurePortalBuilt } from './portalBuild';

export interface PortalHost extends FlowthroughHost {
  /** Origin of the host (the portal lives at `${origin}/portal/`). */
  readonly origin: string;
}

export async function startPortalHost(env: Record<string, string> = {}): Promise<PortalHost> {
  const assets = await ensurePortalBuilt();
  const holder: { issuer?: DevIssuer } = {};
  // Registered before the host serves (its route table is built then); the issuer exists only after.
  registerDevSignIn(() => holder.issuer, {});
  const host = await startFlowthroughHost({
    orderTimes: { pendingMs: 1_500, completeMs: 3_000 },
    env: { PORTAL_ASSETS_DIR: assets, PORTAL_DEV_SIGN_IN_URL: `/${DEV_SIGN_IN_ROUTE}`, ...env },
  });
  holder.issuer = host.auth.issuer;
  return { ...host, origin: new URL(host.baseUrl).origin };
}
