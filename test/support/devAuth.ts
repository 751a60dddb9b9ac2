/**
 * Test tokens: a development issuer with an in-memory key and its JWKS served on a loopback port,
 * so the app validates tokens through its real JWKS fetch path. Tokens carry the given roles.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevIssuer, type DevIssuer } from '../../dev/devIssuer';

export const TEST_AUDIENCE = 'api://voice-provisioning-test';

export interface TestAuth {
  /** AUTH_* settings pointing the app at this issuer. */
  readonly env: Record<string, string>;
  readonly issuer: DevIssuer;
  /** A token with these roles (short names expand: 'Admin' → 'ProvisioningAPI.Admin'). */
  token(roles: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export function expandRoles(roles: readonly string[]): string[] {
  return roles.map((r) => (r.includes('.') ? r : `ProvisioningAPI.${r}`));
}

export async function startTestAuth(): Promise<TestAuth> {
  // The issuer URL needs the server's port, and the server needs the issuer: fill it in after listen.
  const holder: { issuer?: DevIssuer } = {};
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(holder.issuer?.jwks() ?? { keys: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuerUrl = `http://127.0.0.1:${port}/dev-issuer`;
  const dev = createDevIssuer({ issuer: issuerUrl, audience: TEST_AUDIENCE, env: {} });
  holder.issuer = dev;
  return {
    env: { AUTH_ISSUER: issuerUrl, AUTH_AUDIENCE: TEST_AUDIENCE, AUTH_JWKS_URI: `${issuerUrl}/keys` },
    issuer: dev,
    token: (roles) => dev.issueToken({ roles: expandRoles(roles) }),
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // the app's keep-alive JWKS connection would hold close() ~5 s
      return closed;
    },
  };
}
