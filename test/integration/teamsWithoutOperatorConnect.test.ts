/**
 * A deployment without Operator Connect (no OC_API_BASE_URL): the Teams pass-throughs answer 503
 * OperatorConnectNotConfigured instead of failing, RFI changes are refused, and local RFI reads work.
 */
import { runTimer } from '../../dev/host/timers';
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const TENANT = '0c7e0000-0000-4000-8000-000000000001';
let host: LocalHost;
let api: ApiClient;
const previousOcUrl = process.env.OC_API_BASE_URL;

beforeAll(async () => {
  delete process.env.OC_API_BASE_URL;
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  expect((await api.put('/accounts/nooc', { json: { name: 'nooc', serviceDetails: { teamsTenantId: TENANT } } })).status).toBe(201);
});
afterAll(async () => {
  await host.stop();
  if (previousOcUrl !== undefined) process.env.OC_API_BASE_URL = previousOcUrl;
});

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

it('answers 503 OperatorConnectNotConfigured for civic addresses', async () => {
  expectError(await api.get('/accounts/nooc/teamsCivicAddresses'), 503, 'OperatorConnectNotConfigured');
  expectError(await api.get('/accounts/nooc/teamsCivicAddresses/0cad0000-0000-4000-8000-000000000001'), 503, 'OperatorConnectNotConfigured');
});

it('still answers 404 for a missing account first', async () => {
  expectError(await api.get('/accounts/missing/teamsCivicAddresses'), 404, 'AccountNotFound');
});

it('pulls no consents, lists no RFIs, and refuses a relationship change with 503', async () => {
  await runTimer('sweeper');
  const list = await api.get('/teamsRequestsForInformation', { query: { countRecords: true } });
  expect(list.status).toBe(200);
  expect(list.body).toEqual({ value: [] });
  const res = await api.patch(`/teamsRequestsForInformation/${TENANT}`, { json: { customerRelationship: { status: 'CustomerContacted' } }, contentType: 'application/merge-patch+json' });
  expectError(res, 503, 'OperatorConnectNotConfigured');
});
