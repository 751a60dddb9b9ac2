import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, type JWK } from 'jose';
import { ApiError } from '../../shared/contract/errors';
import { createBearerValidator, MAX_AUTHORIZATION_HEADER_LENGTH, type AuthError, type BearerValidator } from '../../shared/auth/bearer';
import { AUTH_ENV_NAMES, loadAuthConfig, type AuthConfig } from '../../shared/auth/config';
import { createJwksKeySource, type JwksKeySourceOptions } from '../../shared/auth/jwks';
import { isAllowed, OPERATION_IDS, permissionsOf, requiredPermission } from '../../shared/auth/roles';
import { cloudConfigurationIn, createDevIssuer, DEV_AUDIENCE, devIssuerDefaults, type DevIssuer } from '../../dev/devIssuer';
import { main as tokenCli, parseTokenArgs } from '../../dev/token';

const ISSUER = 'http://127.0.0.1:7071/dev-issuer';
const AUDIENCE = 'api://voice-provisioning-test';
const LOCAL_ENV: NodeJS.ProcessEnv = {};
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

// ---------------------------------------------------------------------------------------------
// A tiny JWKS endpoint on 127.0.0.1:0 that counts its hits and can fail or hold its answers.

interface JwksServer {
  uri: string;
  hits: number;
  /** What the next request gets. */
  answer: () => { status: number; body: unknown };
  /** When set, responses wait until it resolves (to observe concurrent refreshes). */
  gate?: Promise<void>;
  close(): Promise<void>;
}

