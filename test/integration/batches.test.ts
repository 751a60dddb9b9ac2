/**
 * Account actions: :createOrUpdateNumbers and :deleteNumbers (D8 all-or-nothing, ≤ 100 items,
 * per-item targets), unknown actions (404), wrong methods (405), and the Teams pass-through routes
 * that answer 501 until flow-through exists.
 */
import { armFault, clearFaults } from '../support/faults';
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const TENANT = '11111111-2222-3333-4444-555555555555';

let host: LocalHost;
let api: ApiClient;

const SERVICES = {
  teamsTenantId: TENANT,
  teamsOperatorConnect: { syncEnabled: false, enabled: true },
  zoomPhoneCloudPeering: { syncEnabled: false, enabled: true },
  azureOperatorCallProtection: { enabled: true },
};

async function putAccount(name: string, serviceDetails: Record<string, unknown> = SERVICES): Promise<void> {
  const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
  expect([200, 201]).toContain(res.status);
}

const zoom = (account: string, n: string) => ({ telephoneNumber: n, accountName: account, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } });
const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

function targets(res: ApiResult): string[] {
  return (res.body?.error?.details ?? []).map((d: { target?: string }) => d.target);
}

async function numbersOf(account: string): Promise<string[]> {
  const res = await api.get(`/accounts/${account}/numbers`, { query: { maxpagesize: 1000 } });
  expect(res.status).toBe(200);
  return res.body.value.map((n: { telephoneNumber: string }) => n.telephoneNumber);
}

async function counts(account: string): Promise<Record<string, number>> {
  const res = await api.get(`/accounts/${account}`);
  return Object.fromEntries(Object.entries(res.body.serviceDetails).filter(([, v]) => typeof v === 'object').map(([k, v]) => [k, (v as { numberCount: number }).numberCount]));
}

const batch = (account: string, numbers: unknown[]) => api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers } });
const deleteBatch = (account: string, numbers: string[]) => api.post(`/accounts/${account}:deleteNumbers`, { json: { numbers: numbers.map((telephoneNumber) => ({ telephoneNumber })) } });

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});

afterAll(async () => {
  clearFaults();
  await host?.stop();
});

afterEach(() => clearFaults());

