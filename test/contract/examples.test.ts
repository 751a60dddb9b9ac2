/**
 * Replays every official example of the swagger against the local host: our status must be one the
 * example lists (501 for the Teams operations served by flow-through, 204 for deletes) and our body
 * must have the example's shape (same properties with the same JSON types, recursively).
 */
import * as path from 'path';
import { createApiClient, validatedResponseCount, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { exampleFiles, operationById } from '../support/swagger';

const TEAMS_OPERATIONS = new Set([
  'Accounts_GetTeamsCapabilityPlans',
  'Accounts_GetTeamsAvailableCapabilities',
  'Accounts_ListTeamsCivicAddresses',
  'Accounts_GetTeamsCivicAddress',
  'TeamsRequestsForInformation_List',
  'TeamsRequestsForInformation_GetRequestForInformation',
  'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
]);
/** Values that legitimately differ; their presence and type are still compared (except nextLink). */
const SKIPPED_KEYS = new Set(['nextLink']);

let host: LocalHost;
let api: ApiClient;

const examples = exampleFiles();
const byName = new Map(examples.map((e) => [path.basename(e.file), e]));
const example = (name: string) => {
  const e = byName.get(name);
  if (e === undefined) throw new Error(`example ${name} missing`);
  return e.example;
};

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every property of `expected` is in `actual` with the same JSON type; arrays compare their first elements. */
function shapeProblems(expected: unknown, actual: unknown, at = '$'): string[] {
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${at}: expected ${te}, got ${ta}`];
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    return e.length > 0 && a.length > 0 ? shapeProblems(e[0], a[0], `${at}[0]`) : [];
  }
  if (te === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      if (SKIPPED_KEYS.has(k)) continue;
      if (!(k in (actual as Record<string, unknown>))) out.push(`${at}.${k}: missing`);
      else out.push(...shapeProblems(v, (actual as Record<string, unknown>)[k], `${at}.${k}`));
    }
    return out;
  }
  return [];
}

async function ensureContoso(): Promise<void> {
  const acc = example('PutAccount.json').parameters;
  const r = await api.put(`/accounts/${acc.accountName}`, { json: acc.resource });
  expect([200, 201]).toContain(r.status);
  const num = example('PutAccountNumber.json').parameters;
  const n = await api.put(`/accounts/${num.accountName}/numbers/${num.telephoneNumber}`, { json: num.resource });
  expect([200, 201]).toContain(n.status);
}

/** Sends the example's request as the swagger describes it. */
async function replay(operationId: string, params: Record<string, any>): Promise<ApiResult> {
  const op = operationById(operationId);
  if (op === undefined) throw new Error(`unknown operation ${operationId}`);
  const parameters: any[] = [...(op.operation.parameters ?? [])];
  let p = op.pathTemplate;
  const query: Record<string, string> = {};
  let json: unknown;
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(params)) {
    const def = parameters.find((d) => d?.name === name);
    const where = def?.in ?? (p.includes(`{${name}}`) ? 'path' : name === 'api-version' ? 'query' : 'body');
    if (p.includes(`{${name}}`)) p = p.replace(`{${name}}`, String(value));
    else if (where === 'query' || name === 'api-version' || typeof value !== 'object') query[name] = String(value);
    else json = value;
  }
  const consumes: string[] | undefined = op.operation.consumes;
  if (json !== undefined && consumes !== undefined && consumes.length > 0) contentType = consumes[0];
  return api.request(op.method, p, { query, ...(json !== undefined ? { json } : {}), ...(contentType ? { contentType } : {}) });
}

const TEAMS_WITHOUT_OPERATOR_CONNECT: Record<string, { status: number; code: string | undefined }> = {
  Accounts_GetTeamsCapabilityPlans: { status: 503, code: 'OperatorConnectNotConfigured' },
  Accounts_GetTeamsAvailableCapabilities: { status: 503, code: 'OperatorConnectNotConfigured' },
  Accounts_ListTeamsCivicAddresses: { status: 503, code: 'OperatorConnectNotConfigured' },
  Accounts_GetTeamsCivicAddress: { status: 503, code: 'OperatorConnectNotConfigured' },
  TeamsRequestsForInformation_List: { status: 200, code: undefined },
  TeamsRequestsForInformation_GetRequestForInformation: { status: 404, code: 'RequestForInformationNotFound' },
  TeamsRequestsForInformation_CreateOrUpdateRequestForInformation: { status: 503, code: 'OperatorConnectNotConfigured' },
};

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(async () => {
  expect(validatedResponseCount()).toBeGreaterThan(0);
  await host?.stop();
});

it('there are examples to replay', () => {
  expect(examples.length).toBeGreaterThanOrEqual(18);
});

describe.each(examples.map((e) => [path.basename(e.file), e] as const))('%s', (_name, e) => {
  it('replays with a listed status and the example shape', async () => {
    await ensureContoso();
    const ex = e.example;
    const r = await replay(e.operationId, ex.parameters);
    const listed = Object.keys(ex.responses).map(Number);
    const isDelete = /Delete/.test(e.operationId);
    if (TEAMS_OPERATIONS.has(e.operationId)) {
      // This host has no Operator Connect: pass-throughs say so (never a 500); stored RFIs still
      // answer. Their success shapes are replayed against the simulator in test/integration/teams*.
      expect({ status: r.status, code: r.body?.error?.code }).toEqual(TEAMS_WITHOUT_OPERATOR_CONNECT[e.operationId]);
      return;
    }
    const allowed = isDelete ? [...listed, 204] : listed;
    expect({ status: r.status, allowed, body: r.status >= 400 ? r.body : undefined }).toEqual({ status: allowed.includes(r.status) ? r.status : -1, allowed, body: undefined });
    const expectedBody = ex.responses[String(r.status)]?.body;
    if (expectedBody !== undefined) {
      expect(shapeProblems(expectedBody, r.body)).toEqual([]);
    } else {
      expect(r.text).toBe('');
    }
    if (ex.parameters.countRecords === true || ex.parameters.countRecords === 'true') {
      expect(r.headers.get('x-ms-record-count')).toMatch(/^\d+$/);
    }
  });
});

it('the deletes of the examples took effect', async () => {
  await ensureContoso();
  const del = example('DeleteAccountNumber.json').parameters;
  expect((await replay('Accounts_DeleteNumber', del)).status).toBe(204);
  expect((await api.get(`/accounts/${del.accountName}/numbers/${del.telephoneNumber}`)).status).toBe(404);
  await ensureContoso();
  const batchDel = example('PostAccountNumbersDelete.json').parameters;
  expect((await replay('Accounts_DeleteNumbers', batchDel)).status).toBe(204);
  expect((await api.get(`/accounts/contoso/numbers/${batchDel.body.numbers[0].telephoneNumber}`)).status).toBe(404);
  await ensureContoso();
  const accDel = example('DeleteAccount.json').parameters;
  expect((await replay('Accounts_Delete', accDel)).status).toBe(204);
  expect((await api.get('/accounts/contoso')).status).toBe(404);
});
