/**
 * The request pipeline's order (shared/contract/pipeline.ts handleRequest), over HTTP: each request
 * carries two problems, and the answer names the one checked first. Route (404/405) → api-version →
 * authorization → repeatability → preconditions → path/body parsing. Nothing is written.
 */
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { accountBody } from '../support/fixtures';

let host: LocalHost;
let api: ApiClient;
let reader: Record<string, string>;

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  reader = { authorization: `Bearer ${await host.token(['Read'])}` };
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

function expectError(r: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect({ status: r.status, code: r.body?.error?.code, header: r.headers.get('x-ms-error-code') }).toEqual({ status, code, header: code });
}

const badJson = { body: '{"name": ', contentType: 'application/json' };

test('a wrong method is answered before the api-version is checked', async () => {
  const r = await api.patch('/accounts/ordera', { apiVersion: null });
  expectError(r, 405, 'MethodNotAllowed');
  expect(r.headers.get('allow')).toBe('GET, PUT, DELETE');
});

test('an unknown action is answered before the api-version is checked', async () => {
  expectError(await api.post('/accounts/ordera:frobnicate', { apiVersion: 'not-a-version' }), 404, 'NotFound');
});

test('a bad api-version without a token gets the api-version error, not 401', async () => {
  const anonymous = createApiClient(host.baseUrl);
  expectError(await anonymous.put('/accounts/orderb', { apiVersion: '1999-01-01', ...badJson }), 400, 'UnsupportedApiVersion');
  expectError(await anonymous.put('/accounts/orderb', { apiVersion: null, ...badJson }), 400, 'MissingApiVersion');
});

test('no token with a bad body gets 401: the body is not read before authorization', async () => {
  const anonymous = createApiClient(host.baseUrl);
  const r = await anonymous.put('/accounts/orderc', badJson);
  expect(r.status).toBe(401);
});

test('a token without the permission gets 403 before a bad path or body is looked at', async () => {
  const r = await api.put('/accounts/bad.name', { headers: reader, ...badJson });
  expect(r.status).toBe(403);
});

test('a bad Repeatability-First-Sent is refused before preconditions and the body', async () => {
  const r = await api.put('/accounts/orderd', { headers: { 'repeatability-request-id': 'order-1', 'repeatability-first-sent': 'yesterday', 'if-match': 'not-a-tag' }, ...badJson });
  expectError(r, 400, 'RepeatabilityRejected');
});

test('a malformed If-Match is refused before the body is parsed', async () => {
  const r = await api.put('/accounts/ordere', { headers: { 'if-match': 'not-a-tag' }, ...badJson });
  expectError(r, 400, 'InvalidHeader');
  expect(r.body.error.target).toBe('If-Match');
});

test('a bad path parameter is refused before the body is read', async () => {
  const r = await api.put('/accounts/bad.name', badJson);
  expectError(r, 400, 'InvalidRequestContent');
  expect(r.body.error.target).toBe('accountName');
});

test('with everything else right, the body is parsed and the path/body agreement checked', async () => {
  const syntax = await api.put('/accounts/orderf', badJson);
  expectError(syntax, 400, 'InvalidRequestContent');
  expect(syntax.body.error.target).toBe('body');
  const mismatch = await api.put('/accounts/orderf', { json: accountBody('someoneelse') });
  expectError(mismatch, 400, 'InvalidRequestContent');
  expect(mismatch.body.error.details?.[0]?.target ?? mismatch.body.error.target).toBe('name');
  expect((await api.get('/accounts/orderf')).status).toBe(404);
});