describe('POST /accounts/{a}:createOrUpdateNumbers', () => {
  it('creates and updates numbers with 200 and returns them in order', async () => {
    await putAccount('bat-ok');
    const numbers = range('+1206100', 5);
    const res = await batch('bat-ok', numbers.map((n) => zoom('bat-ok', n)));
    expect(res.status).toBe(200);
    expect(res.body.numbers.map((n: { telephoneNumber: string }) => n.telephoneNumber)).toEqual(numbers);
    expect(res.body.numbers[0]).toEqual({ ...zoom('bat-ok', numbers[0] as string), serviceProvisioningStatus: 'synced', serviceProvisioningErrors: [] });
    expect(await numbersOf('bat-ok')).toEqual(numbers);
    expect(await counts('bat-ok')).toEqual({ teamsOperatorConnect: 0, zoomPhoneCloudPeering: 5, azureOperatorCallProtection: 0 });

    // Second batch: update two, create one.
    const update = await batch('bat-ok', [
      { telephoneNumber: numbers[0], accountName: 'bat-ok', serviceDetails: { teamsOperatorConnect: { enabled: true }, azureOperatorCallProtection: { enabled: true } } },
      { telephoneNumber: numbers[1], accountName: 'bat-ok', serviceDetails: { teamsOperatorConnect: { enabled: true } } },
      zoom('bat-ok', '+1206100999'),
    ]);
    expect(update.status).toBe(200);
    expect(update.body.numbers).toHaveLength(3);
    expect(await counts('bat-ok')).toEqual({ teamsOperatorConnect: 2, zoomPhoneCloudPeering: 4, azureOperatorCallProtection: 1 });
    const read = await api.get(`/accounts/bat-ok/numbers/${numbers[0]}`);
    expect(read.body.serviceDetails).toEqual({ teamsOperatorConnect: { enabled: true }, azureOperatorCallProtection: { enabled: true } });
  });

  it('rejects an item without accountName (required by NumberResource) with 400 numbers[i].accountName', async () => {
    await putAccount('bat-noacct');
    const res = await batch('bat-noacct', [zoom('bat-noacct', '+12061010000'), { telephoneNumber: '+12061010001', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } }]);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers[1].accountName']);
    expect(await numbersOf('bat-noacct')).toEqual([]);
  });

  it('accepts exactly 100 items', async () => {
    await putAccount('bat-100');
    const numbers = range('+1206102', 100);
    const res = await batch('bat-100', numbers.map((n) => zoom('bat-100', n)));
    expect(res.status).toBe(200);
    expect(res.body.numbers).toHaveLength(100);
    expect(await numbersOf('bat-100')).toHaveLength(100);
    expect((await counts('bat-100')).zoomPhoneCloudPeering).toBe(100);
  });

  it('rejects more than 100 items with 400 and writes nothing', async () => {
    await putAccount('bat-101');
    const res = await batch('bat-101', range('+1206103', 101).map((n) => zoom('bat-101', n)));
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers']);
    expect(await numbersOf('bat-101')).toEqual([]);
  });

  it('returns 200 with no numbers for an empty batch', async () => {
    await putAccount('bat-empty');
    const res = await batch('bat-empty', []);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ numbers: [] });
  });

  it('rejects duplicates with 400 targeting the repeated item and writes nothing', async () => {
    await putAccount('bat-dup');
    const res = await batch('bat-dup', [zoom('bat-dup', '+12061040001'), zoom('bat-dup', '+12061040002'), zoom('bat-dup', '+12061040001')]);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers[2].telephoneNumber']);
    expect(await numbersOf('bat-dup')).toEqual([]);
  });

  it('reports every invalid item with its own target, e.g. numbers[3].telephoneNumber, and writes nothing', async () => {
    await putAccount('bat-bad');
    const items = [
      zoom('bat-bad', '+12061050000'),
      zoom('bat-bad', '+12061050001'),
      { telephoneNumber: '+12061050002', accountName: 'bat-bad', serviceDetails: { teamsDirectRouting: { enabled: true } } },
      zoom('bat-bad', '12061050003'),
      { telephoneNumber: '+12061050004', accountName: 'bat-bad', serviceDetails: { zoomPhoneCloudPeering: { enabled: true }, teamsOperatorConnect: { enabled: true } } },
      { ...zoom('bat-bad', '+12061050005'), unknownField: true },
    ];
    const res = await batch('bat-bad', items);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ms-error-code')).toBe(res.body.error.code);
    // Schema problems and account-rule problems are reported together, in item order (D8).
    expect(targets(res)).toEqual([
      'numbers[2].serviceDetails.teamsDirectRouting.enabled',
      'numbers[3].telephoneNumber',
      'numbers[4].serviceDetails',
      'numbers[5].unknownField',
    ]);
    expect(await numbersOf('bat-bad')).toEqual([]);
  });

  it('lists every bad item of a batch in one 400, schema and account-rule problems together (D8)', async () => {
    await putAccount('bat-every');
    const items = [
      zoom('bat-every', '12061120000'), // schema: invalid E.164
      { telephoneNumber: '+12061120001', accountName: 'bat-every', serviceDetails: { teamsDirectRouting: { enabled: true } } }, // D7: not enabled on account
      zoom('bat-other', '+12061120002'), // accountName differs from the path
    ];
    const res = await batch('bat-every', items);
    expect(res.status).toBe(400);
    expect(targets(res).sort()).toEqual(['numbers[0].telephoneNumber', 'numbers[1].serviceDetails.teamsDirectRouting.enabled', 'numbers[2].accountName']);
    expect(await numbersOf('bat-every')).toEqual([]);
  });

  it('reports account-rule violations per item (D7, D4) and writes nothing', async () => {
    await putAccount('bat-rules');
    const items = [
      zoom('bat-rules', '+12061060000'),
      { telephoneNumber: '+12061060001', accountName: 'bat-rules', serviceDetails: { zoomPhoneCloudPeering: { enabled: true }, teamsOperatorConnect: { enabled: true } } },
      { telephoneNumber: '+12061060002', accountName: 'bat-rules', serviceDetails: { teamsDirectRouting: { enabled: true } } },
      { telephoneNumber: '+12061060003', accountName: 'bat-rules', serviceDetails: {} },
      { telephoneNumber: '+12061060004', accountName: 'bat-rules', serviceDetails: { azureOperatorCallProtection: { enabled: true } }, configuration: { customSipHeader: 'x' } },
    ];
    const res = await batch('bat-rules', items);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual(
      [
        'numbers[1].serviceDetails',
        'numbers[2].serviceDetails.teamsDirectRouting.enabled',
        'numbers[3].serviceDetails',
        'numbers[4].configuration.customSipHeader',
      ].sort(),
    );
    const codes = res.body.error.details.map((d: { code: string }) => d.code);
    expect(codes).toContain('ServiceNotEnabledOnAccount');
    expect(await numbersOf('bat-rules')).toEqual([]);
    expect((await counts('bat-rules')).zoomPhoneCloudPeering).toBe(0);
  });

  it('answers 400 ServiceNotEnabledOnAccount when that is the only problem of the batch', async () => {
    await putAccount('bat-svc');
    const res = await batch('bat-svc', [zoom('bat-svc', '+12061070000'), { telephoneNumber: '+12061070001', accountName: 'bat-svc', serviceDetails: { teamsPhoneMobile: { enabled: true } } }]);
    expectError(res, 400, 'ServiceNotEnabledOnAccount');
    expect(targets(res)).toEqual(['numbers[1].serviceDetails.teamsPhoneMobile.enabled']);
    expect(await numbersOf('bat-svc')).toEqual([]);
  });

  it('rejects an item whose accountName differs from the path with 400 numbers[i].accountName', async () => {
    await putAccount('bat-acct');
    const res = await batch('bat-acct', [zoom('bat-acct', '+12061080000'), zoom('bat-other', '+12061080001')]);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers[1].accountName']);
    expect(await numbersOf('bat-acct')).toEqual([]);
  });

  it('rejects a batch with a number owned by another account with 409 NumberInOtherAccount and writes nothing', async () => {
    await putAccount('bat-own-a');
    await putAccount('bat-own-b');
    expect((await batch('bat-own-a', [zoom('bat-own-a', '+12061090001')])).status).toBe(200);
    const res = await batch('bat-own-b', [zoom('bat-own-b', '+12061090000'), zoom('bat-own-b', '+12061090001')]);
    expectError(res, 409, 'NumberInOtherAccount');
    expect(targets(res)).toEqual(['numbers[1].telephoneNumber']);
    expect(await numbersOf('bat-own-b')).toEqual([]);
    expect(await numbersOf('bat-own-a')).toEqual(['+12061090001']);
  });

  it('returns 404 AccountNotFound for a batch under a missing account', async () => {
    expectError(await batch('bat-missing', [zoom('bat-missing', '+12061100000')]), 404, 'AccountNotFound');
    expectError(await batch('bat-missing', []), 404, 'AccountNotFound');
  });

  it('rejects a body without numbers, or with unknown members, with 400', async () => {
    await putAccount('bat-env');
    const none = await api.post('/accounts/bat-env:createOrUpdateNumbers', { json: {} });
    expectError(none, 400, 'InvalidRequestContent');
    expect(targets(none)).toEqual(['numbers']);
    const extra = await api.post('/accounts/bat-env:createOrUpdateNumbers', { json: { numbers: [], more: 1 } });
    expectError(extra, 400, 'InvalidRequestContent');
    expect(targets(extra)).toEqual(['more']);
  });

  it('rejects a non-JSON content type with 400', async () => {
    await putAccount('bat-ctype');
    const res = await api.post('/accounts/bat-ctype:createOrUpdateNumbers', { body: '{"numbers":[]}', contentType: 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('UnsupportedMediaType');
  });

  it('writes nothing when the partition transaction fails, and the batch can be retried', async () => {
    await putAccount('bat-fault');
    const numbers = range('+1206111', 3);
    armFault('numbers.transaction');
    const failed = await batch('bat-fault', numbers.map((n) => zoom('bat-fault', n)));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.headers.get('x-ms-error-code')).toBe(failed.body.error.code);
    expect(await numbersOf('bat-fault')).toEqual([]);
    expect((await counts('bat-fault')).zoomPhoneCloudPeering).toBe(0);
    const gl = await api.get('/numbers', { query: { filter: "startswith(telephoneNumber,'+1206111')" } });
    expect(gl.body.value).toEqual([]);
    const retried = await batch('bat-fault', numbers.map((n) => zoom('bat-fault', n)));
    expect(retried.status).toBe(200);
    expect(await numbersOf('bat-fault')).toEqual(numbers);
  });
});