async function startJwksServer(issuer: { jwks(): unknown }): Promise<JwksServer> {
  const state: JwksServer = {
    uri: '',
    hits: 0,
    answer: () => ({ status: 200, body: issuer.jwks() }),
    close: async () => undefined,
  };
  const server = http.createServer((_req, res) => {
    state.hits++;
    void (async () => {
      if (state.gate !== undefined) await state.gate;
      const { status, body } = state.answer();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function configFor(jwksUri: string, extra: NodeJS.ProcessEnv = {}): AuthConfig {
  return loadAuthConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URI: jwksUri, ...extra });
}

type Outcome = { status: 200 } | { status: number; code: string; reason: string; message: string; headers: Record<string, string> };

async function outcome(validator: BearerValidator, header: string | undefined, operationId: string): Promise<Outcome> {
  try {
    await validator.check(header, operationId);
    return { status: 200 };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const authError = err as AuthError;
    return { status: err.status, code: err.code, reason: authError.reason, message: err.message, headers: err.headers ?? {} };
  }
}

async function expectRejected(validator: BearerValidator, header: string | undefined, reason: string, status = 401): Promise<Outcome> {
  const result = await outcome(validator, header, 'Accounts_List');
  expect(result).toMatchObject({ status, reason });
  return result;
}

// ---------------------------------------------------------------------------------------------
// The decision table: token cases × operations → 401 / 403 / allow.

/** Independent of roles.ts on purpose: this is the contract (D11) written out by hand. */
const OPERATIONS: Record<string, 'read' | 'write' | 'delete' | 'lookup'> = {
  Accounts_List: 'read',
  Accounts_GetTeamsCapabilityPlans: 'read',
  TeamsRequestsForInformation_GetRequestForInformation: 'read',
  Accounts_CreateOrReplace: 'write',
  Accounts_CreateOrUpdateNumbers: 'write',
  TeamsRequestsForInformation_CreateOrUpdateRequestForInformation: 'write',
  Accounts_Delete: 'delete',
  Accounts_DeleteNumbers: 'delete',
  Lookup_Route: 'lookup',
};

const ROLE_GRANTS: Record<string, string[]> = {
  'ProvisioningAPI.Read': ['read'],
  'ProvisioningAPI.Write': ['write'],
  'ProvisioningAPI.Delete': ['delete'],
  'ProvisioningAPI.Admin': ['read', 'write', 'delete'],
  'ProvisioningAPI.ReadUser': ['read'],
  'ProvisioningAPI.WriteUser': ['write'],
  'ProvisioningAPI.DeleteUser': ['delete'],
  'ProvisioningAPI.AdminUser': ['read', 'write', 'delete'],
  'Lookup.Query': ['lookup'],
};

const REJECTED_TOKENS: Array<[string, string]> = [
  ['no header', 'missing_header'],
  ['not Bearer', 'not_bearer'],
  ['malformed', 'malformed'],
  ['expired', 'expired'],
  ['not yet valid', 'not_yet_valid'],
  ['wrong audience', 'wrong_audience'],
  ['wrong issuer', 'wrong_issuer'],
  ['bad signature (other key, same kid)', 'bad_signature'],
  ['alg none', 'alg_not_allowed'],
  ['HS256', 'alg_not_allowed'],
  ['unknown kid', 'unknown_kid'],
];

describe('bearer validation against a local JWKS', () => {
  let issuer: DevIssuer;
  let jwks: JwksServer;
  let validator: BearerValidator;
  const headers = new Map<string, string | undefined>();

  beforeAll(async () => {
    issuer = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: LOCAL_ENV });
    jwks = await startJwksServer(issuer);
    validator = createBearerValidator(configFor(jwks.uri));

    const impostor = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: LOCAL_ENV });
    const roles = ['ProvisioningAPI.Admin'];
    const bearer = (token: string): string => `Bearer ${token}`;
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'x', roles, iat: nowSeconds(), exp: nowSeconds() + 600 };

    headers.set('no header', undefined);
    headers.set('not Bearer', 'Basic dXNlcjpwYXNzd29yZA==');
    headers.set('malformed', 'Bearer not.a-jwt');
    headers.set('expired', bearer(await issuer.issueToken({ roles, expiresInSeconds: -3600 })));
    headers.set('not yet valid', bearer(await issuer.issueToken({ roles, notBefore: new Date(Date.now() + 3600_000) })));
    headers.set('wrong audience', bearer(await issuer.issueToken({ roles, audience: 'api://someone-else' })));
    headers.set('wrong issuer', bearer(await issuer.issueToken({ roles, issuer: 'http://127.0.0.1:7071/other-issuer' })));
    headers.set('bad signature (other key, same kid)', bearer(await impostor.issueToken({ roles, kid: issuer.kid })));
    headers.set('alg none', bearer(`${b64url({ alg: 'none', kid: issuer.kid, typ: 'JWT' })}.${b64url(claims)}.`));
    headers.set(
      'HS256',
      bearer(
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
          .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!')),
      ),
    );
    headers.set('unknown kid', bearer(await issuer.issueToken({ roles, kid: 'kid-nobody-published' })));
    for (const role of Object.keys(ROLE_GRANTS)) headers.set(role, bearer(await issuer.issueToken({ roles: [role] })));
    headers.set('no roles', bearer(await issuer.issueToken({ roles: [] })));
  });

  afterAll(() => jwks.close());

  const rejectedCases = REJECTED_TOKENS.flatMap(([tokenCase, reason]) =>
    Object.keys(OPERATIONS).map((operationId) => [tokenCase, operationId, reason] as const),
  );
  test.each(rejectedCases)('%s → 401 for %s (%s)', async (tokenCase, operationId, reason) => {
    const header = headers.get(tokenCase);
    const result = await outcome(validator, header, operationId);
    expect(result).toMatchObject({ status: 401, code: 'Unauthorized', reason });
    if (!('reason' in result)) return;
    const challenge = result.headers['WWW-Authenticate'];
    if (reason === 'missing_header' || reason === 'not_bearer') {
      expect(challenge).toBe('Bearer');
    } else {
      expect(challenge).toBe(`Bearer error="invalid_token", error_description="${result.message}"`);
    }
    const token = header?.split(' ')[1];
    if (token !== undefined) expect(result.message).not.toContain(token);
    expect(result.message).not.toMatch(/\n\s+at /);
  });

  const roleCases = [...Object.keys(ROLE_GRANTS), 'no roles'].flatMap((role) =>
    Object.entries(OPERATIONS).map(([operationId, permission]) => {
      const allowed = (ROLE_GRANTS[role] ?? []).includes(permission);
      return [role, operationId, allowed ? 200 : 403] as const;
    }),
  );
  test.each(roleCases)('valid token with %s → %s answers %i', async (role, operationId, status) => {
    const result = await outcome(validator, headers.get(role), operationId);
    expect(result.status).toBe(status);
    if (result.status !== 200 && 'code' in result) {
      expect(result).toMatchObject({ code: 'Forbidden', reason: 'forbidden' });
      expect(result.message).toContain(`requires the ${OPERATIONS[operationId]} permission`);
    }
  });

  test('the JWKS was fetched once for the whole table plus at most one unknown-kid refresh', () => {
    expect(jwks.hits).toBeGreaterThanOrEqual(1);
    expect(jwks.hits).toBeLessThanOrEqual(2);
  });

  test('authenticate maps the claims to a principal', async () => {
    const token = await issuer.issueToken({
      roles: ['ProvisioningAPI.Read', 'Something.Else'],
      subject: 'sp-object-id',
      appId: 'client-app-id',
      name: 'BSS client',
      claims: { tid: '11111111-2222-3333-4444-555555555555' },
    });
    await expect(validator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      subject: 'sp-object-id',
      appId: 'client-app-id',
      name: 'BSS client',
      tenantId: '11111111-2222-3333-4444-555555555555',
      roles: ['ProvisioningAPI.Read', 'Something.Else'],
    });
  });

  test('v1 claims (appid, preferred_username) are understood too', async () => {
    const token = await issuer.issueToken({ roles: [], claims: { appid: 'v1-app', preferred_username: 'ops@example.com' } });
    await expect(validator.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ appId: 'v1-app', name: 'ops@example.com' });
  });

  test.each([
    ['a string', 'ProvisioningAPI.Admin', []],
    ['an object', { admin: true }, []],
    ['an array with non-strings', ['ProvisioningAPI.Read', 7, null], ['ProvisioningAPI.Read']],
  ])('roles claim that is %s grants only its string entries', async (_label, roles, expected) => {
    const token = await issuer.issueToken({ roles: [], claims: { roles } });
    const principal = await validator.authenticate(`Bearer ${token}`);
    expect(principal.roles).toEqual(expected);
  });

  test('a token without sub is refused', async () => {
    const token = await issuer.issueToken({ roles: [], claims: { sub: undefined } });
    await expect(expectRejected(validator, `Bearer ${token}`, 'missing_claim')).resolves.toMatchObject({
      message: 'The access token has no sub claim.',
    });
  });

  test('the Bearer scheme is case-insensitive and tolerates surrounding spaces', async () => {
    const header = headers.get('ProvisioningAPI.Read') as string;
    const token = header.slice('Bearer '.length);
    await expect(outcome(validator, `bearer   ${token}  `, 'Accounts_List')).resolves.toEqual({ status: 200 });
  });

  test.each([['Bearer'], ['Bearer '], ['Bearer a.b'], ['Bearer a.b.c d'], ['Bearer !!.??.xx'], ['Bearer e30.e30.']])(
    '%j is malformed or alg-less',
    async (header) => {
      const result = await outcome(validator, header, 'Accounts_List');
      expect(result.status).toBe(401);
      expect(['malformed', 'alg_not_allowed']).toContain((result as { reason: string }).reason);
    },
  );

  test('a 403 names the permission and the roles that grant it', async () => {
    const result = await outcome(validator, headers.get('ProvisioningAPI.Read'), 'Accounts_DeleteNumbers');
    expect(result).toMatchObject({ status: 403, code: 'Forbidden' });
    expect((result as { message: string }).message).toBe(
      'Accounts_DeleteNumbers requires the delete permission, which the token\'s roles do not grant ' +
        '(granted by: ProvisioningAPI.Delete, ProvisioningAPI.Admin, ProvisioningAPI.DeleteUser, ProvisioningAPI.AdminUser).',
    );
  });

  test('an unknown operationId is a wiring defect (plain Error), not a 401/403', async () => {
    await expect(validator.check(headers.get('ProvisioningAPI.Admin'), 'Accounts_Frobnicate')).rejects.toThrow(
      'No permission is mapped for operationId "Accounts_Frobnicate"',
    );
    await expect(validator.check(undefined, 'Accounts_Frobnicate')).rejects.not.toBeInstanceOf(ApiError);
  });

  describe('16 KiB Authorization header cap', () => {
    test('a longer header is refused before any parsing', async () => {
      await expectRejected(validator, `Bearer ${'a'.repeat(MAX_AUTHORIZATION_HEADER_LENGTH)}`, 'header_too_large');
    });

    test('a valid token just under the cap is accepted', async () => {
      const base = (await issuer.issueToken({ roles: ['ProvisioningAPI.Read'], claims: { pad: '' } })).length + 'Bearer '.length;
      const pad = 'x'.repeat(Math.floor(((MAX_AUTHORIZATION_HEADER_LENGTH - base) * 3) / 4) - 4);
      const header = `Bearer ${await issuer.issueToken({ roles: ['ProvisioningAPI.Read'], claims: { pad } })}`;
      expect(header.length).toBeLessThanOrEqual(MAX_AUTHORIZATION_HEADER_LENGTH);
      expect(header.length).toBeGreaterThan(MAX_AUTHORIZATION_HEADER_LENGTH - 16);
      await expect(outcome(validator, header, 'Accounts_List')).resolves.toEqual({ status: 200 });
    });
  });

  describe('clock skew', () => {
    test.each([
      ['expired 30 s ago, default 60 s skew', {}, { expiresInSeconds: -30 }, 200],
      ['expired 90 s ago, default 60 s skew', {}, { expiresInSeconds: -90 }, 401],
      ['valid from 30 s ahead, default 60 s skew', {}, { notBefore: 30 }, 200],
      ['valid from 90 s ahead, default 60 s skew', {}, { notBefore: 90 }, 401],
      ['expired 30 s ago, skew 0', { AUTH_CLOCK_SKEW_SECONDS: '0' }, { expiresInSeconds: -30 }, 401],
      ['expired 200 s ago, skew 300', { AUTH_CLOCK_SKEW_SECONDS: '300' }, { expiresInSeconds: -200 }, 200],
    ] as const)('%s → %i', async (_label, env, token, status) => {
      const skewed = createBearerValidator(configFor(jwks.uri, env));
      const jwt = await issuer.issueToken({
        roles: ['ProvisioningAPI.Read'],
        ...('expiresInSeconds' in token ? { expiresInSeconds: token.expiresInSeconds } : {}),
        ...('notBefore' in token ? { notBefore: new Date(Date.now() + token.notBefore * 1000) } : {}),
      });
      await expect(outcome(skewed, `Bearer ${jwt}`, 'Accounts_List')).resolves.toMatchObject({ status });
    });
  });

  test('a token from another tenant is refused when a tenant is configured', async () => {
    const tenant = '11111111-2222-3333-4444-555555555555';
    const tenantIssuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
    const tenantValidator = createBearerValidator(
      loadAuthConfig({ AUTH_TENANT_ID: tenant, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URI: jwks.uri }),
    );
    const foreign = await issuer.issueToken({ roles: [], issuer: tenantIssuer, claims: { tid: '99999999-2222-3333-4444-555555555555' } });
    const own = await issuer.issueToken({ roles: [], issuer: tenantIssuer, claims: { tid: tenant } });
    await expectRejected(tenantValidator, `Bearer ${foreign}`, 'wrong_tenant');
    await expect(tenantValidator.authenticate(`Bearer ${own}`)).resolves.toMatchObject({ tenantId: tenant });
  });
});

