/**
 * Every route × every kind of bad token and every role, through HTTP (issue 3, D11): bad tokens are
 * 401 with WWW-Authenticate, a valid token without the role is 403, with the role the operation runs.
 */
import { createDevIssuer } from '../../dev/devIssuer';
import { createApiClient } from '../support/apiClient';
import { expandRoles, TEST_AUDIENCE } from '../support/devAuth';
import { startLocalHost, type LocalHost } from '../support/localHost';

type Permission = 'read' | 'write' | 'delete';
interface Route {
  id: string;
  method: string;
  path: string;
  permission: Permission;
  /**
   * Status when authorized. This host has no Operator Connect and the account no Teams tenant, so
   * the Teams pass-throughs answer 409 TeamsTenantIdMissing and the RFI write 503; stored RFIs answer.
   */
  ok: number;
  json?: unknown;
  contentType?: string;
}

const ACCOUNT = 'authroutes';
const NUMBER = '+19995550100';
const numberBody = { telephoneNumber: NUMBER, accountName: ACCOUNT, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } };
const accountBody = { name: ACCOUNT, serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } } };
const TENANT = '0b5f3c1e-1111-4222-8333-944455556666';

// The permission column is D11 written out independently of shared/auth/roles.ts.
const ROUTES: Route[] = [
  { id: 'Accounts_List', method: 'GET', path: '/accounts', permission: 'read', ok: 200 },
  { id: 'Accounts_Get', method: 'GET', path: `/accounts/${ACCOUNT}`, permission: 'read', ok: 200 },
  { id: 'Accounts_CreateOrReplace', method: 'PUT', path: `/accounts/${ACCOUNT}`, permission: 'write', ok: 200, json: accountBody },
  { id: 'Accounts_Delete', method: 'DELETE', path: '/accounts/authnothere', permission: 'delete', ok: 204 },
  { id: 'Accounts_CreateOrUpdateNumbers', method: 'POST', path: `/accounts/${ACCOUNT}:createOrUpdateNumbers`, permission: 'write', ok: 200, json: { numbers: [numberBody] } },
  { id: 'Accounts_DeleteNumbers', method: 'POST', path: `/accounts/${ACCOUNT}:deleteNumbers`, permission: 'delete', ok: 204, json: { numbers: [{ telephoneNumber: '+19995550199' }] } },
  { id: 'Accounts_GetTeamsCapabilityPlans', method: 'POST', path: `/accounts/${ACCOUNT}:getTeamsCapabilityPlans`, permission: 'read', ok: 409 },
  { id: 'Accounts_GetTeamsAvailableCapabilities', method: 'POST', path: `/accounts/${ACCOUNT}:getTeamsAvailableCapabilities`, permission: 'read', ok: 409, json: { numbers: [{ telephoneNumber: NUMBER }] } },
  { id: 'Accounts_ListNumbers', method: 'GET', path: `/accounts/${ACCOUNT}/numbers`, permission: 'read', ok: 200 },
  { id: 'Accounts_GetNumber', method: 'GET', path: `/accounts/${ACCOUNT}/numbers/${NUMBER}`, permission: 'read', ok: 200 },
  { id: 'Accounts_CreateOrReplaceNumber', method: 'PUT', path: `/accounts/${ACCOUNT}/numbers/${NUMBER}`, permission: 'write', ok: 200, json: numberBody },
  { id: 'Accounts_DeleteNumber', method: 'DELETE', path: `/accounts/${ACCOUNT}/numbers/+19995550198`, permission: 'delete', ok: 204 },
  { id: 'Accounts_ListTeamsCivicAddresses', method: 'GET', path: `/accounts/${ACCOUNT}/teamsCivicAddresses`, permission: 'read', ok: 409 },
  { id: 'Accounts_GetTeamsCivicAddress', method: 'GET', path: `/accounts/${ACCOUNT}/teamsCivicAddresses/addr1`, permission: 'read', ok: 409 },
  { id: 'ListNumbers', method: 'GET', path: '/numbers', permission: 'read', ok: 200 },
  { id: 'TeamsRequestsForInformation_List', method: 'GET', path: '/teamsRequestsForInformation', permission: 'read', ok: 200 },
  { id: 'TeamsRequestsForInformation_GetRequestForInformation', method: 'GET', path: `/teamsRequestsForInformation/${TENANT}`, permission: 'read', ok: 404 },
  {
    id: 'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
    method: 'PATCH',
    path: `/teamsRequestsForInformation/${TENANT}`,
    permission: 'write',
    ok: 503,
    json: { customerRelationship: { status: 'ConsentAcknowledged' } },
    contentType: 'application/merge-patch+json',
  },
];