describe('POST /accounts/{a}:deleteNumbers', () => {
  it('deletes the listed numbers with 204, ignores unknown ones, and updates numberCount', async () => {
    await putAccount('bat-del');
    const numbers = range('+1206200', 4);
    expect((await batch('bat-del', numbers.map((n) => zoom('bat-del', n)))).status).toBe(200);
    const res = await deleteBatch('bat-del', [numbers[0] as string, numbers[2] as string, '+12062009999']);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await numbersOf('bat-del')).toEqual([numbers[1], numbers[3]]);
    expect((await counts('bat-del')).zoomPhoneCloudPeering).toBe(2);
    // Repeating it is a no-op.
    expect((await deleteBatch('bat-del', [numbers[0] as string])).status).toBe(204);
    expect(await numbersOf('bat-del')).toEqual([numbers[1], numbers[3]]);
  });

  it('does not delete numbers that belong to another account', async () => {
    await putAccount('bat-del-a');
    await putAccount('bat-del-b');
    expect((await batch('bat-del-a', [zoom('bat-del-a', '+12062010000')])).status).toBe(200);
    expect((await deleteBatch('bat-del-b', ['+12062010000'])).status).toBe(204);
    expect(await numbersOf('bat-del-a')).toEqual(['+12062010000']);
  });

  it('rejects an invalid number with 400 numbers[i].telephoneNumber and deletes nothing', async () => {
    await putAccount('bat-del-bad');
    expect((await batch('bat-del-bad', [zoom('bat-del-bad', '+12062020000')])).status).toBe(200);
    const res = await deleteBatch('bat-del-bad', ['+12062020000', '2062020001']);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers[1].telephoneNumber']);
    expect(await numbersOf('bat-del-bad')).toEqual(['+12062020000']);
  });

  it('rejects more than 100 numbers with 400', async () => {
    await putAccount('bat-del-101');
    const res = await deleteBatch('bat-del-101', range('+1206203', 101));
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers']);
  });

  it('rejects duplicates with 400', async () => {
    await putAccount('bat-del-dup');
    const res = await deleteBatch('bat-del-dup', ['+12062040000', '+12062040000']);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['numbers[1].telephoneNumber']);
  });

  it('answers 204 under a missing account (nothing to delete, D8)', async () => {
    expect((await deleteBatch('bat-del-missing', ['+12062050000'])).status).toBe(204);
  });
});

