/**
 * Unit tests of the swagger contract validator (test/support/swagger.ts) and of the validating test
 * client (test/support/apiClient.ts, against a throw-away stub HTTP server, not the real API).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import type { AddressInfo } from 'net';
import * as path from 'path';
import {
  DEFAULT_SWAGGER_PATH,
  exampleFiles,
  findOperation,
  operationById,
  operationIds,
  swaggerPath,
  validateResponse,
  type ObservedResponse,
} from '../support/swagger';
import { createApiClient, validatedOperationCounts, validatedResponseCount } from '../support/apiClient';

const EXPECTED_OPERATIONS = [
  'Accounts_List',
  'Accounts_Get',
  'Accounts_CreateOrReplace',
  'Accounts_Delete',
  'Accounts_CreateOrUpdateNumbers',
  'Accounts_DeleteNumbers',
  'Accounts_GetTeamsCapabilityPlans',
  'Accounts_GetTeamsAvailableCapabilities',
  'Accounts_ListNumbers',
  'Accounts_GetNumber',
  'Accounts_CreateOrReplaceNumber',
  'Accounts_DeleteNumber',
  'Accounts_ListTeamsCivicAddresses',
  'Accounts_GetTeamsCivicAddress',
  'ListNumbers',
  'TeamsRequestsForInformation_List',
  'TeamsRequestsForInformation_GetRequestForInformation',
  'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
];

/**
 * Official examples that do not validate against their own swagger, keyed `file status` -> exact problems.
 * Empty: every response of every official example of 2024-02-29-preview validates in strict mode.
 * Anything else fails the example test below, so a new deviation has to be recorded here explicitly.
 */
const KNOWN_EXAMPLE_DEVIATIONS: Record<string, string[]> = {};

function examplePath(pathTemplate: string, parameters: Record<string, unknown>, encode = false): string {
  return pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = parameters[name];
    if (v === undefined) throw new Error(`example lacks path parameter ${name}`);
    return encode ? encodeURIComponent(String(v)) : String(v);
  });
}

function stringHeaders(h: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, String(v)]));
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function exampleOf(operationId: string): any {
  const e = exampleFiles().find((x) => x.operationId === operationId);
  if (e === undefined) throw new Error(`no example for ${operationId}`);
  return e.example;
}

const errorBody = (code = 'AccountNotFound') => ({ error: { code, message: 'Account contoso does not exist.' } });

// ---------------------------------------------------------------------------------------------

