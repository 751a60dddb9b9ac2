/**
 * Accounts: create/replace/read/delete, validation (docs/api.md "Accounts"; D3, D5, D15) and conflicts (D5, D15, D7, D20).
 *
 * The host runs with a longer DR base domain so that the 48-character FQDN limit (D5) can be reached
 * with labels that the 10-character label pattern allows:
 * `<label>.1r1.a-much-longer-base-domain.example.com` is 42 + label length characters.
 */
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let host: LocalHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startLocalHost({ DR_BASE_DOMAIN: 'a-much-longer-base-domain.example.com' });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});

afterAll(async () => {
  await host?.stop();
});

function dr(subdomain: string, enabled = true) {
  return {
    syncEnabled: false,
    enabled,
    configuration: { callScreening: true, subdomain, subdomainTokens: { region1Token: 'MS=ms1111', region2Token: 'MS=ms2222' } },
  };
}

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

function targets(res: ApiResult): string[] {
  return (res.body?.error?.details ?? []).map((d: { target?: string }) => d.target);
}

const putAccount = (name: string, body: Record<string, unknown>) => api.put(`/accounts/${name}`, { json: { name, ...body } });

describe('PUT /accounts/{name}', () => {
  it('creates an account with 201, ETag and Last-Modified, and replaces it with 200', async () => {
    const created = await putAccount('acc-create', { correlationId: 'corr-1', serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(/^(W\/)?".+"$/);
    expect(Number.isNaN(Date.parse(created.headers.get('last-modified') ?? ''))).toBe(false);
    expect(created.body).toEqual({
      name: 'acc-create',
      correlationId: 'corr-1',
      serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true, numberCount: 0 } },
      serviceProvisioningStatus: 'synced',
      serviceProvisioningErrors: [],
    });

    const replaced = await putAccount('acc-create', { correlationId: 'corr-2' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ name: 'acc-create', correlationId: 'corr-2', serviceProvisioningStatus: 'synced', serviceProvisioningErrors: [] });
    expect(replaced.headers.get('etag')).not.toBe(created.headers.get('etag'));

    const read = await api.get('/accounts/acc-create');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(replaced.body);
    expect(read.headers.get('etag')).toBe(replaced.headers.get('etag'));
  });

  it('reports numberCount 0 for every present service and subdomainStatus notProvisioned for Direct Routing', async () => {
    const res = await putAccount('acc-all', {
      serviceDetails: {
        teamsTenantId: TENANT,
        teamsOperatorConnect: { syncEnabled: false, enabled: true },
        teamsDirectRouting: dr('all1'),
        teamsPhoneMobile: { syncEnabled: false, enabled: true },
        zoomPhoneCloudPeering: { syncEnabled: false, enabled: true },
        azureOperatorCallProtection: { enabled: true },
      },
    });
    expect(res.status).toBe(201);
    const sd = res.body.serviceDetails;
    expect(sd.teamsTenantId).toBe(TENANT);
    for (const s of ['teamsOperatorConnect', 'teamsDirectRouting', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection']) {
      expect(sd[s].numberCount).toBe(0);
    }
    expect(sd.teamsDirectRouting.subdomainStatus).toBe('notProvisioned');
    expect(sd.teamsDirectRouting.configuration).toEqual(dr('all1').configuration);
    expect(sd.azureOperatorCallProtection).toEqual({ enabled: true, numberCount: 0 });
    expect(res.body.serviceProvisioningErrors).toEqual([]);
  });

  it.each([
    ['Operator Connect with sync', 'acc-st-oc', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: true, enabled: true } }, 'pending'],
    ['Teams Phone Mobile with sync', 'acc-st-tpm', { teamsTenantId: TENANT, teamsPhoneMobile: { syncEnabled: true, enabled: true } }, 'pending'],
    ['Direct Routing enabled with configuration', 'acc-st-dr', { teamsDirectRouting: dr('stdr') }, 'pending'],
    ['Operator Connect without sync', 'acc-st-ocns', { teamsOperatorConnect: { syncEnabled: false, enabled: true } }, 'synced'],
    ['Operator Connect sync on a disabled service', 'acc-st-ocoff', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: true, enabled: false } }, 'synced'],
    ['Direct Routing disabled with configuration', 'acc-st-droff', { teamsDirectRouting: dr('stdrof', false) }, 'synced'],
    ['Zoom only', 'acc-st-zoom', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } }, 'synced'],
  ])('sets serviceProvisioningStatus for %s', async (_label, name, serviceDetails, status) => {
    const res = await putAccount(name, { serviceDetails });
    expect(res.status).toBe(201);
    expect(res.body.serviceProvisioningStatus).toBe(status);
  });

  it('accepts read-only fields round-tripped from a GET and ignores their values', async () => {
    const res = await putAccount('acc-roundtrip', {
      serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true, numberCount: 42 } },
      serviceProvisioningStatus: 'failed',
      serviceProvisioningErrors: [{ code: 'X', message: 'y' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(0);
    expect(res.body.serviceProvisioningStatus).toBe('synced');
    expect(res.body.serviceProvisioningErrors).toEqual([]);
  });

  // Stored as sent, compared without regard to case (docs/api.md "Teams tenant ids"; test/integration/tenantIds.test.ts).
  it('keeps teamsTenantId as sent', async () => {
    const res = await putAccount('acc-tenant-case', { serviceDetails: { teamsTenantId: OTHER_TENANT.toUpperCase() } });
    expect(res.status).toBe(201);
    expect(res.body.serviceDetails.teamsTenantId).toBe(OTHER_TENANT.toUpperCase());
    expect(res.body.serviceDetails.teamsTenantId).not.toBe(OTHER_TENANT);
  });
});