// ---------------------------------------------------------------------------------------------

describe('JWKS key source: rotation, bounded refresh, coalescing, failures', () => {
  const MIN_INTERVAL = 30_000;
  const MAX_AGE = 3_600_000;
  let issuer: DevIssuer;
  let jwks: JwksServer;
  let clock: number;

  const sourceOptions = (): JwksKeySourceOptions => ({
    jwksUri: jwks.uri,
    algorithms: ['RS256', 'ES256'],
    minRefreshIntervalMs: MIN_INTERVAL,
    maxAgeMs: MAX_AGE,
    now: () => clock,
  });
  const newValidator = (extra: Partial<JwksKeySourceOptions> = {}): BearerValidator =>
    createBearerValidator(configFor(jwks.uri), createJwksKeySource({ ...sourceOptions(), ...extra }));
  const token = async (options: { kid?: string } = {}): Promise<string> =>
    `Bearer ${await issuer.issueToken({ roles: ['ProvisioningAPI.Read'], ...options })}`;
  const randomKid = (): string => `kid-${Math.random().toString(36).slice(2)}`;

  beforeEach(async () => {
    issuer = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: LOCAL_ENV });
    jwks = await startJwksServer(issuer);
    clock = 1_000_000;
  });
  afterEach(() => jwks.close());

  test('after the issuer rotates, a token signed with the new key is accepted without a new validator', async () => {
    const validator = newValidator();
    await expect(validator.authenticate(await token())).resolves.toBeDefined();
    expect(jwks.hits).toBe(1);

    issuer.rotate();
    const rotated = await token();
    // Within the minimum interval the new kid is not worth a fetch yet...
    clock += MIN_INTERVAL - 1;
    await expectRejected(validator, rotated, 'unknown_kid');
    expect(jwks.hits).toBe(1);
    // ...after it, one fetch picks the new key up.
    clock += 1;
    await expect(validator.authenticate(rotated)).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  test('a retired key stops verifying once the JWKS no longer lists it', async () => {
    const validator = newValidator();
    const old = await token();
    await validator.authenticate(old);
    issuer.rotate();
    clock += MIN_INTERVAL;
    await validator.authenticate(await token());
    await expectRejected(validator, old, 'unknown_kid');
  });

  test('rotation with the previous key kept accepts both generations', async () => {
    const validator = newValidator();
    const old = await token();
    await validator.authenticate(old);
    issuer.rotate({ keepPrevious: true });
    expect(issuer.jwks().keys).toHaveLength(2);
    clock += MIN_INTERVAL;
    await expect(validator.authenticate(await token())).resolves.toBeDefined();
    await expect(validator.authenticate(old)).resolves.toBeDefined();
  });

  test('50 tokens with random kids within the minimum interval cost at most one extra fetch', async () => {
    const validator = newValidator();
    await validator.authenticate(await token());
    expect(jwks.hits).toBe(1);
    clock += MIN_INTERVAL; // the next unknown kid may refresh once

    const forged = await Promise.all(Array.from({ length: 50 }, () => token({ kid: randomKid() })));
    const concurrent = await Promise.all(forged.slice(0, 25).map((header) => outcome(validator, header, 'Accounts_List')));
    for (const header of forged.slice(25)) {
      clock += 100;
      await expectRejected(validator, header, 'unknown_kid');
    }
    expect(concurrent.every((result) => 'reason' in result && result.reason === 'unknown_kid')).toBe(true);
    expect(jwks.hits).toBe(2);
  });

  test('concurrent refreshes are coalesced into one fetch', async () => {
    let release: () => void = () => undefined;
    jwks.gate = new Promise<void>((resolve) => (release = resolve));
    const validator = newValidator();
    const headers = await Promise.all(Array.from({ length: 20 }, () => token()));
    const pending = Promise.all(headers.map((header) => validator.authenticate(header)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(pending).resolves.toHaveLength(20);
    expect(jwks.hits).toBe(1);
  });

  test('keys older than maxAge are refreshed lazily on use, and the stale keys still serve meanwhile', async () => {
    const validator = newValidator();
    const old = await token();
    await validator.authenticate(old);
    issuer.rotate();
    clock += MAX_AGE;
    const rotated = await token();
    // The old token is verified with the cached keys while the background refresh runs; the new
    // token joins that same refresh.
    await expect(Promise.all([validator.authenticate(old), validator.authenticate(rotated)])).resolves.toHaveLength(2);
    expect(jwks.hits).toBe(2);
  });

  test('a failed refresh keeps the old keys', async () => {
    const errors: string[] = [];
    const validator = newValidator({ onRefreshError: (error) => errors.push(error.message) });
    const header = await token();
    await validator.authenticate(header);
    jwks.answer = () => ({ status: 500, body: { error: 'down' } });
    clock += MAX_AGE;
    await expect(validator.authenticate(header)).resolves.toBeDefined();
    await expectRejected(validator, await token({ kid: randomKid() }), 'unknown_kid'); // joins the failing refresh
    expect(jwks.hits).toBe(2);
    expect(errors).toEqual(['JWKS endpoint answered HTTP 500']);
    await expect(validator.authenticate(header)).resolves.toBeDefined();
  });

  test('an empty or unusable JWKS counts as a failed refresh', async () => {
    const validator = newValidator();
    const header = await token();
    await validator.authenticate(header);
    jwks.answer = () => ({ status: 200, body: { keys: [] } });
    clock += MAX_AGE;
    await validator.authenticate(header);
    await expect(validator.authenticate(header)).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  test('with no keys ever loaded the answer is 503 with Retry-After, and the retry is rate-limited', async () => {
    jwks.answer = () => ({ status: 503, body: {} });
    const validator = newValidator();
    const header = await token();
    const result = await expectRejected(validator, header, 'keys_unavailable', 503);
    expect(result).toMatchObject({ code: 'ServiceUnavailable', headers: { 'Retry-After': '5' } });
    await expectRejected(validator, header, 'keys_unavailable', 503);
    expect(jwks.hits).toBe(1);
    jwks.answer = () => ({ status: 200, body: issuer.jwks() });
    clock += 5_000;
    await expect(validator.authenticate(header)).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  test('keys of type oct, with use other than sig, with a disallowed alg, or private are ignored', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsaPublic = rsa.publicKey.export({ format: 'jwk' }) as JWK;
    const ecPublic = ec.publicKey.export({ format: 'jwk' }) as JWK;
    jwks.answer = () => ({
      status: 200,
      body: {
        keys: [
          { kty: 'oct', kid: 'oct', k: 'c2VjcmV0', alg: 'HS256' },
          { ...rsaPublic, kid: 'enc', use: 'enc' },
          { ...rsaPublic, kid: 'rs512', alg: 'RS512', use: 'sig' },
          { ...(ec.privateKey.export({ format: 'jwk' }) as JWK), kid: 'private', use: 'sig' },
          { ...rsaPublic, kid: 'verify-only-not', key_ops: ['encrypt'] },
          { ...rsaPublic, kid: 'rsa-no-alg', use: 'sig' },
          { ...ecPublic, kid: 'ec', use: 'sig', alg: 'ES256' },
          'not a key',
        ],
      },
    });
    const keys = createJwksKeySource(sourceOptions());
    await expect(keys.keyFor('rsa-no-alg', 'RS256')).resolves.toBeDefined(); // Entra publishes keys without alg
    await expect(keys.keyFor('ec', 'ES256')).resolves.toBeDefined();
    for (const kid of ['oct', 'enc', 'rs512', 'private', 'verify-only-not']) {
      await expect(keys.keyFor(kid, 'RS256')).resolves.toBeUndefined();
    }
    // A header cannot point an algorithm at a key of another type.
    await expect(keys.keyFor('ec', 'RS256')).resolves.toBeUndefined();
    await expect(keys.keyFor('rsa-no-alg', 'ES256')).resolves.toBeUndefined();
    expect(jwks.hits).toBe(1);
  });

  test('a JWKS endpoint that does not answer in time is a failed refresh', async () => {
    jwks.gate = new Promise<void>(() => undefined); // never answers
    const errors: string[] = [];
    const keys = createJwksKeySource({ ...sourceOptions(), fetchTimeoutMs: 100, onRefreshError: (e) => errors.push(e.message) });
    await expect(keys.keyFor('any', 'ES256')).rejects.toThrow(/No signing keys loaded .*did not answer within 100 ms/);
    expect(errors).toEqual(['JWKS endpoint did not answer within 100 ms']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('roles', () => {
  const SWAGGER_OPERATIONS = [
    'Accounts_List', 'Accounts_Get', 'Accounts_CreateOrReplace', 'Accounts_Delete', 'Accounts_CreateOrUpdateNumbers',
    'Accounts_DeleteNumbers', 'Accounts_GetTeamsCapabilityPlans', 'Accounts_GetTeamsAvailableCapabilities',
    'Accounts_ListNumbers', 'Accounts_GetNumber', 'Accounts_CreateOrReplaceNumber', 'Accounts_DeleteNumber',
    'Accounts_ListTeamsCivicAddresses', 'Accounts_GetTeamsCivicAddress', 'ListNumbers', 'TeamsRequestsForInformation_List',
    'TeamsRequestsForInformation_GetRequestForInformation', 'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
  ];

  test('every swagger operation and the lookup have a permission', () => {
    expect([...OPERATION_IDS].sort()).toEqual([...SWAGGER_OPERATIONS, 'Lookup_Route'].sort());
  });

  test.each([
    ['Accounts_Get', 'read'], ['Accounts_GetTeamsAvailableCapabilities', 'read'], ['ListNumbers', 'read'],
    ['Accounts_CreateOrReplaceNumber', 'write'], ['Accounts_DeleteNumber', 'delete'], ['Lookup_Route', 'lookup'],
  ])('%s requires %s', (operationId, permission) => {
    expect(requiredPermission(operationId)).toBe(permission);
  });

  test('permissions of several roles add up; unknown and differently-cased roles grant nothing', () => {
    expect([...permissionsOf(['ProvisioningAPI.ReadUser', 'ProvisioningAPI.WriteUser'])].sort()).toEqual(['read', 'write']);
    expect([...permissionsOf(['provisioningapi.admin', 'Admin', 'toString', '__proto__'])]).toEqual([]);
  });

  test('Admin does not grant the lookup, Lookup.Query grants nothing else', () => {
    expect(isAllowed(['ProvisioningAPI.Admin', 'ProvisioningAPI.AdminUser'], 'Lookup_Route')).toBe(false);
    expect(isAllowed(['Lookup.Query'], 'Lookup_Route')).toBe(true);
    expect(SWAGGER_OPERATIONS.some((operationId) => isAllowed(['Lookup.Query'], operationId))).toBe(false);
    expect(SWAGGER_OPERATIONS.every((operationId) => isAllowed(['ProvisioningAPI.Admin'], operationId))).toBe(true);
  });

  test('an unknown operation throws', () => {
    expect(() => requiredPermission('Accounts_Patch')).toThrow(/No permission is mapped/);
    expect(() => isAllowed(['ProvisioningAPI.Admin'], 'constructor')).toThrow(/No permission is mapped/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('loadAuthConfig', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  test('derives issuer and JWKS URI from the tenant and applies the defaults', () => {
    const config = loadAuthConfig({ AUTH_TENANT_ID: TENANT.toUpperCase(), AUTH_AUDIENCE: ' api://prov , 0000-app ' });
    expect(config).toEqual({
      tenantId: TENANT,
      issuers: [`https://login.microsoftonline.com/${TENANT}/v2.0`],
      audiences: ['api://prov', '0000-app'],
      jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      clockSkewSeconds: 60,
      algorithms: ['RS256', 'ES256'],
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.audiences)).toBe(true);
    expect(Object.isFrozen(config.algorithms)).toBe(true);
  });

  test('accepts v1 and v2 issuers of the same tenant and explicit algorithms', () => {
    const config = loadAuthConfig({
      AUTH_TENANT_ID: TENANT,
      AUTH_ISSUER: `https://sts.windows.net/${TENANT}/,https://login.microsoftonline.com/${TENANT}/v2.0`,
      AUTH_AUDIENCE: 'api://prov',
      AUTH_ALGORITHMS: 'PS256, ES384',
      AUTH_CLOCK_SKEW_SECONDS: '0',
    });
    expect(config.issuers).toHaveLength(2);
    expect(config.algorithms).toEqual(['PS256', 'ES384']);
    expect(config.clockSkewSeconds).toBe(0);
  });

  test('lists its environment variables', () => {
    expect([...AUTH_ENV_NAMES].sort()).toEqual(
      ['AUTH_ALGORITHMS', 'AUTH_AUDIENCE', 'AUTH_CLOCK_SKEW_SECONDS', 'AUTH_ISSUER', 'AUTH_JWKS_URI', 'AUTH_TENANT_ID'],
    );
  });

  const base = { AUTH_TENANT_ID: TENANT, AUTH_AUDIENCE: 'api://prov' };
  test.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['nothing set', {}, /set AUTH_TENANT_ID or AUTH_ISSUER/],
    ['audience missing', { AUTH_TENANT_ID: TENANT }, /AUTH_AUDIENCE is required/],
    ['audience only commas', { ...base, AUTH_AUDIENCE: ' , ' }, /AUTH_AUDIENCE is required/],
    ['tenant not a GUID', { ...base, AUTH_TENANT_ID: 'common' }, /AUTH_TENANT_ID must be a directory \(tenant\) GUID/],
    ['issuer of another tenant', { ...base, AUTH_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0' }, /does not belong to AUTH_TENANT_ID/],
    ['issuer without a tenant while a tenant is set', { ...base, AUTH_ISSUER: 'https://issuer.example.com/' }, /does not belong to AUTH_TENANT_ID/],
    ['issuer over http', { AUTH_ISSUER: 'http://issuer.example.com/', AUTH_AUDIENCE: 'a', AUTH_JWKS_URI: 'https://k.example.com' }, /AUTH_ISSUER must use https/],
    ['issuer not a URL', { AUTH_ISSUER: 'issuer', AUTH_AUDIENCE: 'a', AUTH_JWKS_URI: 'https://k.example.com' }, /AUTH_ISSUER is not a valid URL/],
    ['JWKS over http off-host', { ...base, AUTH_JWKS_URI: 'http://keys.example.com/keys' }, /AUTH_JWKS_URI must use https/],
    ['no tenant and no JWKS URI', { AUTH_ISSUER: 'https://issuer.example.com/', AUTH_AUDIENCE: 'a' }, /AUTH_JWKS_URI is required/],
    ['skew above 300', { ...base, AUTH_CLOCK_SKEW_SECONDS: '301' }, /AUTH_CLOCK_SKEW_SECONDS must be an integer from 0 to 300/],
    ['negative skew', { ...base, AUTH_CLOCK_SKEW_SECONDS: '-1' }, /AUTH_CLOCK_SKEW_SECONDS/],
    ['skew not a number', { ...base, AUTH_CLOCK_SKEW_SECONDS: '1m' }, /AUTH_CLOCK_SKEW_SECONDS/],
    ['alg none', { ...base, AUTH_ALGORITHMS: 'RS256,none' }, /AUTH_ALGORITHMS must not contain none/],
    ['HS256', { ...base, AUTH_ALGORITHMS: 'HS256' }, /AUTH_ALGORITHMS must not contain HS256/],
    ['unknown algorithm', { ...base, AUTH_ALGORITHMS: 'RS256,EdDSA' }, /unsupported EdDSA/],
    ['algorithms empty list', { ...base, AUTH_ALGORITHMS: ',' }, /AUTH_ALGORITHMS is empty/],
    ['a disable switch', { ...base, AUTH_DISABLED: 'true' }, /AUTH_DISABLED is not supported/],
  ])('refuses %s', (_label, env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(message);
  });

  test('plain http is accepted for a loopback issuer and JWKS (the dev issuer)', () => {
    expect(
      loadAuthConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_URI: 'http://localhost:7071/dev-issuer/keys' }).jwksUri,
    ).toBe('http://localhost:7071/dev-issuer/keys');
  });
});

// ---------------------------------------------------------------------------------------------

describe('dev issuer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dev-issuer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each<[string, NodeJS.ProcessEnv, string[]]>([
    ['a managed identity', { AZURE_CLIENT_ID: 'secret-looking-value' }, ['AZURE_CLIENT_ID']],
    ['an Entra tenant', { AUTH_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' }, ['AUTH_TENANT_ID']],
    ['an App Service site', { WEBSITE_SITE_NAME: 'func-prov' }, ['WEBSITE_SITE_NAME']],
    ['a Tables endpoint', { TABLES_ENDPOINT: 'https://x.table.core.windows.net' }, ['TABLES_ENDPOINT']],
    ['a Functions instance', { FUNCTIONS_WORKER_RUNTIME: 'node', WEBSITE_INSTANCE_ID: 'abc' }, ['FUNCTIONS_WORKER_RUNTIME', 'WEBSITE_INSTANCE_ID']],
    ['a remote JWKS', { AUTH_JWKS_URI: 'https://login.microsoftonline.com/x/discovery/v2.0/keys' }, ['AUTH_JWKS_URI']],
    ['a remote issuer', { AUTH_ISSUER: 'https://login.microsoftonline.com/x/v2.0' }, ['AUTH_ISSUER']],
    ['several at once', { AZURE_CLIENT_ID: 'client-1234', TABLES_ENDPOINT: 'https://t.example' }, ['AZURE_CLIENT_ID', 'TABLES_ENDPOINT']],
  ])('refuses to construct with %s configured and names the variables', (_label, env, names) => {
    expect(cloudConfigurationIn(env)).toEqual(names);
    let message = '';
    try {
      createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Refusing to create the development token issuer/);
    for (const name of names) expect(message).toContain(name);
    for (const value of Object.values(env)) expect(message).not.toContain(value);
  });

  test('local settings alone (FUNCTIONS_WORKER_RUNTIME, loopback issuer) are fine', () => {
    const env = { FUNCTIONS_WORKER_RUNTIME: 'node', AUTH_ISSUER: ISSUER, AUTH_JWKS_URI: 'http://localhost:7071/dev-issuer/keys' };
    expect(() => createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env })).not.toThrow();
  });

  test('refuses an issuer URL off the loopback interface', () => {
    expect(() => createDevIssuer({ issuer: 'https://prov.example.com/dev-issuer', audience: AUDIENCE, env: {} })).toThrow(
      /must live on localhost\/127.0.0.1/,
    );
  });

  test('persists its key so a second instance (another process) signs with the same key', async () => {
    const keyFile = path.join(dir, '.data', 'dev-issuer-key.json');
    const host = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: {}, keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const cli = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: {}, keyFile });
    expect(cli.kid).toBe(host.kid);
    expect(cli.jwks()).toEqual(host.jwks());
    expect(JSON.stringify(host.jwks())).not.toMatch(/"d":/);

    const newKid = host.rotate();
    expect(JSON.parse(readFileSync(keyFile, 'utf8')).keys).toHaveLength(1);
    expect(createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: {}, keyFile }).kid).toBe(newKid);
  });

  test('an unreadable key file is reported with a way out', () => {
    const keyFile = path.join(dir, 'key.json');
    writeFileSync(keyFile, '{"keys": 3}');
    expect(() => createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: {}, keyFile })).toThrow(/delete it to generate a new key/);
  });

  test('RS256 keys work end to end', async () => {
    const issuer = createDevIssuer({ issuer: ISSUER, audience: AUDIENCE, env: {}, alg: 'RS256' });
    expect(issuer.jwks().keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    const validator = createBearerValidator(
      configFor('http://127.0.0.1:1/unused'),
      createJwksKeySource({ jwksUri: 'in-process', algorithms: ['RS256'], loadJwks: async () => issuer.jwks() }),
    );
    const header = `Bearer ${await issuer.issueToken({ roles: ['ProvisioningAPI.Write'] })}`;
    await expect(validator.check(header, 'Accounts_CreateOrReplace')).resolves.toMatchObject({ subject: 'dev-user' });
  });

  test('shares issuer, audience and key file defaults with the host, honouring PORT', () => {
    expect(devIssuerDefaults({})).toMatchObject({
      issuer: 'http://127.0.0.1:7071/dev-issuer',
      audience: 'api://voice-provisioning-dev',
      jwksUri: 'http://127.0.0.1:7071/dev-issuer/keys',
      keyFile: path.resolve('.data/dev-issuer-key.json'),
    });
    expect(devIssuerDefaults({ PORT: '8080' }).issuer).toBe('http://127.0.0.1:8080/dev-issuer');
    expect(() => devIssuerDefaults({ PORT: 'eighty' })).toThrow(/PORT must be a TCP port number/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('token CLI', () => {
  test.each<[string[], ReturnType<typeof parseTokenArgs>]>([
    [['--roles', 'Read,Write'], { roles: ['ProvisioningAPI.Read', 'ProvisioningAPI.Write'], expiresInSeconds: 3600 }],
    [['--roles=AdminUser,Lookup.Query', '--expires', '60'], { roles: ['ProvisioningAPI.AdminUser', 'Lookup.Query'], expiresInSeconds: 60 }],
    [['--roles', 'ProvisioningAPI.Delete, Delete', '--audience', 'api://x'], { roles: ['ProvisioningAPI.Delete'], expiresInSeconds: 3600, audience: 'api://x' }],
    [['--roles', ''], { roles: [], expiresInSeconds: 3600 }],
  ])('parses %j', (argv, expected) => {
    expect(parseTokenArgs(argv)).toEqual(expected);
  });

  test.each<[string[], RegExp]>([
    [[], /--roles is required/],
    [['--roles'], /--roles needs a value/],
    [['--roles', '--expires', '60'], /--roles needs a value/],
    [['--roles', 'Reader'], /Unknown role "Reader"/],
    [['--roles', 'Lookup.Admin'], /Unknown role "Lookup.Admin"/],
    [['--roles', 'Read', '--expires', '0'], /--expires must be a whole number/],
    [['--roles', 'Read', '--expires', '1h'], /--expires must be a whole number/],
    [['--roles', 'Read', '--roles', 'Write'], /--roles given twice/],
    [['--roles', 'Read', '--audience='], /--audience must not be empty/],
    [['--roles', 'Read', 'extra'], /Unexpected argument "extra"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(message);
  });

  test('prints only a token that the dev host (same key file, same defaults) accepts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-token-'));
    const env = { DEV_ISSUER_KEY_FILE: path.join(dir, 'key.json'), PORT: '7999' };
    const defaults = devIssuerDefaults(env);
    const host = createDevIssuer({ issuer: defaults.issuer, audience: defaults.audience, env, keyFile: defaults.keyFile });
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await tokenCli(['--roles', 'Write'], env)).toBe(0);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(written).toHaveLength(1);
    const token = (written[0] as string).trim();
    const validator = createBearerValidator(
      loadAuthConfig({ AUTH_ISSUER: defaults.issuer, AUTH_AUDIENCE: defaults.audience, AUTH_JWKS_URI: defaults.jwksUri }),
      createJwksKeySource({ jwksUri: defaults.jwksUri, algorithms: ['ES256'], loadJwks: async () => host.jwks() }),
    );
    await expect(validator.check(`Bearer ${token}`, 'Accounts_CreateOrReplaceNumber')).resolves.toMatchObject({
      roles: ['ProvisioningAPI.Write'],
    });
  });

  test('fails with exit code 2 and a message on stderr in a cloud environment', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await tokenCli(['--roles', 'Read'], { WEBSITE_SITE_NAME: 'func-prov' })).toBe(2);
      expect(String(spy.mock.calls[0]?.[0])).toMatch(/WEBSITE_SITE_NAME/);
    } finally {
      spy.mockRestore();
    }
  });
});