describe('swagger loading', () => {
  test('default location is <repo>/../shared/reference/... and the file exists', () => {
    const repoRoot = path.resolve(__dirname, '../..');
    expect(DEFAULT_SWAGGER_PATH).toBe(
      path.join(path.dirname(repoRoot), 'shared/reference/voiceservices-provisioning-2024-02-29-preview/swagger.json'),
    );
    expect(fs.existsSync(swaggerPath())).toBe(true);
  });

  test('declares exactly the 18 operations of 2024-02-29-preview', () => {
    expect([...operationIds()].sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  test('each operation has exactly one x-ms-examples file, whose operationId is its own', () => {
    const files = exampleFiles();
    expect(files.map((f) => f.operationId).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    for (const f of files) {
      expect(fs.existsSync(f.file)).toBe(true);
      expect(f.example.operationId).toBe(f.operationId);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('official examples validate against the swagger', () => {
  const cases = exampleFiles().flatMap((e) =>
    Object.keys(e.example.responses).map((status) => ({
      name: `${path.basename(e.file)} ${e.operationId} ${status}`,
      key: `${path.basename(e.file)} ${status}`,
      entry: e,
      status,
    })),
  );

  test('every example file has at least one response', () => {
    expect(cases.length).toBeGreaterThanOrEqual(exampleFiles().length);
  });

  test.each(cases)('$name', ({ key, entry, status }) => {
    const op = operationById(entry.operationId)!;
    const response = entry.example.responses[status] ?? {};
    const headers = stringHeaders(response.headers);
    const numericStatus = status === 'default' ? 500 : Number(status);
    if (numericStatus >= 400 && headers['x-ms-error-code'] === undefined && response.body?.error?.code !== undefined) {
      headers['x-ms-error-code'] = String(response.body.error.code);
    }
    const expected = KNOWN_EXAMPLE_DEVIATIONS[key] ?? [];
    for (const encode of [false, true]) {
      const observed: ObservedResponse = {
        method: op.method,
        path: examplePath(op.pathTemplate, entry.example.parameters, encode),
        status: numericStatus,
        headers,
        body: response.body,
      };
      expect(findOperation(observed.method, observed.path)?.operationId).toBe(entry.operationId);
      expect(validateResponse(observed, { strict: true })).toEqual(expected);
      expect(validateResponse(observed, { strict: false })).toEqual(expected);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('findOperation', () => {
  const tenant = 'a7f4bd5c-cc01-40f4-8baa-2b6bdb272b8a';
  const table: [string, string, string, string][] = [
    ['GET', '/accounts', 'Accounts_List', '/accounts'],
    ['GET', '/accounts/contoso', 'Accounts_Get', '/accounts/{accountName}'],
    ['PUT', '/accounts/contoso', 'Accounts_CreateOrReplace', '/accounts/{accountName}'],
    ['DELETE', '/accounts/contoso', 'Accounts_Delete', '/accounts/{accountName}'],
    ['POST', '/accounts/contoso:createOrUpdateNumbers', 'Accounts_CreateOrUpdateNumbers', '/accounts/{accountName}:createOrUpdateNumbers'],
    ['POST', '/accounts/contoso:deleteNumbers', 'Accounts_DeleteNumbers', '/accounts/{accountName}:deleteNumbers'],
    ['POST', '/accounts/contoso:getTeamsCapabilityPlans', 'Accounts_GetTeamsCapabilityPlans', '/accounts/{accountName}:getTeamsCapabilityPlans'],
    [
      'POST',
      '/accounts/contoso:getTeamsAvailableCapabilities',
      'Accounts_GetTeamsAvailableCapabilities',
      '/accounts/{accountName}:getTeamsAvailableCapabilities',
    ],
    ['GET', '/accounts/contoso/numbers', 'Accounts_ListNumbers', '/accounts/{accountName}/numbers'],
    ['GET', '/accounts/contoso/numbers/+15105850321', 'Accounts_GetNumber', '/accounts/{accountName}/numbers/{telephoneNumber}'],
    ['PUT', '/accounts/contoso/numbers/%2B15105850321', 'Accounts_CreateOrReplaceNumber', '/accounts/{accountName}/numbers/{telephoneNumber}'],
    ['DELETE', '/accounts/contoso/numbers/+15105850321', 'Accounts_DeleteNumber', '/accounts/{accountName}/numbers/{telephoneNumber}'],
    ['GET', '/accounts/contoso/teamsCivicAddresses', 'Accounts_ListTeamsCivicAddresses', '/accounts/{accountName}/teamsCivicAddresses'],
    [
      'GET',
      '/accounts/contoso/teamsCivicAddresses/ebfee340-a791-11ed-9bfa-ed8bb5c41be4',
      'Accounts_GetTeamsCivicAddress',
      '/accounts/{accountName}/teamsCivicAddresses/{civicAddressId}',
    ],
    ['GET', '/numbers', 'ListNumbers', '/numbers'],
    ['GET', '/teamsRequestsForInformation', 'TeamsRequestsForInformation_List', '/teamsRequestsForInformation'],
    ['GET', `/teamsRequestsForInformation/${tenant}`, 'TeamsRequestsForInformation_GetRequestForInformation', '/teamsRequestsForInformation/{tenantId}'],
    [
      'PATCH',
      `/teamsRequestsForInformation/${tenant}`,
      'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
      '/teamsRequestsForInformation/{tenantId}',
    ],
  ];

  test('the table covers all 18 operations', () => {
    expect(table.map((r) => r[2]).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  test.each(table)('%s %s -> %s', (method, p, operationId, pathTemplate) => {
    expect(findOperation(method, p)).toEqual({ operationId, pathTemplate });
  });

  test('method is case-insensitive; query strings, full URLs and %-escapes are handled', () => {
    expect(findOperation('post', '/accounts/contoso:deleteNumbers?api-version=2024-02-29-preview')?.operationId).toBe(
      'Accounts_DeleteNumbers',
    );
    expect(findOperation('GET', 'http://localhost:7071/accounts/contoso/numbers?top=2')?.operationId).toBe('Accounts_ListNumbers');
    expect(findOperation('POST', '/accounts/contoso%3AcreateOrUpdateNumbers')?.operationId).toBe('Accounts_CreateOrUpdateNumbers');
    expect(findOperation('GET', '/accounts/contoso/numbers/%2b15105850321')?.operationId).toBe('Accounts_GetNumber');
  });

  test('a :action suffix is never swallowed by {accountName}', () => {
    // GET/PUT/DELETE on an action path is not Accounts_Get/CreateOrReplace/Delete of an account named "contoso:deleteNumbers".
    expect(findOperation('GET', '/accounts/contoso:deleteNumbers')).toBeUndefined();
    expect(findOperation('PUT', '/accounts/contoso:createOrUpdateNumbers')).toBeUndefined();
    expect(findOperation('DELETE', '/accounts/contoso:getTeamsCapabilityPlans')).toBeUndefined();
  });

  test.each([
    ['GET', '/'],
    ['GET', '/nope'],
    ['GET', '/accounts/'],
    ['GET', '/accounts//numbers'],
    ['GET', '/accounts/contoso/numbers/+15105850321/extra'],
    ['GET', '/accounts/contoso/unknown'],
    ['PATCH', '/accounts/contoso'],
    ['POST', '/accounts'],
    ['POST', '/accounts/contoso:unknownAction'],
    ['POST', '/accounts/contoso'],
    ['DELETE', '/numbers'],
    ['PUT', '/teamsRequestsForInformation/a7f4bd5c-cc01-40f4-8baa-2b6bdb272b8a'],
    ['HEAD', '/accounts'],
  ])('%s %s -> undefined', (method, p) => {
    expect(findOperation(method, p)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('validateResponse reports contract violations', () => {
  const getAccount = (): ObservedResponse => ({
    method: 'GET',
    path: '/accounts/contoso',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ETag: '"abc"' },
    body: clone(exampleOf('Accounts_Get').responses['200'].body),
  });
  const getNumber = (): ObservedResponse => ({
    method: 'GET',
    path: '/accounts/contoso/numbers/+15105850321',
    status: 200,
    headers: {},
    body: clone(exampleOf('Accounts_GetNumber').responses['200'].body),
  });
  const listAccounts = (count: string | undefined): ObservedResponse => ({
    method: 'GET',
    path: '/accounts',
    status: 200,
    headers: count === undefined ? {} : { 'x-ms-record-count': count },
    body: clone(exampleOf('Accounts_List').responses['200'].body),
  });
  const error = (over: Partial<ObservedResponse> = {}): ObservedResponse => ({
    method: 'GET',
    path: '/accounts/contoso',
    status: 404,
    headers: { 'x-ms-error-code': 'AccountNotFound' },
    body: errorBody(),
    ...over,
  });

  test('baselines are valid', () => {
    expect(validateResponse(getAccount())).toEqual([]);
    expect(validateResponse(getNumber())).toEqual([]);
    expect(validateResponse(listAccounts('1'))).toEqual([]);
    expect(validateResponse(error())).toEqual([]);
  });

  test('missing required property, naming operationId, status and JSON pointer', () => {
    const r = getAccount();
    delete (r.body as any).name;
    const problems = validateResponse(r);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Accounts_Get 200: body# must have required property 'name'/);

    const n = getNumber();
    delete (n.body as any).serviceDetails.teamsOperatorConnect.configuration.usage;
    expect(validateResponse(n)).toEqual([
      expect.stringMatching(/^Accounts_GetNumber 200: body#\/serviceDetails\/teamsOperatorConnect\/configuration must have required property 'usage'/),
    ]);
  });

  test('wrong type', () => {
    const r = getAccount();
    (r.body as any).serviceDetails.teamsOperatorConnect.numberCount = '100';
    expect(validateResponse(r)).toEqual([
      expect.stringMatching(/^Accounts_Get 200: body#\/serviceDetails\/teamsOperatorConnect\/numberCount must be integer/),
    ]);
    const s = getAccount();
    (s.body as any).serviceDetails.teamsOperatorConnect.enabled = 'true';
    expect(validateResponse(s).join('\n')).toContain('body#/serviceDetails/teamsOperatorConnect/enabled must be boolean');
  });

  test('pattern, enum and format violations', () => {
    const r = getNumber();
    (r.body as any).telephoneNumber = '15105850321';
    expect(validateResponse(r)).toEqual([expect.stringMatching(/^Accounts_GetNumber 200: body#\/telephoneNumber must match pattern/)]);

    const e = getAccount();
    (e.body as any).serviceProvisioningStatus = 'done';
    expect(validateResponse(e)).toEqual([
      expect.stringMatching(/^Accounts_Get 200: body#\/serviceProvisioningStatus must be equal to one of the allowed values/),
    ]);

    const rfi = {
      method: 'GET',
      path: '/teamsRequestsForInformation/a7f4bd5c-cc01-40f4-8baa-2b6bdb272b8a',
      status: 200,
      headers: {},
      body: clone(exampleOf('TeamsRequestsForInformation_GetRequestForInformation').responses['200'].body),
    };
    rfi.body.consentedOn = '18/01/2024';
    expect(validateResponse(rfi).join('\n')).toContain('body#/consentedOn must match format "date-time"');

    // nextLink is format "uri": a relative link is a contract violation.
    const page = listAccounts(undefined);
    (page.body as any).nextLink = '/accounts?skip=1&api-version=2024-02-29-preview';
    expect(validateResponse(page).join('\n')).toContain('Accounts_List 200: body#/nextLink must match format "uri"');
    (page.body as any).nextLink = 'http://localhost:7071/accounts?skip=1&api-version=2024-02-29-preview';
    expect(validateResponse(page)).toEqual([]);
  });

  test('extra property: rejected in strict mode (the default), allowed in lax mode', () => {
    const r = getAccount();
    (r.body as any).etag = 'x';
    (r.body as any).serviceDetails.teamsOperatorConnect.internalFlag = true;
    const strict = validateResponse(r);
    expect(strict).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Accounts_Get 200: body# has undeclared property 'etag'/),
        expect.stringMatching(/^Accounts_Get 200: body#\/serviceDetails\/teamsOperatorConnect has undeclared property 'internalFlag'/),
      ]),
    );
    expect(strict).toHaveLength(2);
    expect(validateResponse(r, { strict: true })).toEqual(strict);
    expect(validateResponse(r, { strict: false })).toEqual([]);

    const list = listAccounts('1');
    (list.body as any).value[0].extra = 1;
    (list.body as any).count = 1;
    expect(validateResponse(list)).toHaveLength(2);
    expect(validateResponse(list).join('\n')).toContain("body#/value/0 has undeclared property 'extra'");

    const err = error({ body: { error: { code: 'AccountNotFound', message: 'm', status: 404 } } });
    expect(validateResponse(err)).toEqual([expect.stringMatching(/^Accounts_Get 404: body#\/error has undeclared property 'status'/)]);
    expect(validateResponse(err, { strict: false })).toEqual([]);
  });

  test('error responses need x-ms-error-code equal to body.error.code', () => {
    expect(validateResponse(error({ headers: {} }))).toEqual([
      expect.stringMatching(/^Accounts_Get 404: missing header x-ms-error-code/),
    ]);
    expect(validateResponse(error({ headers: { 'x-ms-error-code': 'NotFound' } }))).toEqual([
      expect.stringMatching(/^Accounts_Get 404: header x-ms-error-code 'NotFound' differs from body error.code "AccountNotFound"/),
    ]);
    // Header names are case-insensitive, also with a Headers instance.
    expect(validateResponse(error({ headers: { 'X-MS-ERROR-CODE': 'AccountNotFound' } }))).toEqual([]);
    expect(validateResponse(error({ headers: new Headers({ 'X-Ms-Error-Code': 'AccountNotFound' }) }))).toEqual([]);
  });

  test('error bodies must be Azure.Core ErrorResponse', () => {
    expect(validateResponse(error({ body: { code: 'AccountNotFound', message: 'm' } })).join('\n')).toContain(
      "Accounts_Get 404: body# must have required property 'error'",
    );
    expect(validateResponse(error({ body: { error: { code: 'AccountNotFound' } } })).join('\n')).toContain(
      "Accounts_Get 404: body#/error must have required property 'message'",
    );
    expect(validateResponse(error({ body: undefined })).join('\n')).toContain('Accounts_Get 404: response body is required but was empty');
    const nested = error({
      status: 400,
      method: 'PUT',
      headers: { 'x-ms-error-code': 'InvalidRequestContent' },
      body: {
        error: {
          code: 'InvalidRequestContent',
          message: 'bad',
          target: 'resource',
          details: [{ code: 'PatternMismatch', message: 'name', target: 'name', innererror: { code: 'x' } }],
        },
      },
    });
    expect(validateResponse(nested)).toEqual([]);
  });

  test('a body on 204 is a problem; an empty 204 is fine', () => {
    const del: ObservedResponse = { method: 'DELETE', path: '/accounts/contoso', status: 204, headers: {}, body: undefined };
    expect(validateResponse(del)).toEqual([]);
    expect(validateResponse({ ...del, body: {} })).toEqual([expect.stringMatching(/^Accounts_Delete 204: response declares no body/)]);
    expect(
      validateResponse({ method: 'POST', path: '/accounts/contoso:deleteNumbers', status: 204, headers: {}, body: { numbers: [] } }),
    ).toEqual([expect.stringMatching(/^Accounts_DeleteNumbers 204: response declares no body/)]);
  });

  test('a declared body must be present', () => {
    expect(validateResponse({ ...getAccount(), body: undefined })).toEqual([
      expect.stringMatching(/^Accounts_Get 200: response body is required but was empty/),
    ]);
  });

  test('undeclared 2xx/3xx statuses are problems; 4xx/5xx fall under default', () => {
    expect(validateResponse({ ...getAccount(), status: 201 })).toEqual([
      expect.stringMatching(/^Accounts_Get 201: status 201 is not declared for Accounts_Get \(declared: 200, default\)/),
    ]);
    expect(validateResponse({ method: 'DELETE', path: '/accounts/contoso', status: 200, headers: {}, body: undefined })).toEqual([
      expect.stringMatching(/^Accounts_Delete 200: status 200 is not declared/),
    ]);
    expect(
      validateResponse({ method: 'POST', path: '/accounts/contoso:deleteNumbers', status: 202, headers: {}, body: undefined }),
    ).toEqual([expect.stringMatching(/^Accounts_DeleteNumbers 202: status 202 is not declared/)]);
    expect(validateResponse({ ...getAccount(), status: 302, body: undefined })).toEqual([
      expect.stringMatching(/^Accounts_Get 302: status 302 is not declared/),
    ]);
    for (const status of [400, 401, 403, 409, 412, 415, 429, 500, 503]) {
      expect(validateResponse(error({ status }))).toEqual([]);
    }
  });

  test('304 is accepted for GET operations that take If-None-Match, with an empty body only', () => {
    const notModified: ObservedResponse = { method: 'GET', path: '/accounts/contoso', status: 304, headers: { ETag: '"v1"' }, body: undefined };
    expect(validateResponse(notModified)).toEqual([]);
    expect(validateResponse({ ...notModified, path: '/accounts/contoso/numbers/+15105850321' })).toEqual([]);
    expect(validateResponse({ ...notModified, body: { name: 'contoso' } })).toEqual([
      expect.stringMatching(/^Accounts_Get 304: response declares no body/),
    ]);
    // Accounts_List has no If-None-Match parameter; PUT is not a GET.
    expect(validateResponse({ ...notModified, path: '/accounts' })).toEqual([
      expect.stringMatching(/^Accounts_List 304: status 304 is not declared/),
    ]);
    expect(validateResponse({ ...notModified, method: 'PUT' })).toEqual([
      expect.stringMatching(/^Accounts_CreateOrReplace 304: status 304 is not declared/),
    ]);
  });

  test('x-ms-record-count must be an int32 integer string', () => {
    expect(validateResponse(listAccounts('0'))).toEqual([]);
    expect(validateResponse(listAccounts('2147483647'))).toEqual([]);
    for (const bad of ['abc', '1.5', '', '2147483648', '1e3', '-1']) {
      expect(validateResponse(listAccounts(bad))).toEqual([expect.stringMatching(/^Accounts_List 200: header x-ms-record-count must/)]);
    }
  });

  test('Repeatability-Result must be accepted|rejected; x-ms-client-request-id and ETag are any string', () => {
    const put: ObservedResponse = {
      method: 'PUT',
      path: '/accounts/contoso',
      status: 201,
      headers: { 'Repeatability-Result': 'accepted', 'x-ms-client-request-id': 'not-a-uuid', ETag: 'W/"weak"' },
      body: clone(exampleOf('Accounts_CreateOrReplace').responses['201'].body),
    };
    expect(validateResponse(put)).toEqual([]);
    expect(validateResponse({ ...put, headers: { 'repeatability-result': 'rejected' } })).toEqual([]);
    expect(validateResponse({ ...put, headers: { 'Repeatability-Result': 'Accepted' } })).toEqual([
      expect.stringMatching(/^Accounts_CreateOrReplace 201: header Repeatability-Result must be one of \["accepted","rejected"\]/),
    ]);
    // Also checked on error responses, where it is not declared.
    expect(
      validateResponse(error({ method: 'PUT', status: 409, headers: { 'x-ms-error-code': 'AccountNotFound', 'Repeatability-Result': 'maybe' } })),
    ).toEqual([expect.stringMatching(/^Accounts_CreateOrReplace 409: header Repeatability-Result must be one of/)]);
  });

  test('a JSON body must be served as JSON', () => {
    const r = getAccount();
    r.headers = { 'content-type': 'text/plain' };
    expect(validateResponse(r)).toEqual([expect.stringMatching(/body content-type must be application\/json, got 'text\/plain'/)]);
  });

  test('requests that are no swagger operation may only get Azure.Core errors', () => {
    const unknown = (over: Partial<ObservedResponse>): ObservedResponse => ({
      method: 'GET',
      path: '/nope',
      status: 404,
      headers: { 'x-ms-error-code': 'NotFound' },
      body: { error: { code: 'NotFound', message: 'No such resource.' } },
      ...over,
    });
    expect(validateResponse(unknown({}))).toEqual([]);
    expect(validateResponse(unknown({ method: 'PATCH', path: '/accounts/contoso', status: 405 }))).toEqual([]);
    expect(validateResponse(unknown({ body: undefined, headers: {} }))).toEqual([]);
    expect(validateResponse(unknown({ headers: {} }))).toEqual([
      expect.stringMatching(/^\(no swagger operation for GET \/nope\) 404: missing header x-ms-error-code/),
    ]);
    expect(validateResponse(unknown({ body: { message: 'Not Found' } })).join('\n')).toContain(
      "(no swagger operation for GET /nope) 404: body# must have required property 'error'",
    );
    expect(validateResponse(unknown({ status: 200, body: { ok: true }, headers: {} }))).toEqual([
      expect.stringMatching(/^\(no swagger operation for GET \/nope\) 200: a request that is not a swagger operation must get an error status/),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('PROVISIONING_SWAGGER override and Swagger-isms (synthetic swagger)', () => {
  type SwaggerModule = typeof import('../support/swagger');
  let dir: string;
  let mod: SwaggerModule;
  const saved = process.env.PROVISIONING_SWAGGER;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swagger-'));
    const swagger = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things/{id}': {
          get: {
            operationId: 'Things_Get',
            parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Derived' } } },
          },
        },
        '/bases/{id}': {
          get: {
            operationId: 'Bases_Get',
            parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Base' } } },
          },
        },
      },
      definitions: {
        Base: {
          type: 'object',
          properties: { id: { type: 'string', readOnly: true, 'x-ms-mutability': ['read'] }, note: { type: 'string', 'x-nullable': true } },
          required: ['id'],
        },
        Derived: {
          type: 'object',
          allOf: [{ $ref: '#/definitions/Base' }],
          properties: { size: { type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true } },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'swagger.json'), JSON.stringify(swagger));
    process.env.PROVISIONING_SWAGGER = path.join(dir, 'swagger.json');
    jest.isolateModules(() => {
      mod = require('../support/swagger') as SwaggerModule;
    });
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.PROVISIONING_SWAGGER;
    else process.env.PROVISIONING_SWAGGER = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string, body: unknown): ObservedResponse => ({ method: 'GET', path: p, status: 200, headers: {}, body });

  test('the env variable selects the swagger file', () => {
    expect(mod.operationIds()).toEqual(['Things_Get', 'Bases_Get']);
    expect(mod.findOperation('GET', '/things/1')?.operationId).toBe('Things_Get');
  });

  test('allOf: the derived schema is closed over own + inherited properties, the base stays closed on its own', () => {
    expect(mod.validateResponse(get('/things/1', { id: '1', note: null, size: 3 }))).toEqual([]);
    expect(mod.validateResponse(get('/things/1', { id: '1', extra: 1 }))).toEqual([
      expect.stringMatching(/^Things_Get 200: body# has undeclared property 'extra'/),
    ]);
    expect(mod.validateResponse(get('/things/1', { size: 1 }))).toEqual([
      expect.stringMatching(/^Things_Get 200: body# must have required property 'id'/),
    ]);
    expect(mod.validateResponse(get('/bases/1', { id: '1' }))).toEqual([]);
    expect(mod.validateResponse(get('/bases/1', { id: '1', size: 3 }))).toEqual([
      expect.stringMatching(/^Bases_Get 200: body# has undeclared property 'size'/),
    ]);
  });

  test('draft-04 exclusiveMinimum: true is honoured; int32 format is checked', () => {
    expect(mod.validateResponse(get('/things/1', { id: '1', size: 0 })).join('\n')).toContain('body#/size must be > 0');
    expect(mod.validateResponse(get('/things/1', { id: '1', size: 2 ** 31 })).join('\n')).toContain('body#/size must match format "int32"');
  });
});

// ---------------------------------------------------------------------------------------------

describe('apiClient validates every response (stub server)', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  // Route table of the stub: `${METHOD} ${pathname}` -> [status, headers, body]
  const routes: Record<string, [number, Record<string, string>, unknown]> = {
    'GET /api/accounts/contoso': [200, { ETag: '"1"' }, { name: 'contoso', serviceProvisioningStatus: 'synced' }],
    'GET /api/accounts/bad': [200, {}, { name: 'bad', surprise: true }],
    'GET /api/accounts': [
      200,
      { 'x-ms-record-count': '2' },
      { value: [{ name: 'a' }], nextLink: 'NEXT' },
    ],
    'GET /api/accounts/missing': [404, { 'x-ms-error-code': 'AccountNotFound' }, errorBody()],
    'GET /api/accounts/nocode': [404, {}, errorBody()],
    'DELETE /api/accounts/contoso': [204, {}, undefined],
    'POST /api/accounts/contoso:deleteNumbers': [204, {}, undefined],
    'GET /api/nope': [404, { 'x-ms-error-code': 'NotFound' }, { error: { code: 'NotFound', message: 'no' } }],
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const route = routes[`${req.method} ${decodeURIComponent(url.pathname)}`];
        const [status, headers, body] = route ?? [500, {}, 'stub: no route'];
        const json = body === undefined ? '' : JSON.stringify(body).replace('"NEXT"', JSON.stringify(`${baseUrl}/accounts?skip=1&api-version=x`));
        res.writeHead(status, { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
        res.end(json);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('valid responses pass, are parsed, and are counted', async () => {
    const before = validatedResponseCount();
    const client = createApiClient(baseUrl, { headers: { authorization: 'Bearer t' } });
    const r = await client.get('/accounts/contoso', { headers: { 'x-ms-client-request-id': 'abc' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'contoso', serviceProvisioningStatus: 'synced' });
    expect(r.headers.get('etag')).toBe('"1"');
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/api/accounts/contoso?api-version=2024-02-29-preview');
    expect(last.headers.authorization).toBe('Bearer t');
    expect(last.headers['x-ms-client-request-id']).toBe('abc');

    const d = await client.delete('/accounts/contoso');
    expect(d.status).toBe(204);
    expect(d.body).toBeUndefined();
    expect(d.text).toBe('');

    const e = await client.get('/accounts/missing');
    expect(e.status).toBe(404);
    expect(e.body.error.code).toBe('AccountNotFound');

    const u = await client.get('/nope');
    expect(u.status).toBe(404);

    expect(validatedResponseCount()).toBe(before + 4);
    expect(validatedOperationCounts()).toMatchObject({ 'Accounts_Get 200': 1, 'Accounts_Delete 204': 1, 'Accounts_Get 404': 1, '(none) 404': 1 });
  });

  test('json bodies, query, api-version override/omission', async () => {
    const client = createApiClient(baseUrl);
    await client.post('/accounts/contoso:deleteNumbers', {
      json: { numbers: [{ telephoneNumber: '+15105850321' }] },
      query: { a: 1, b: true, c: undefined },
    });
    let last = seen[seen.length - 1]!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(JSON.parse(last.body)).toEqual({ numbers: [{ telephoneNumber: '+15105850321' }] });
    expect(last.url).toBe('/api/accounts/contoso:deleteNumbers?api-version=2024-02-29-preview&a=1&b=true');

    await client.delete('/accounts/contoso', { apiVersion: null });
    expect(seen[seen.length - 1]!.url).toBe('/api/accounts/contoso');
    await client.delete('/accounts/contoso', { apiVersion: '2023-01-01' });
    expect(seen[seen.length - 1]!.url).toBe('/api/accounts/contoso?api-version=2023-01-01');
    await client.delete('/accounts/contoso', { query: { 'api-version': 'q' } });
    expect(seen[seen.length - 1]!.url).toBe('/api/accounts/contoso?api-version=q');
    await createApiClient(baseUrl, { apiVersion: null }).delete('/accounts/contoso');
    expect(seen[seen.length - 1]!.url).toBe('/api/accounts/contoso');

    await client.post('/accounts/contoso:deleteNumbers', { body: Buffer.from('{"numbers":[]}'), contentType: 'application/merge-patch+json' });
    last = seen[seen.length - 1]!;
    expect(last.headers['content-type']).toBe('application/merge-patch+json');
    expect(last.body).toBe('{"numbers":[]}');
  });

  test('followNextLink GETs the absolute link verbatim and validates it', async () => {
    const client = createApiClient(baseUrl);
    const page = await client.get('/accounts');
    expect(page.body.nextLink).toBe(`${baseUrl}/accounts?skip=1&api-version=x`);
    const next = await client.followNextLink(page.body.nextLink, { 'x-test': '1' });
    expect(next.status).toBe(200);
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/api/accounts?skip=1&api-version=x');
    expect(last.headers['x-test']).toBe('1');
  });

  test('contract violations throw with the list of problems', async () => {
    const client = createApiClient(baseUrl);
    const before = validatedResponseCount();
    await expect(client.get('/accounts/bad')).rejects.toThrow(/Accounts_Get 200: body# has undeclared property 'surprise'/);
    await expect(client.get('/accounts/nocode')).rejects.toThrow(/Accounts_Get 404: missing header x-ms-error-code/);
    await expect(client.get('/unrouted')).rejects.toThrow(/\(no swagger operation for GET \/unrouted\) 500/);
    expect(validatedResponseCount()).toBe(before + 3);
  });
});