const ROLE_GRANTS: Record<string, Permission[]> = {
  Read: ['read'],
  Write: ['write'],
  Delete: ['delete'],
  Admin: ['read', 'write', 'delete'],
  ReadUser: ['read'],
  WriteUser: ['write'],
  DeleteUser: ['delete'],
  AdminUser: ['read', 'write', 'delete'],
  'Lookup.Query': [],
};

let host: LocalHost;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  // Every refusal logs auth.rejected (asserted in lookup.test.ts and requestLogContext.test.ts); keep the run's output readable.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  const api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  expect((await api.put(`/accounts/${ACCOUNT}`, { json: accountBody })).status).toBe(201);
  expect((await api.put(`/accounts/${ACCOUNT}/numbers/${NUMBER}`, { json: numberBody })).status).toBe(201);
});
afterAll(async () => {
  await host?.stop();
});

async function call(route: Route, authorization: string | undefined) {
  const api = createApiClient(host.baseUrl, { headers: authorization === undefined ? {} : { authorization } });
  return api.request(route.method, route.path, {
    ...(route.json !== undefined ? { json: route.json } : {}),
    ...(route.contentType !== undefined ? { contentType: route.contentType } : {}),
  });
}

const badTokens: Record<string, () => Promise<string | undefined>> = {
  'no token': async () => undefined,
  'not a bearer scheme': async () => `Basic ${Buffer.from('user:pass').toString('base64')}`,
  malformed: async () => 'Bearer not.a.jwt',
  expired: async () => `Bearer ${await host.auth.issuer.issueToken({ roles: expandRoles(['Admin']), expiresInSeconds: -3600 })}`,
  'not yet valid': async () => `Bearer ${await host.auth.issuer.issueToken({ roles: expandRoles(['Admin']), notBefore: new Date(Date.now() + 3600_000) })}`,
  'wrong audience': async () => `Bearer ${await host.auth.issuer.issueToken({ roles: expandRoles(['Admin']), audience: 'api://someone-else' })}`,
  'wrong issuer': async () => `Bearer ${await host.auth.issuer.issueToken({ roles: expandRoles(['Admin']), issuer: 'http://127.0.0.1:1/other-issuer' })}`,
  'bad signature': async () => {
    const forger = createDevIssuer({ issuer: host.auth.issuer.issuer, audience: TEST_AUDIENCE, env: {} });
    return `Bearer ${await forger.issueToken({ roles: expandRoles(['Admin']), kid: host.auth.issuer.kid })}`;
  },
  'alg none': async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: host.auth.issuer.issuer, aud: TEST_AUDIENCE, sub: 'x', exp: now + 600, iat: now, roles: ['ProvisioningAPI.Admin'] };
    return `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: host.auth.issuer.kid })}.${b64(payload)}.`;
  },
  'unknown kid': async () => `Bearer ${await host.auth.issuer.issueToken({ roles: expandRoles(['Admin']), kid: 'unknown-key-id' })}`,
};

describe.each(ROUTES)('$id ($method $path)', (route) => {
  it.each(Object.keys(badTokens))('answers 401 with WWW-Authenticate: Bearer for %s', async (kind) => {
    const res = await call(route, await (badTokens[kind] as () => Promise<string | undefined>)());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it.each(Object.keys(ROLE_GRANTS))('with role %s: runs the operation only if the role grants it', async (role) => {
    const token = await host.token([role]);
    const res = await call(route, `Bearer ${token}`);
    if ((ROLE_GRANTS[role] as Permission[]).includes(route.permission)) {
      expect(res.status).toBe(route.ok);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('Forbidden');
    }
  });
});
