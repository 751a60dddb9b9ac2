/**
 * Numbers: create/replace/read/delete under an account, the service rules (D4, D7, OC upload
 * prerequisites), cross-account uniqueness (D19) and the account's numberCount bookkeeping.
 */
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const TENANT = '11111111-2222-3333-4444-555555555555';

let host: LocalHost;
let api: ApiClient;

const ALL_SERVICES = {
  teamsTenantId: TENANT,
  teamsOperatorConnect: { syncEnabled: false, enabled: true },
  teamsDirectRouting: {
    syncEnabled: false,
    enabled: true,
    configuration: { callScreening: true, subdomain: 'numall', subdomainTokens: { region1Token: 't1', region2Token: 't2' } },
  },
  teamsPhoneMobile: { syncEnabled: false, enabled: true },
  zoomPhoneCloudPeering: { syncEnabled: false, enabled: true },
  azureOperatorCallProtection: { enabled: true },
};

const OC_CONFIG = { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'] };

async function putAccount(name: string, serviceDetails: Record<string, unknown>): Promise<void> {
  const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
  expect([200, 201]).toContain(res.status);
}

function numberBody(account: string, n: string, serviceDetails: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { telephoneNumber: n, accountName: account, serviceDetails, ...extra };
}

const putNumber = (account: string, n: string, serviceDetails: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  api.put(`/accounts/${account}/numbers/${n}`, { json: numberBody(account, n, serviceDetails, extra) });

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

function targets(res: ApiResult): string[] {
  return (res.body?.error?.details ?? []).map((d: { target?: string }) => d.target);
}

/** The error's own target, or its single detail's target. */
function target(res: ApiResult): string | undefined {
  return res.body?.error?.target ?? (targets(res).length === 1 ? targets(res)[0] : undefined);
}

async function counts(account: string): Promise<Record<string, number>> {
  const res = await api.get(`/accounts/${account}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(Object.entries(res.body.serviceDetails ?? {}).filter(([, v]) => typeof v === 'object').map(([k, v]) => [k, (v as { numberCount: number }).numberCount]));
}

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  await putAccount('num-all', ALL_SERVICES);
  await putAccount('num-zoom', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
  await putAccount('num-sync', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: true, enabled: true }, teamsPhoneMobile: { syncEnabled: true, enabled: true } });
});

afterAll(async () => {
  await host?.stop();
});

describe('PUT /accounts/{a}/numbers/{n}', () => {
  it('creates a number with 201, ETag, Last-Modified and the NumberResource body, then replaces it with 200', async () => {
    const created = await putNumber('num-all', '+14255550101', { teamsDirectRouting: { enabled: true } }, { configuration: { customSipHeader: 'cust-1' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(/^(W\/)?".+"$/);
    expect(Number.isNaN(Date.parse(created.headers.get('last-modified') ?? ''))).toBe(false);
    expect(created.body).toEqual({
      telephoneNumber: '+14255550101',
      accountName: 'num-all',
      serviceDetails: { teamsDirectRouting: { enabled: true } },
      configuration: { customSipHeader: 'cust-1' },
      serviceProvisioningStatus: 'synced',
      serviceProvisioningErrors: [],
    });

    const replaced = await putNumber('num-all', '+14255550101', { zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.serviceDetails).toEqual({ zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } });
    expect(replaced.body.configuration).toBeUndefined();

    const read = await api.get('/accounts/num-all/numbers/+14255550101');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(replaced.body);
    expect(read.headers.get('etag')).toBe(replaced.headers.get('etag'));
  });

  it('keeps the ETag when an identical body is PUT again', async () => {
    const first = await putNumber('num-all', '+14255550102', { teamsDirectRouting: { enabled: true } });
    expect(first.status).toBe(201);
    const second = await putNumber('num-all', '+14255550102', { teamsDirectRouting: { enabled: true } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  it('accepts the + of the number percent-encoded as %2B in the path', async () => {
    const res = await api.put('/accounts/num-all/numbers/%2B14255550103', {
      json: numberBody('num-all', '+14255550103', { zoomPhoneCloudPeering: { enabled: true } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.telephoneNumber).toBe('+14255550103');
    expect((await api.get('/accounts/num-all/numbers/+14255550103')).status).toBe(200);
    expect((await api.get('/accounts/num-all/numbers/%2B14255550103')).status).toBe(200);
  });

  it('returns a pending Operator Connect number with its Teams configuration in a sync account', async () => {
    const res = await putNumber('num-sync', '+14255550104', { teamsOperatorConnect: { enabled: true, assignmentStatus: 'unassigned', configuration: OC_CONFIG } });
    expect(res.status).toBe(201);
    expect(res.body.serviceProvisioningStatus).toBe('pending');
    expect(res.body.serviceDetails.teamsOperatorConnect).toEqual({
      enabled: true,
      assignmentStatus: 'unassigned',
      configuration: { ...OC_CONFIG, allowTenantAddressUpdate: false },
    });
  });

  it('rejects an Operator Connect number without configuration in a sync account with 400', async () => {
    const res = await putNumber('num-sync', '+14255550105', { teamsOperatorConnect: { enabled: true } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsOperatorConnect.configuration']);
    expectError(await api.get('/accounts/num-sync/numbers/+14255550105'), 404, 'NumberNotFound');
  });

  it('rejects a Teams Phone Mobile number without configuration in a sync account with 400', async () => {
    const res = await putNumber('num-sync', '+14255550106', { teamsPhoneMobile: { enabled: true } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsPhoneMobile.configuration']);
  });

  it('accepts an Operator Connect number without configuration when the account does not sync', async () => {
    const res = await putNumber('num-all', '+14255550107', { teamsOperatorConnect: { enabled: true } });
    expect(res.status).toBe(201);
    expect(res.body.serviceProvisioningStatus).toBe('synced');
  });

  it('returns 404 AccountNotFound for a number under a missing account', async () => {
    const res = await putNumber('num-missing', '+14255550108', { zoomPhoneCloudPeering: { enabled: true } });
    expectError(res, 404, 'AccountNotFound');
  });

  it('rejects a number already provisioned in another account with 409 NumberInOtherAccount (D19)', async () => {
    expect((await putNumber('num-zoom', '+14255550109', { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
    const res = await putNumber('num-all', '+14255550109', { zoomPhoneCloudPeering: { enabled: true } });
    expectError(res, 409, 'NumberInOtherAccount');
    expect(target(res)).toBe('telephoneNumber');
    expect((await api.get('/accounts/num-zoom/numbers/+14255550109')).body.accountName).toBe('num-zoom');
    expectError(await api.get('/accounts/num-all/numbers/+14255550109'), 404, 'NumberNotFound');
    // Delete first, then it may move.
    expect((await api.delete('/accounts/num-zoom/numbers/+14255550109')).status).toBe(204);
    expect((await putNumber('num-all', '+14255550109', { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
  });

  it('rejects a service that is not enabled on the account with 400 ServiceNotEnabledOnAccount (D7)', async () => {
    const res = await putNumber('num-zoom', '+14255550110', { teamsDirectRouting: { enabled: true } });
    expectError(res, 400, 'ServiceNotEnabledOnAccount');
    expect(targets(res)).toEqual(['serviceDetails.teamsDirectRouting.enabled']);
    expectError(await api.get('/accounts/num-zoom/numbers/+14255550110'), 404, 'NumberNotFound');
  });

  it('rejects a service that is present but disabled on the account with 400 ServiceNotEnabledOnAccount', async () => {
    await putAccount('num-ocoff', { teamsOperatorConnect: { syncEnabled: false, enabled: false }, zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
    const res = await putNumber('num-ocoff', '+14255550111', { teamsOperatorConnect: { enabled: true } });
    expectError(res, 400, 'ServiceNotEnabledOnAccount');
    expect(targets(res)).toEqual(['serviceDetails.teamsOperatorConnect.enabled']);
  });

  it('rejects two destination services on one number with 400 (D7)', async () => {
    const res = await putNumber('num-all', '+14255550112', { teamsDirectRouting: { enabled: true }, zoomPhoneCloudPeering: { enabled: true } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails']);
  });

  it('accepts Call Protection together with a destination service (D7)', async () => {
    const res = await putNumber('num-all', '+14255550113', { teamsPhoneMobile: { enabled: true }, azureOperatorCallProtection: { enabled: true } });
    expect(res.status).toBe(201);
  });

  it.each([
    ['no service at all', {}],
    ['only disabled services', { zoomPhoneCloudPeering: { enabled: false } }],
  ])('rejects a number with %s enabled with 400 (D7)', async (_label, serviceDetails) => {
    const res = await putNumber('num-all', '+14255550114', serviceDetails);
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails']);
  });

  it.each([
    ['Teams Phone Mobile', { teamsPhoneMobile: { enabled: true } }],
    ['Call Protection', { azureOperatorCallProtection: { enabled: true } }],
    ['Teams Phone Mobile and Call Protection', { teamsPhoneMobile: { enabled: true }, azureOperatorCallProtection: { enabled: true } }],
  ])('rejects customSipHeader on a %s-only number with 400 (D4)', async (_label, serviceDetails) => {
    const res = await putNumber('num-all', '+14255550115', serviceDetails, { configuration: { customSipHeader: 'abc' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['configuration.customSipHeader']);
  });

  it.each([
    ['Operator Connect', '+14255550116', { teamsOperatorConnect: { enabled: true } }],
    ['Zoom with Call Protection', '+14255550117', { zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } }],
  ])('accepts customSipHeader on a %s number (D4)', async (_label, n, serviceDetails) => {
    const res = await putNumber('num-all', n, serviceDetails, { configuration: { customSipHeader: 'hdr_ok-1' } });
    expect(res.status).toBe(201);
    expect(res.body.configuration).toEqual({ customSipHeader: 'hdr_ok-1' });
  });

  it('rejects a customSipHeader value with invalid characters with 400', async () => {
    const res = await putNumber('num-all', '+14255550118', { teamsDirectRouting: { enabled: true } }, { configuration: { customSipHeader: 'bad value' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['configuration.customSipHeader']);
  });

  it('rejects a body telephoneNumber that differs from the path with 400 target telephoneNumber', async () => {
    const res = await api.put('/accounts/num-all/numbers/+14255550119', { json: numberBody('num-all', '+14255550120', { teamsDirectRouting: { enabled: true } }) });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['telephoneNumber']);
    expectError(await api.get('/accounts/num-all/numbers/+14255550119'), 404, 'NumberNotFound');
    expectError(await api.get('/accounts/num-all/numbers/+14255550120'), 404, 'NumberNotFound');
  });

  it('rejects a body accountName that differs from the path with 400 target accountName', async () => {
    const res = await api.put('/accounts/num-all/numbers/+14255550121', { json: numberBody('num-zoom', '+14255550121', { zoomPhoneCloudPeering: { enabled: true } }) });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['accountName']);
  });

  it.each([
    ['a leading zero', '+04255550122'],
    ['no plus sign', '14255550122'],
    ['letters', '+1425abc0122'],
    ['more than 15 digits', '+1425555012212345'],
    ['a single digit', '+1'],
  ])('rejects a path number with %s with 400 target telephoneNumber', async (_label, n) => {
    const res = await api.put(`/accounts/num-all/numbers/${encodeURIComponent(n)}`, { json: numberBody('num-all', n, { zoomPhoneCloudPeering: { enabled: true } }) });
    expectError(res, 400, 'InvalidRequestContent');
    expect(target(res)).toBe('telephoneNumber');
  });

  it('rejects an invalid E.164 number in the body with 400 target telephoneNumber', async () => {
    const res = await api.put('/accounts/num-all/numbers/+14255550123', { json: numberBody('num-all', '4255550123', { zoomPhoneCloudPeering: { enabled: true } }) });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toContain('telephoneNumber');
  });

  it('lists one detail per unknown or mistyped field', async () => {
    const res = await api.put('/accounts/num-all/numbers/+14255550124', {
      json: { telephoneNumber: '+14255550124', accountName: 'num-all', serviceDetails: { zoomPhoneCloudPeering: { enabled: 'yes' }, fax: { enabled: true } }, colour: 1 },
    });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual(['colour', 'serviceDetails.fax', 'serviceDetails.zoomPhoneCloudPeering.enabled']);
  });

  it('rejects a body without serviceDetails with 400', async () => {
    const res = await api.put('/accounts/num-all/numbers/+14255550125', { json: { telephoneNumber: '+14255550125', accountName: 'num-all' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails']);
  });

  it('rejects an invalid account name in the path with 400', async () => {
    const res = await api.put('/accounts/bad.name/numbers/+14255550126', { json: numberBody('bad.name', '+14255550126', { zoomPhoneCloudPeering: { enabled: true } }) });
    expectError(res, 400, 'InvalidRequestContent');
  });
});

describe('GET /accounts/{a}/numbers/{n}', () => {
  it('returns 404 NumberNotFound for a missing number of an existing account', async () => {
    const res = await api.get('/accounts/num-all/numbers/+14255550201');
    expectError(res, 404, 'NumberNotFound');
  });

  it('returns 404 AccountNotFound for a number under a missing account', async () => {
    const res = await api.get('/accounts/num-missing/numbers/+14255550201');
    expectError(res, 404, 'AccountNotFound');
  });

  it('returns 404 NumberNotFound when the number belongs to another account', async () => {
    expect((await putNumber('num-zoom', '+14255550202', { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
    expectError(await api.get('/accounts/num-all/numbers/+14255550202'), 404, 'NumberNotFound');
  });

  it('returns 400 for an invalid number in the path', async () => {
    expectError(await api.get('/accounts/num-all/numbers/+0123'), 400, 'InvalidRequestContent');
  });
});

describe('DELETE /accounts/{a}/numbers/{n}', () => {
  it('deletes a number with 204 and is idempotent', async () => {
    expect((await putNumber('num-all', '+14255550301', { teamsDirectRouting: { enabled: true } })).status).toBe(201);
    const first = await api.delete('/accounts/num-all/numbers/+14255550301');
    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    expectError(await api.get('/accounts/num-all/numbers/+14255550301'), 404, 'NumberNotFound');
    expect((await api.delete('/accounts/num-all/numbers/+14255550301')).status).toBe(204);
    expect((await api.delete('/accounts/num-all/numbers/+14255550399')).status).toBe(204);
  });

  it('does not delete a number of another account', async () => {
    expect((await putNumber('num-zoom', '+14255550302', { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
    expect((await api.delete('/accounts/num-all/numbers/+14255550302')).status).toBe(204);
    expect((await api.get('/accounts/num-zoom/numbers/+14255550302')).status).toBe(200);
  });

  it('answers 204 when the account does not exist (DELETE is idempotent, D8)', async () => {
    expect((await api.delete('/accounts/num-missing/numbers/+14255550303')).status).toBe(204);
  });

  it('answers 412 to If-Match when the account does not exist', async () => {
    expectError(await api.delete('/accounts/num-missing/numbers/+14255550303', { headers: { 'if-match': '"x"' } }), 412, 'PreconditionFailed');
  });

  it('returns 400 for an invalid number in the path', async () => {
    expectError(await api.delete('/accounts/num-all/numbers/+0123'), 400, 'InvalidRequestContent');
  });
});

describe('numberCount on the account', () => {
  it('follows creates, updates and deletes per service', async () => {
    const dr = ALL_SERVICES.teamsDirectRouting;
    await putAccount('num-count', { ...ALL_SERVICES, teamsDirectRouting: { ...dr, configuration: { ...dr.configuration, subdomain: 'numcnt' } } });
    const zero = { teamsOperatorConnect: 0, teamsDirectRouting: 0, teamsPhoneMobile: 0, zoomPhoneCloudPeering: 0, azureOperatorCallProtection: 0 };
    expect(await counts('num-count')).toEqual(zero);

    expect((await putNumber('num-count', '+14255550401', { teamsDirectRouting: { enabled: true } })).status).toBe(201);
    expect((await putNumber('num-count', '+14255550402', { teamsDirectRouting: { enabled: true }, azureOperatorCallProtection: { enabled: true } })).status).toBe(201);
    expect((await putNumber('num-count', '+14255550403', { teamsOperatorConnect: { enabled: true } })).status).toBe(201);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 2, azureOperatorCallProtection: 1, teamsOperatorConnect: 1 });

    // Update: DR → Zoom, keeps Call Protection.
    expect((await putNumber('num-count', '+14255550402', { zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } })).status).toBe(200);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 1, zoomPhoneCloudPeering: 1, azureOperatorCallProtection: 1, teamsOperatorConnect: 1 });

    // Identical re-PUT changes nothing.
    expect((await putNumber('num-count', '+14255550401', { teamsDirectRouting: { enabled: true } })).status).toBe(200);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 1, zoomPhoneCloudPeering: 1, azureOperatorCallProtection: 1, teamsOperatorConnect: 1 });

    // A disabled entry does not count.
    expect((await putNumber('num-count', '+14255550403', { teamsOperatorConnect: { enabled: false }, teamsPhoneMobile: { enabled: true } })).status).toBe(200);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 1, zoomPhoneCloudPeering: 1, azureOperatorCallProtection: 1, teamsPhoneMobile: 1 });

    // Deletes, including a repeated one.
    expect((await api.delete('/accounts/num-count/numbers/+14255550402')).status).toBe(204);
    expect((await api.delete('/accounts/num-count/numbers/+14255550402')).status).toBe(204);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 1, teamsPhoneMobile: 1 });

    // Rejected writes change nothing.
    expect((await putNumber('num-count', '+14255550404', { teamsDirectRouting: { enabled: true }, zoomPhoneCloudPeering: { enabled: true } })).status).toBe(400);
    expect(await counts('num-count')).toEqual({ ...zero, teamsDirectRouting: 1, teamsPhoneMobile: 1 });
  });
});