describe('PUT /accounts/{name} validation (400)', () => {
  it('rejects a body name that differs from the path with target name', async () => {
    const res = await api.put('/accounts/acc-mismatch', { json: { name: 'acc-other' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['name']);
    expect((await api.get('/accounts/acc-mismatch')).status).toBe(404);
  });

  it('rejects an account name in the path that breaks the name pattern', async () => {
    const res = await api.put('/accounts/bad.name', { json: { name: 'bad.name' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(res.body.error.target ?? targets(res)[0]).toBe('accountName');
  });

  it('rejects an account name longer than 100 characters', async () => {
    const long = 'a'.repeat(101);
    const res = await api.put(`/accounts/${long}`, { json: { name: long } });
    expectError(res, 400, 'InvalidRequestContent');
  });

  it('lists one detail per unknown field with its JSON path as target', async () => {
    const res = await api.put('/accounts/acc-unknown', {
      json: { name: 'acc-unknown', colour: 'red', serviceDetails: { teamsDirectRouting: { syncEnabled: false, enabled: false, extra: 1 } } },
    });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual(['colour', 'serviceDetails.teamsDirectRouting.extra']);
    expect((await api.get('/accounts/acc-unknown')).status).toBe(404);
  });

  it('rejects a missing name and a wrongly typed field, one detail each', async () => {
    const res = await api.put('/accounts/acc-types', { json: { correlationId: 5 } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual(['correlationId', 'name']);
    // A member of the wrong type is named as such, not as missing.
    const messages = Object.fromEntries((res.body.error.details as { target: string; message: string }[]).map((d) => [d.target, d.message]));
    expect(messages).toEqual({ name: expect.stringMatching(/is required$/), correlationId: expect.stringMatching(/must be of type string$/) });
  });

  it.each([
    ['teamsDirectRouting', { teamsDirectRouting: { ...dr('syncdr'), syncEnabled: true } }],
    ['zoomPhoneCloudPeering', { zoomPhoneCloudPeering: { syncEnabled: true, enabled: true } }],
  ])('rejects syncEnabled true on %s (D3)', async (service, serviceDetails) => {
    const res = await putAccount(`acc-d3-${service}`, { serviceDetails });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual([`serviceDetails.${service}.syncEnabled`]);
  });

  it('accepts syncEnabled false on Direct Routing and Zoom (D3)', async () => {
    const res = await putAccount('acc-d3-ok', { serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true }, teamsDirectRouting: dr('d3ok') } });
    expect(res.status).toBe(201);
  });

  it.each([
    ['teamsOperatorConnect'],
    ['teamsPhoneMobile'],
  ])('requires teamsTenantId when %s is enabled with sync (D15)', async (service) => {
    const res = await putAccount(`acc-d15-${service}`, { serviceDetails: { [service]: { syncEnabled: true, enabled: true } } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsTenantId']);
  });

  it('rejects a teamsTenantId that is not a GUID (D15)', async () => {
    const res = await putAccount('acc-badguid', { serviceDetails: { teamsTenantId: 'not-a-guid' } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsTenantId']);
  });

  it('requires configuration when Direct Routing is enabled', async () => {
    const res = await putAccount('acc-drnocfg', { serviceDetails: { teamsDirectRouting: { syncEnabled: false, enabled: true } } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsDirectRouting.configuration']);
  });

  it('rejects a Direct Routing configuration missing a member', async () => {
    const res = await putAccount('acc-drpart', {
      serviceDetails: { teamsDirectRouting: { syncEnabled: false, enabled: true, configuration: { callScreening: true, subdomain: 'part' } } },
    });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsDirectRouting.configuration.subdomainTokens']);
  });

  it('rejects a subdomain label longer than 10 characters and tokens with invalid characters', async () => {
    const res = await putAccount('acc-drlabel', {
      serviceDetails: {
        teamsDirectRouting: {
          syncEnabled: false,
          enabled: true,
          configuration: { callScreening: true, subdomain: 'abcdefghijk', subdomainTokens: { region1Token: 'ok', region2Token: 'bad token!' } },
        },
      },
    });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual([
      'serviceDetails.teamsDirectRouting.configuration.subdomain',
      'serviceDetails.teamsDirectRouting.configuration.subdomainTokens.region2Token',
    ]);
  });

  it('accepts a subdomain whose FQDN is exactly 48 characters (D5)', async () => {
    // 'abcdef.1r1.a-much-longer-base-domain.example.com' = 48 characters
    const res = await putAccount('acc-fqdn48', { serviceDetails: { teamsDirectRouting: dr('abcdef') } });
    expect(res.status).toBe(201);
  });

  it('rejects a subdomain whose FQDN exceeds 48 characters (D5)', async () => {
    // 'abcdefg.1r1.a-much-longer-base-domain.example.com' = 49 characters
    const res = await putAccount('acc-fqdn49', { serviceDetails: { teamsDirectRouting: dr('abcdefg') } });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res)).toEqual(['serviceDetails.teamsDirectRouting.configuration.subdomain']);
    expect((await api.get('/accounts/acc-fqdn49')).status).toBe(404);
  });

  it('reports every rule violation of one body together', async () => {
    const res = await putAccount('acc-many', {
      serviceDetails: {
        teamsOperatorConnect: { syncEnabled: true, enabled: true },
        zoomPhoneCloudPeering: { syncEnabled: true, enabled: true },
        teamsDirectRouting: { syncEnabled: false, enabled: true },
      },
    });
    expectError(res, 400, 'InvalidRequestContent');
    expect(targets(res).sort()).toEqual([
      'serviceDetails.teamsDirectRouting.configuration',
      'serviceDetails.teamsTenantId',
      'serviceDetails.zoomPhoneCloudPeering.syncEnabled',
    ]);
  });

  it('rejects a body that is not JSON', async () => {
    const res = await api.put('/accounts/acc-notjson', { body: '{"name":', contentType: 'application/json' });
    expectError(res, 400, 'InvalidRequestContent');
  });

  it('rejects a missing body', async () => {
    const res = await api.put('/accounts/acc-nobody');
    expectError(res, 400, 'InvalidRequestContent');
  });
});

describe('PUT /accounts/{name} conflicts (409)', () => {
  it('rejects a subdomain already used by another account, case-insensitively (SubdomainInUse)', async () => {
    expect((await putAccount('acc-sub-a', { serviceDetails: { teamsDirectRouting: dr('shared') } })).status).toBe(201);
    const res = await putAccount('acc-sub-b', { serviceDetails: { teamsDirectRouting: dr('SHARED') } });
    expectError(res, 409, 'SubdomainInUse');
    expect((await api.get('/accounts/acc-sub-b')).status).toBe(404);
    // The owner may keep (re-PUT) its own label.
    expect((await putAccount('acc-sub-a', { serviceDetails: { teamsDirectRouting: dr('Shared') } })).status).toBe(200);
  });

  it('frees a subdomain when its account moves to another label or is deleted', async () => {
    expect((await putAccount('acc-sub-c', { serviceDetails: { teamsDirectRouting: dr('movea') } })).status).toBe(201);
    expect((await putAccount('acc-sub-c', { serviceDetails: { teamsDirectRouting: dr('moveb') } })).status).toBe(200);
    expect((await putAccount('acc-sub-d', { serviceDetails: { teamsDirectRouting: dr('movea') } })).status).toBe(201);
    expect((await api.delete('/accounts/acc-sub-c')).status).toBe(204);
    expect((await putAccount('acc-sub-e', { serviceDetails: { teamsDirectRouting: dr('moveb') } })).status).toBe(201);
  });

  it('rejects changing teamsTenantId while the account has Operator Connect numbers (TenantIdLocked)', async () => {
    const sd = { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: false, enabled: true } };
    expect((await putAccount('acc-lock', { serviceDetails: sd })).status).toBe(201);
    const n = await api.put('/accounts/acc-lock/numbers/+14250001001', {
      json: { telephoneNumber: '+14250001001', accountName: 'acc-lock', serviceDetails: { teamsOperatorConnect: { enabled: true } } },
    });
    expect(n.status).toBe(201);
    const res = await putAccount('acc-lock', { serviceDetails: { ...sd, teamsTenantId: OTHER_TENANT } });
    expectError(res, 409, 'TenantIdLocked');
    expect((await api.get('/accounts/acc-lock')).body.serviceDetails.teamsTenantId).toBe(TENANT);
    // Same tenant in another case is not a change.
    expect((await putAccount('acc-lock', { serviceDetails: { ...sd, teamsTenantId: TENANT.toUpperCase() } })).status).toBe(200);
    // Removing the tenant is a change too.
    const { teamsTenantId: _omit, ...withoutTenant } = sd;
    expectError(await putAccount('acc-lock', { serviceDetails: withoutTenant }), 409, 'TenantIdLocked');
  });

  it('allows changing teamsTenantId while the account has only non-Teams numbers', async () => {
    const sd = { teamsTenantId: TENANT, zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } };
    expect((await putAccount('acc-unlock', { serviceDetails: sd })).status).toBe(201);
    const n = await api.put('/accounts/acc-unlock/numbers/+14250001002', {
      json: { telephoneNumber: '+14250001002', accountName: 'acc-unlock', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } },
    });
    expect(n.status).toBe(201);
    const res = await putAccount('acc-unlock', { serviceDetails: { ...sd, teamsTenantId: OTHER_TENANT } });
    expect(res.status).toBe(200);
    expect(res.body.serviceDetails.teamsTenantId).toBe(OTHER_TENANT);
  });

  it('rejects disabling or removing a service that numbers of the account use (ServiceInUse)', async () => {
    const sd = { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true }, azureOperatorCallProtection: { enabled: true } };
    expect((await putAccount('acc-inuse', { serviceDetails: sd })).status).toBe(201);
    const n = await api.put('/accounts/acc-inuse/numbers/+14250001003', {
      json: { telephoneNumber: '+14250001003', accountName: 'acc-inuse', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } },
    });
    expect(n.status).toBe(201);
    const disabled = await putAccount('acc-inuse', { serviceDetails: { ...sd, zoomPhoneCloudPeering: { syncEnabled: false, enabled: false } } });
    expectError(disabled, 409, 'ServiceInUse');
    const removed = await putAccount('acc-inuse', { serviceDetails: { azureOperatorCallProtection: { enabled: true } } });
    expectError(removed, 409, 'ServiceInUse');
    // A service no number uses can be disabled.
    const ok = await putAccount('acc-inuse', { serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } } });
    expect(ok.status).toBe(200);
    expect(ok.body.serviceDetails).toEqual({ zoomPhoneCloudPeering: { syncEnabled: false, enabled: true, numberCount: 1 } });
  });
});

describe('GET /accounts/{name}', () => {
  it('returns 404 AccountNotFound for a missing account', async () => {
    const res = await api.get('/accounts/acc-missing');
    expectError(res, 404, 'AccountNotFound');
  });

  it('returns 400 for an invalid account name in the path', async () => {
    const res = await api.get('/accounts/bad.name');
    expectError(res, 400, 'InvalidRequestContent');
  });

  it('is case-sensitive on the account name', async () => {
    expect((await putAccount('acc-Case', {})).status).toBe(201);
    expect((await api.get('/accounts/acc-Case')).status).toBe(200);
    expectError(await api.get('/accounts/acc-case'), 404, 'AccountNotFound');
  });
});

describe('DELETE /accounts/{name}', () => {
  const numberBody = (account: string, n: string) => ({ telephoneNumber: n, accountName: account, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } });
  const zoom = { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } };

  it('deletes an account without numbers with 204', async () => {
    expect((await putAccount('acc-del', { serviceDetails: zoom })).status).toBe(201);
    const res = await api.delete('/accounts/acc-del');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await api.get('/accounts/acc-del'), 404, 'AccountNotFound');
  });

  it('answers 204 for an account that does not exist', async () => {
    expect((await api.delete('/accounts/acc-never-existed')).status).toBe(204);
  });

  it('refuses to delete an account that has numbers (409 AccountHasNumbers) and keeps everything', async () => {
    expect((await putAccount('acc-delnum', { serviceDetails: zoom })).status).toBe(201);
    expect((await api.put('/accounts/acc-delnum/numbers/+14250002001', { json: numberBody('acc-delnum', '+14250002001') })).status).toBe(201);
    const res = await api.delete('/accounts/acc-delnum');
    expectError(res, 409, 'AccountHasNumbers');
    expect((await api.get('/accounts/acc-delnum')).status).toBe(200);
    expect((await api.get('/accounts/acc-delnum/numbers/+14250002001')).status).toBe(200);
    const explicitFalse = await api.delete('/accounts/acc-delnum', { query: { deleteNumbers: false } });
    expectError(explicitFalse, 409, 'AccountHasNumbers');
  });

  it('deletes the account and its numbers with deleteNumbers=true', async () => {
    expect((await putAccount('acc-delall', { serviceDetails: zoom })).status).toBe(201);
    const numbers = ['+14250003001', '+14250003002', '+14250003003'];
    const batch = await api.post('/accounts/acc-delall:createOrUpdateNumbers', { json: { numbers: numbers.map((n) => numberBody('acc-delall', n)) } });
    expect(batch.status).toBe(200);
    const res = await api.delete('/accounts/acc-delall', { query: { deleteNumbers: true } });
    expect(res.status).toBe(204);
    expectError(await api.get('/accounts/acc-delall'), 404, 'AccountNotFound');
    const left = await api.get('/numbers', { query: { filter: "accountName eq 'acc-delall'" } });
    expect(left.status).toBe(200);
    expect(left.body.value).toEqual([]);
    const byNumber = await api.get('/numbers', { query: { filter: "startswith(telephoneNumber,'+14250003')" } });
    expect(byNumber.body.value).toEqual([]);
    // The numbers are free again: another account may take them.
    expect((await putAccount('acc-delall2', { serviceDetails: zoom })).status).toBe(201);
    expect((await api.put('/accounts/acc-delall2/numbers/+14250003001', { json: numberBody('acc-delall2', '+14250003001') })).status).toBe(201);
  });

  it('deletes more than one chunk (150) of numbers with deleteNumbers=true', async () => {
    expect((await putAccount('acc-delbig', { serviceDetails: zoom })).status).toBe(201);
    const numbers = Array.from({ length: 150 }, (_, i) => `+1425000${String(4000 + i)}`);
    for (let i = 0; i < numbers.length; i += 100) {
      const res = await api.post('/accounts/acc-delbig:createOrUpdateNumbers', { json: { numbers: numbers.slice(i, i + 100).map((n) => numberBody('acc-delbig', n)) } });
      expect(res.status).toBe(200);
    }
    expect((await api.get('/accounts/acc-delbig')).body.serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(150);
    expect((await api.delete('/accounts/acc-delbig', { query: { deleteNumbers: true } })).status).toBe(204);
    expect((await api.get('/accounts/acc-delbig')).status).toBe(404);
    const left = await api.get('/numbers', { query: { filter: "startswith(telephoneNumber,'+14250004')", countRecords: true } });
    expect(left.headers.get('x-ms-record-count')).toBe('0');
    expect(left.body.value).toEqual([]);
  });

  it('deletes with deleteNumbers=true when the account has no numbers', async () => {
    expect((await putAccount('acc-delempty', {})).status).toBe(201);
    expect((await api.delete('/accounts/acc-delempty', { query: { deleteNumbers: true } })).status).toBe(204);
    expect((await api.get('/accounts/acc-delempty')).status).toBe(404);
  });

  it('rejects deleteNumbers=maybe with 400', async () => {
    expect((await putAccount('acc-delbad', {})).status).toBe(201);
    const res = await api.delete('/accounts/acc-delbad', { query: { deleteNumbers: 'maybe' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ms-error-code')).toBe(res.body.error.code);
    expect(res.body.error.code).toBe('InvalidQueryParameter');
    expect(res.body.error.target).toBe('deleteNumbers');
    expect((await api.get('/accounts/acc-delbad')).status).toBe(200);
  });

  it('rejects an invalid account name in the path with 400', async () => {
    expectError(await api.delete('/accounts/bad.name'), 400, 'InvalidRequestContent');
  });
});
