/**
 * GET /openapi.json (generated from the operations table, shared/operations/openapi.ts) against the
 * official swagger: every swagger operation is in it with the same method, path and operationId and
 * the same parameters (ours adds only x-ms-client-request-id, which every answer echoes); a request
 * body exactly where the swagger has one (plus the optional, ignored body of
 * :getTeamsCapabilityPlans); our request schemas accept every swagger example's request body; and our
 * error schema accepts the error bodies the running service sends.
 */
import Ajv2020 from 'ajv/dist/2020';
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
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile(doc.components.schemas.ErrorResponse);
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
