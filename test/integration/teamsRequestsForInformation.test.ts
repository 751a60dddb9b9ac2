/**
 * Requests for information (docs/teams.md "Requests for information"; D9): consents pulled from Operator Connect by the sweeper into RFIs
 * (with the account of the tenant), listed with D1 filters and D13 paging, read with ETags, and the
 * customer relationship changed by merge-patch: stored as pending, pushed to Operator Connect by the
 * flow-through worker, then synced (or failed with OC's code).
 */
import {
  SIM_OPERATOR_ID,
  SIM_TENANT_GB,
  SIM_TENANT_PENDING_SETUP,
  SIM_TENANT_REMOVED,
  SIM_TENANT_SUSPENDED,
  SIM_TENANT_US,
  SIM_TENANT_WITHOUT_CONSENT,
} from '../../dev/ocSimulator';
import type { Kick } from '../../shared/flowthrough/kicks';
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';

const MERGE_PATCH = 'application/merge-patch+json';
const SEEDED = [SIM_TENANT_US, SIM_TENANT_GB, SIM_TENANT_SUSPENDED, SIM_TENANT_REMOVED, SIM_TENANT_PENDING_SETUP].sort();

let host: FlowthroughHost;
let api: ApiClient;
let kicks: Kick[] = [];

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  const send = host.queue.send.bind(host.queue);
  jest.spyOn(host.queue, 'send').mockImplementation(async (kick, delayMs) => {
    kicks.push(kick);
    return send(kick, delayMs);
  });
  for (const [name, tenantId] of [
    ['rfi-us', SIM_TENANT_US],
    ['rfi-gb', SIM_TENANT_GB],
  ] as const) {
    expect((await api.put(`/accounts/${name}`, { json: { name, serviceDetails: { teamsTenantId: tenantId } } })).status).toBe(201);
  }
});
afterAll(() => host.stop());

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

const rfi = (tenantId: string) => api.get(`/teamsRequestsForInformation/${tenantId}`);
const patch = (tenantId: string, body: unknown, headers: Record<string, string> = {}) =>
  api.patch(`/teamsRequestsForInformation/${tenantId}`, { json: body, contentType: MERGE_PATCH, headers });
const accountKicks = () => kicks.filter((k): k is Extract<Kick, { kind: 'account' }> => k.kind === 'account' && k.reason === 'consentChanged').map((k) => k.accountName);
const tenantsOf = (res: ApiResult) => res.body.value.map((r: { tenantId: string }) => r.tenantId);

async function simControl(path: string): Promise<void> {
  const res = await fetch(`${host.sim.url}/_sim/${path}`, { method: 'POST' });
  expect(res.status).toBe(200);
}

describe('before the first consent pull', () => {
  it('lists nothing and answers 404 RequestForInformationNotFound', async () => {
    const list = await api.get('/teamsRequestsForInformation', { query: { countRecords: true } });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ value: [] });
    expect(list.headers.get('x-ms-record-count')).toBe('0');
    expectError(await rfi(SIM_TENANT_US), 404, 'RequestForInformationNotFound');
  });
});

describe('the consent puller', () => {
  it('creates one RFI per consent, with the account of the tenant, and kicks those accounts', async () => {
    await host.sweep();
    const list = await api.get('/teamsRequestsForInformation', { query: { countRecords: true } });
    expect(list.status).toBe(200);
    expect(list.headers.get('x-ms-record-count')).toBe('5');
    expect(tenantsOf(list)).toEqual(SEEDED);

    const us = await rfi(SIM_TENANT_US);
    expect(us.status).toBe(200);
    expect(us.body).toEqual({
      id: '0cc00000-0000-4000-8000-000000000001',
      tenantId: SIM_TENANT_US,
      accountName: 'rfi-us',
      productContext: 'teams',
      operatorId: SIM_OPERATOR_ID,
      status: 'active',
      consentedOn: expect.any(String),
      lastModifiedOn: expect.any(String),
      consentedCountries: ['US', 'CA'],
      contacts: [{ fullName: 'Avery Admin', email: 'avery@contoso.example', telephoneNumber: '+14255550199', companyName: 'Contoso', companySize: 'L250_U999' }],
      customerRelationship: { status: 'ConsentAcknowledged', lastModifiedOn: expect.any(String) },
      serviceProvisioningStatus: 'synced',
      serviceProvisioningErrors: [],
    });
    expect((await rfi(SIM_TENANT_GB)).body.accountName).toBe('rfi-gb');
    expect((await rfi(SIM_TENANT_SUSPENDED)).body).toMatchObject({ status: 'suspended', consentedCountries: ['US'] });
    expect((await rfi(SIM_TENANT_SUSPENDED)).body.accountName).toBeUndefined();
    expect((await rfi(SIM_TENANT_REMOVED)).body).toMatchObject({ status: 'removed', customerRelationship: { status: 'ContractTerminated', comment: 'Moved to another operator' } });
    expect((await rfi(SIM_TENANT_PENDING_SETUP)).body).toMatchObject({ status: 'active', consentedCountries: [] });
    expect(accountKicks().sort()).toEqual(['rfi-gb', 'rfi-us']);
  });

  it('writes nothing when nothing changed: the ETag stays and no account is kicked', async () => {
    const before = await rfi(SIM_TENANT_US);
    kicks = [];
    await host.sweep();
    const after = await rfi(SIM_TENANT_US);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.headers.get('last-modified')).toBe(before.headers.get('last-modified'));
    expect(accountKicks()).toEqual([]);
  });
});

