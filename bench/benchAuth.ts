/**
 * A development token issuer for benchmarks: in-memory key, JWKS on a loopback port (as
 * test/support/devAuth.ts does for tests), and one long-lived token with the requested roles.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevIssuer } from '../dev/devIssuer';

export interface BenchAuth {
  /** AUTH_* settings for the app. */
  readonly env: Record<string, string>;
  readonly token: string;
  close(): Promise<void>;
}

export async function startBenchAuth(roles: readonly string[]): Promise<BenchAuth> {
  let jwks = '{"keys":[]}';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev-issuer`;
  const audience = 'api://voice-provisioning-bench';
  // env {}: the issuer refuses to exist next to cloud settings; this process has none of its own.
  const issuer = createDevIssuer({ issuer: issuerUrl, audience, env: {} });
  jwks = JSON.stringify(issuer.jwks());
  return {
    env: { AUTH_ISSUER: issuerUrl, AUTH_AUDIENCE: audience, AUTH_JWKS_URI: `${issuerUrl}/keys` },
    token: await issuer.issueToken({ roles: [...roles], expiresInSeconds: 3 * 3600 }),
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // the app's JWKS fetch may keep a connection open
      return closed;
    },
  };
}