describe('action routing', () => {
  it('answers an unknown action with 404 and an Azure.Core error body', async () => {
    await putAccount('bat-route');
    const res = await api.post('/accounts/bat-route:frobnicate', { json: {} });
    expectError(res, 404, 'NotFound');
    expect(typeof res.body.error.message).toBe('string');
  });

  it.each([['createOrUpdateNumbers'], ['deleteNumbers']])('answers GET on :%s with 405 and an Allow header', async (action) => {
    await putAccount('bat-route');
    const res = await api.get(`/accounts/bat-route:${action}`);
    expectError(res, 405, 'MethodNotAllowed');
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers POST on an account resource with 405', async () => {
    const res = await api.post('/accounts/bat-route', { json: {} });
    expectError(res, 405, 'MethodNotAllowed');
  });

  it('answers PUT on the accounts collection with 405', async () => {
    const res = await api.put('/accounts', { json: {} });
    expectError(res, 405, 'MethodNotAllowed');
  });

  it('answers POST on /numbers with 405', async () => {
    const res = await api.post('/numbers', { json: {} });
    expectError(res, 405, 'MethodNotAllowed');
  });

  it('answers PATCH on a number with 405', async () => {
    const res = await api.patch('/accounts/bat-route/numbers/+12063000000', { json: {} });
    expectError(res, 405, 'MethodNotAllowed');
  });
});

describe('Teams routes: the pipeline checks come first', () => {
  beforeAll(async () => {
    await putAccount('bat-teams');
  });

  it('checks the api-version before anything else', async () => {
    const res = await api.get('/teamsRequestsForInformation', { apiVersion: null });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MissingApiVersion');
  });

  it('checks authorization before calling Operator Connect', async () => {
    const anon = createApiClient(host.baseUrl);
    const res = await anon.get('/accounts/bat-teams/teamsCivicAddresses');
    expect(res.status).toBe(401);
  });
});