describe('GET /teamsRequestsForInformation', () => {
  it('filters on tenantId, accountName, status and customerRelationship/status', async () => {
    const byTenant = await api.get('/teamsRequestsForInformation', { query: { filter: `tenantId eq '${SIM_TENANT_GB}'`, countRecords: true } });
    expect(tenantsOf(byTenant)).toEqual([SIM_TENANT_GB]);
    expect(byTenant.headers.get('x-ms-record-count')).toBe('1');
    expect(tenantsOf(await api.get('/teamsRequestsForInformation', { query: { filter: "accountName eq 'rfi-us'" } }))).toEqual([SIM_TENANT_US]);
    expect(tenantsOf(await api.get('/teamsRequestsForInformation', { query: { filter: "status eq 'active'" } }))).toEqual(
      [SIM_TENANT_US, SIM_TENANT_GB, SIM_TENANT_PENDING_SETUP].sort(),
    );
    expect(tenantsOf(await api.get('/teamsRequestsForInformation', { query: { filter: "customerRelationship/status eq 'ContractTerminated'" } }))).toEqual([SIM_TENANT_REMOVED]);
    expect(tenantsOf(await api.get('/teamsRequestsForInformation', { query: { filter: "status ne 'active' and not (accountName eq '')" } }))).toEqual([]);
    expect(tenantsOf(await api.get('/teamsRequestsForInformation', { query: { filter: "startswith(accountName,'rfi-')" } }))).toEqual([SIM_TENANT_US, SIM_TENANT_GB].sort());
  });

  it('refuses other filter fields with 400 InvalidFilter', async () => {
    expectError(await api.get('/teamsRequestsForInformation', { query: { filter: "operatorId eq 'x'" } }), 400, 'InvalidFilter');
  });

  it('pages in tenant order with nextLink; skip and top apply; the count is after the filter', async () => {
    const seen: string[] = [];
    let page = await api.get('/teamsRequestsForInformation', { query: { maxpagesize: 2, countRecords: true } });
    for (;;) {
      expect(page.status).toBe(200);
      expect(page.headers.get('x-ms-record-count')).toBe('5');
      expect(page.body.value.length).toBeLessThanOrEqual(2);
      seen.push(...tenantsOf(page));
      if (page.body.nextLink === undefined) break;
      page = await api.followNextLink(page.body.nextLink);
    }
    expect(seen).toEqual(SEEDED);

    const window = await api.get('/teamsRequestsForInformation', { query: { skip: 1, top: 2, maxpagesize: 1 } });
    expect(tenantsOf(window)).toEqual([SEEDED[1]]);
    const next = await api.followNextLink(window.body.nextLink);
    expect(tenantsOf(next)).toEqual([SEEDED[2]]);
    expect(next.body.nextLink).toBeUndefined();

    const filtered = await api.get('/teamsRequestsForInformation', { query: { filter: "status eq 'active'", maxpagesize: 1, countRecords: true } });
    expect(filtered.headers.get('x-ms-record-count')).toBe('3');
    expect(filtered.body.value).toHaveLength(1);
    expect(filtered.body.nextLink).toContain('filter=');
  });
});

describe('GET /teamsRequestsForInformation/{tenantId}', () => {
  it('answers 304 for If-None-Match with the current ETag', async () => {
    const res = await rfi(SIM_TENANT_GB);
    const notModified = await api.get(`/teamsRequestsForInformation/${SIM_TENANT_GB}`, { headers: { 'if-none-match': res.headers.get('etag') as string } });
    expect(notModified.status).toBe(304);
  });

  it('answers 404 for a tenant without consent and 400 for a tenant id that is not a GUID', async () => {
    expectError(await rfi(SIM_TENANT_WITHOUT_CONSENT), 404, 'RequestForInformationNotFound');
    expectError(await rfi('not-a-guid'), 400, 'InvalidRequestContent');
  });
});

