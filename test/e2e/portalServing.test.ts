/**
 * The portal function over HTTP (functions/portal.ts): content types, caching, CSP, SPA fallback,
 * path traversal, config.json; and the development sign-in (dev/devSignIn.ts) and its refusals.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { registerDevSignIn } from '../../dev/devSignIn';
import { portalConfig, contentSecurityPolicy } from '../../shared/portal/portalConfig';
import { startPortalHost, type PortalHost } from './support/portalHost';

let host: PortalHost;
let script: string;

beforeAll(async () => {
  host = await startPortalHost();
  script = readdirSync(path.join(process.env.PORTAL_ASSETS_DIR as string, 'assets')).find((f) => f.startsWith('index-') && f.endsWith('.js')) as string;
}, 240_000);
afterAll(() => host?.stop());

const get = (p: string, init?: RequestInit) => fetch(`${host.origin}${p}`, init);

describe('serving the built portal', () => {
  test('index.html is HTML, revalidated every time, with a strict Content-Security-Policy', async () => {
    const res = await get('/portal/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain(`/portal/assets/${script}`);
    // No inline script: every <script> has a src on our origin.
    expect(html.match(/<script[^>]*>/g)?.every((tag) => / src="\/portal\/assets\//.test(tag))).toBe(true);
  });

  test('hashed assets are JavaScript cached for a year as immutable; a 304 on a matching ETag', async () => {
    const res = await get(`/portal/assets/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag') as string;
    await res.arrayBuffer();
    const again = await get(`/portal/assets/${script}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  test('client routes get index.html (SPA fallback); a missing file is 404', async () => {
    for (const route of ['/portal/accounts', '/portal/accounts/contoso', '/portal/requests-for-information']) {
      const res = await get(route);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
    const missing = await get('/portal/assets/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-ms-error-code')).toBe('NotFound');
  });

  test('path traversal is refused with 404', async () => {
    for (const attempt of ['/portal/%2e%2e/%2e%2e/package.json', '/portal/assets/..%2f..%2f..%2fpackage.json', '/portal/..%5c..%5cpackage.json', '/portal/.%2e/index.html']) {
      const res = await get(attempt);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('"devDependencies"');
    }
  });

  test('config.json offers the development sign-in locally, and the API version', async () => {
    const res = await get('/portal/config.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ apiVersion: '2024-02-29-preview', drBaseDomain: 'example.commsgw.azure.com', signIn: { kind: 'dev', tokenUrl: '/dev-issuer/token' } });
  });
});

describe('portal configuration', () => {
  test('with Entra settings: MSAL sign-in, and the CSP lets the browser reach Entra ID only', () => {
    const env = { PORTAL_CLIENT_ID: 'c1', PORTAL_API_SCOPE: 'api://x/user_impersonation', AUTH_TENANT_ID: '11111111-1111-1111-1111-111111111111', PORTAL_DEV_SIGN_IN_URL: '/dev-issuer/token' };
    expect(portalConfig(env).signIn).toEqual({ kind: 'entra', clientId: 'c1', authority: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111', apiScope: 'api://x/user_impersonation' });
    expect(contentSecurityPolicy(env)).toContain("connect-src 'self' https://login.microsoftonline.com");
  });

  test('the development sign-in is never offered where cloud settings are present', () => {
    expect(portalConfig({ PORTAL_DEV_SIGN_IN_URL: '/dev-issuer/token', AUTH_TENANT_ID: '11111111-1111-1111-1111-111111111111' }).signIn.kind).toBe('none');
    expect(portalConfig({}).signIn.kind).toBe('none');
  });
});

describe('development sign-in', () => {
  test('mints a user token with the chosen portal roles that the API accepts and enforces', async () => {
    const res = await get('/dev-issuer/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roles: ['ProvisioningAPI.ReadUser'], name: 'Reader' }) });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as { accessToken: string };
    const list = await fetch(`${host.baseUrl}/accounts?api-version=2024-02-29-preview`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(list.status).toBe(200);
    const put = await fetch(`${host.baseUrl}/accounts/readonly?api-version=2024-02-29-preview`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'readonly' }),
    });
    expect(put.status).toBe(403);
  });

  test('refuses roles that are not portal user roles', async () => {
    for (const roles of [['Lookup.Query'], ['ProvisioningAPI.Admin'], [], 'ProvisioningAPI.AdminUser']) {
      const res = await get('/dev-issuer/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roles }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-ms-error-code')).toBe('InvalidRequestContent');
    }
  });

  test('refuses to register where cloud configuration is present', () => {
    expect(() => registerDevSignIn(() => undefined, { AUTH_TENANT_ID: '11111111-1111-1111-1111-111111111111' })).toThrow(/cloud configuration is present \(AUTH_TENANT_ID\)/);
  });
});
