/**
 * GET /openapi.json (generated from the operations table, shared/operations/openapi.ts) against the
 * official swagger: every swagger operation is in it with the same method, path and operationId and
 * the same parameters (ours adds only x-ms-client-request-id, which every answer echoes); a request
 * body exactly where the swagger has one (plus the optional, ignored body of
 * :getTeamsCapabilityPlans); our request schemas accept every swagger example's request body; and our
 * response schemas (ErrorResponse, and the success bodies, which openapiResponses.test.ts compares
 * with the swagger's definitions) accept the bodies the running service sends.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { exampleFiles, operationById, operationIds, swaggerDocument } from '../support/swagger';

let host: LocalHost;
let api: ApiClient;
let doc: any;

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  const r = await fetch(`${host.baseUrl}/openapi.json`); // anonymous, no api-version
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  doc = await r.json();
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

/** name + location of a swagger parameter, $refs resolved; body parameters apart. */
function swaggerParameters(operationId: string): { params: string[]; body: boolean } {
  const swagger = swaggerDocument();
  const declared: any[] = operationById(operationId)?.operation.parameters ?? [];
  const resolved = declared.map((p) => (p.$ref !== undefined ? swagger.parameters[String(p.$ref).split('/').pop() as string] : p));
  return { params: resolved.filter((p) => p.in !== 'body').map((p) => `${p.in} ${p.name}`).sort(), body: resolved.some((p) => p.in === 'body') };
}

/** A validator for one of our components/schemas entries, with its $refs to the others resolved. */
function componentValidator(name: string) {
  const ajv = addFormats(new Ajv2020({ strict: false }));
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  return ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` });
}

function ours(operationId: string): any {
  const { method, pathTemplate } = operationById(operationId) ?? { method: '', pathTemplate: '' };
  return doc.paths[pathTemplate]?.[method.toLowerCase()];
}

test('the document is OpenAPI 3.1 and lists the lookup too', () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.paths['/lookup/v1/route']?.get?.operationId).toBe('Lookup_Route');
  expect(doc.paths['/lookup/v1/route:batch']?.post?.operationId).toBe('Lookup_RouteBatch');
});

test('every swagger operation is in the document with the same method, path and operationId', () => {
  const missing = operationIds().filter((id) => ours(id)?.operationId !== id);
  expect(missing).toEqual([]);
  const documented = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
  expect(documented.filter((id) => !id.startsWith('Lookup_')).sort()).toEqual([...operationIds()].sort());
});

test('parameters and request bodies match the swagger', () => {
  for (const id of operationIds()) {
    const expected = swaggerParameters(id);
    const op = ours(id);
    const actual: string[] = op.parameters.map((p: any) => `${p.in} ${p.name}`).sort();
    const extra = actual.filter((p) => !expected.params.includes(p));
    expect({ id, missing: expected.params.filter((p) => !actual.includes(p)), extra: extra.filter((p) => p !== 'header x-ms-client-request-id') }).toEqual({ id, missing: [], extra: [] });
    for (const p of op.parameters) if (p.in === 'path' || p.name === 'api-version') expect(p.required).toBe(true);
    if (expected.body) expect({ id, body: op.requestBody?.required }).toEqual({ id, body: true });
    else expect({ id, body: op.requestBody === undefined || op.requestBody.required === false }).toEqual({ id, body: true });
  }
});

test("our request schemas accept every swagger example's request body", () => {
  const ajv = new Ajv2020({ strict: false });
  let checked = 0;
  for (const { operationId, file, example } of exampleFiles()) {
    const body = example.parameters.resource ?? example.parameters.body;
    if (body === undefined) continue;
    const content = ours(operationId)?.requestBody?.content ?? {};
    const schema = (Object.values(content)[0] as any)?.schema;
    expect({ file, hasSchema: schema !== undefined }).toEqual({ file, hasSchema: true });
    const validate = ajv.compile(schema);
    expect({ file, ok: validate(body), errors: validate.errors ?? null }).toEqual({ file, ok: true, errors: null });
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(5);
});

test('the error schema accepts the error bodies the service sends', async () => {
  const validate = componentValidator('ErrorResponse');
  const answers = [
    await api.put('/accounts/openapi1', { body: '{"name": ', contentType: 'application/json' }),
    await api.put('/accounts/openapi1', { json: { name: 'other', serviceDetails: {} } }),
    await api.get('/accounts/nosuchaccount'),
    await api.post('/accounts/openapi1:createOrUpdateNumbers', { json: { numbers: [{ telephoneNumber: 'x' }, { bogus: 1 }] } }),
  ];
  for (const r of answers) {
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect({ status: r.status, ok: validate(r.body), errors: validate.errors ?? null }).toEqual({ status: r.status, ok: true, errors: null });
  }
});

test('our success schemas accept the bodies the service sends', async () => {
  const account = { name: 'openapi2', correlationId: 'c-1', serviceDetails: { teamsOperatorConnect: { syncEnabled: false, enabled: true } } };
  const number = (telephoneNumber: string) => ({ telephoneNumber, accountName: 'openapi2', serviceDetails: { teamsOperatorConnect: { enabled: true, configuration: { usage: 'CallingUserAssignment', choosableCapabilities: [] } } }, configuration: { customSipHeader: 'h1' } });
  const answers = [
    { operationId: 'Accounts_CreateOrReplace', r: await api.put('/accounts/openapi2', { json: account }) },
    { operationId: 'Accounts_CreateOrReplaceNumber', r: await api.put('/accounts/openapi2/numbers/+14255550101', { json: number('+14255550101') }) },
    { operationId: 'Accounts_CreateOrUpdateNumbers', r: await api.post('/accounts/openapi2:createOrUpdateNumbers', { json: { numbers: [number('+14255550102')] } }) },
    { operationId: 'Accounts_Get', r: await api.get('/accounts/openapi2') },
    { operationId: 'Accounts_GetNumber', r: await api.get('/accounts/openapi2/numbers/+14255550101') },
    { operationId: 'Accounts_List', r: await api.get('/accounts') },
    { operationId: 'Accounts_ListNumbers', r: await api.get('/accounts/openapi2/numbers', { query: { maxpagesize: 1 } }) },
    { operationId: 'ListNumbers', r: await api.get('/numbers') },
  ];
  for (const { operationId, r } of answers) {
    const schema = ours(operationId).responses[String(r.status)]?.content?.['application/json']?.schema;
    expect({ operationId, status: r.status, named: typeof schema?.$ref === 'string' }).toEqual({ operationId, status: r.status, named: true });
    const validate = componentValidator(String(schema.$ref).split('/').pop() as string);
    expect({ operationId, ok: validate(r.body), errors: validate.errors ?? null }).toEqual({ operationId, ok: true, errors: null });
  }
  expect(answers.find((a) => a.operationId === 'Accounts_ListNumbers')?.r.body.nextLink).toEqual(expect.any(String));
});