describe('PATCH /teamsRequestsForInformation/{tenantId}', () => {
  it('stores the relationship as pending, pushes it, and shows it synced with Operator Connect holding it', async () => {
    const res = await patch(SIM_TENANT_US, { customerRelationship: { status: 'AgreementSigned', comment: 'Signed on 2024-05-01' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tenantId: SIM_TENANT_US,
      accountName: 'rfi-us',
      status: 'active',
      customerRelationship: { status: 'AgreementSigned', comment: 'Signed on 2024-05-01', lastModifiedOn: expect.any(String) },
      serviceProvisioningStatus: 'pending',
      serviceProvisioningErrors: [],
    });
    expect(res.headers.get('etag')).toMatch(/^".+"$/);

    const synced = await eventually(async () => {
      const r = await rfi(SIM_TENANT_US);
      return r.body.serviceProvisioningStatus === 'synced' ? r : undefined;
    });
    expect(synced.body.customerRelationship).toMatchObject({ status: 'AgreementSigned', comment: 'Signed on 2024-05-01' });
    expect(host.sim.state.consents.get(SIM_TENANT_US)?.customerRelationship).toMatchObject({ status: 'AgreementSigned', comment: 'Signed on 2024-05-01' });
  });

  it('merges: a patch of the comment alone keeps the status', async () => {
    const res = await patch(SIM_TENANT_US, { customerRelationship: { comment: 'Countersigned' } });
    expect(res.status).toBe(200);
    expect(res.body.customerRelationship).toMatchObject({ status: 'AgreementSigned', comment: 'Countersigned' });
    await eventually(async () => (host.sim.state.consents.get(SIM_TENANT_US)?.customerRelationship?.comment === 'Countersigned' ? true : undefined));
  });

  it('requires a comment for ConsentDeclined and ContractTerminated (400 CommentRequired), and changes nothing', async () => {
    const before = await rfi(SIM_TENANT_GB);
    expectError(await patch(SIM_TENANT_GB, { customerRelationship: { status: 'ConsentDeclined' } }), 400, 'CommentRequired');
    expectError(await patch(SIM_TENANT_GB, { customerRelationship: { status: 'ContractTerminated', comment: '  ' } }), 400, 'CommentRequired');
    const after = await rfi(SIM_TENANT_GB);
    expect(after.body).toEqual(before.body);
  });

  it('refuses a status outside the five values, unknown members and the wrong media type with 400', async () => {
    const bad = await patch(SIM_TENANT_GB, { customerRelationship: { status: 'Married' } });
    expectError(bad, 400, 'InvalidRequestContent');
    expect(bad.body.error.details[0].target).toBe('customerRelationship.status');
    expectError(await patch(SIM_TENANT_GB, { status: 'removed' }), 400, 'InvalidRequestContent');
    expectError(await patch(SIM_TENANT_GB, { customerRelationship: { status: null } }), 400, 'InvalidRequestContent');
    const json = await api.patch(`/teamsRequestsForInformation/${SIM_TENANT_GB}`, { json: { customerRelationship: { status: 'CustomerContacted' } } });
    expectError(json, 400, 'UnsupportedMediaType');
  });

  it('answers 404 for an unknown tenant (D9)', async () => {
    expectError(await patch(SIM_TENANT_WITHOUT_CONSENT, { customerRelationship: { status: 'CustomerContacted' } }), 404, 'RequestForInformationNotFound');
  });

  it('honours If-Match: a stale ETag gets 412, the current one is accepted', async () => {
    const current = await rfi(SIM_TENANT_GB);
    expectError(await patch(SIM_TENANT_GB, { customerRelationship: { status: 'CustomerContacted' } }, { 'if-match': '"stale"' }), 412, 'PreconditionFailed');
    const ok = await patch(SIM_TENANT_GB, { customerRelationship: { status: 'CustomerContacted' } }, { 'if-match': current.headers.get('etag') as string });
    expect(ok.status).toBe(200);
    await eventually(async () => ((await rfi(SIM_TENANT_GB)).body.serviceProvisioningStatus === 'synced' ? true : undefined));
  });

  it('replays a repeated request (same Repeatability-Request-ID) without executing it again', async () => {
    const headers = { 'repeatability-request-id': 'rfi-repeat-1', 'repeatability-first-sent': new Date().toUTCString() };
    const first = await patch(SIM_TENANT_PENDING_SETUP, { customerRelationship: { status: 'CustomerContacted', comment: 'called' } }, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get('repeatability-result')).toBe('accepted');
    const again = await patch(SIM_TENANT_PENDING_SETUP, { customerRelationship: { status: 'CustomerContacted', comment: 'called' } }, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
  });

  it('records failed with the Operator Connect code when the push is rejected', async () => {
    const res = await patch(SIM_TENANT_REMOVED, { customerRelationship: { status: 'CustomerContacted' } });
    expect(res.status).toBe(200);
    const failed = await eventually(async () => {
      const r = await rfi(SIM_TENANT_REMOVED);
      return r.body.serviceProvisioningStatus === 'failed' ? r : undefined;
    });
    expect(failed.body.serviceProvisioningErrors).toEqual([expect.objectContaining({ code: 'ConsentRemoved', target: 'customerRelationship' })]);
    expect(failed.body.customerRelationship.status).toBe('CustomerContacted'); // what was asked for stays visible
    await host.sweep();
    expect((await rfi(SIM_TENANT_REMOVED)).body).toMatchObject({ serviceProvisioningStatus: 'failed', customerRelationship: { status: 'CustomerContacted' } });
  });

  it('keeps a pending change through consent pulls while Operator Connect is down, then syncs it', async () => {
    const fault = host.sim.addFault({ route: 'PATCH /consents/*', action: 'status', status: 503, retryAfter: 1 });
    try {
      const res = await patch(SIM_TENANT_US, { customerRelationship: { status: 'ConsentDeclined', comment: 'Chose another operator' } });
      expect(res.body.serviceProvisioningStatus).toBe('pending');
      await eventually(async () => ((await hits()) > 0 ? true : undefined)); // the push has met the outage
      await host.sweep();
      const during = await rfi(SIM_TENANT_US);
      expect(during.body).toMatchObject({ serviceProvisioningStatus: 'pending', customerRelationship: { status: 'ConsentDeclined', comment: 'Chose another operator' } });
      expect(host.sim.state.consents.get(SIM_TENANT_US)?.customerRelationship?.status).toBe('AgreementSigned');
    } finally {
      host.sim.removeFault(fault);
    }
    await eventually(async () => ((await rfi(SIM_TENANT_US)).body.serviceProvisioningStatus === 'synced' ? true : undefined));
    expect(host.sim.state.consents.get(SIM_TENANT_US)?.customerRelationship).toMatchObject({ status: 'ConsentDeclined', comment: 'Chose another operator' });

    async function hits(): Promise<number> {
      const res = await fetch(`${host.sim.url}/_sim/faults`);
      const body = (await res.json()) as { value: { id: string; hits: number }[] };
      return body.value.find((f) => f.id === fault)?.hits ?? 0;
    }
  });
});

describe('customer-side changes', () => {
  it('shows a consent the customer removed as removed after the next sweep, and kicks its accounts', async () => {
    kicks = [];
    await simControl(`consents/${SIM_TENANT_GB}:remove`);
    expect((await rfi(SIM_TENANT_GB)).body.status).toBe('active');
    await host.sweep();
    expect((await rfi(SIM_TENANT_GB)).body).toMatchObject({ status: 'removed', accountName: 'rfi-gb' });
    expect(accountKicks()).toEqual(['rfi-gb']);
  });

  it('shows a suspension and a reactivation', async () => {
    await simControl(`consents/${SIM_TENANT_US}:suspend`);
    await host.sweep();
    expect((await rfi(SIM_TENANT_US)).body.status).toBe('suspended');
    await simControl(`consents/${SIM_TENANT_US}:reactivate`);
    await host.sweep();
    expect((await rfi(SIM_TENANT_US)).body.status).toBe('active');
  });

  it('follows the account that names the tenant', async () => {
    expect((await api.put('/accounts/rfi-susp', { json: { name: 'rfi-susp', serviceDetails: { teamsTenantId: SIM_TENANT_SUSPENDED } } })).status).toBe(201);
    await host.sweep();
    expect((await rfi(SIM_TENANT_SUSPENDED)).body.accountName).toBe('rfi-susp');
    expect((await api.delete('/accounts/rfi-susp')).status).toBe(204);
    await host.sweep();
    expect((await rfi(SIM_TENANT_SUSPENDED)).body.accountName).toBeUndefined();
  });
});
