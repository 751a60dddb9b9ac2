/**
 * Behaviour that mutation testing found unnamed: displayedCountryCode round-trips on a number, the
 * accounts filter on serviceDetails/<service>/syncEnabled, If-(Un)Modified-Since at the equal-second
 * boundary, and the target/message of the 409 NumberInOtherAccount and ServiceInUse answers.
 */
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const TENANT = '11111111-2222-3333-4444-555555555555';

let host: LocalHost;
let api: ApiClient;

async function putAccount(name: string, serviceDetails: Record<string, unknown>): Promise<void> {
  const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
  expect([200, 201]).toContain(res.status);
}

const putNumber = (account: string, n: string, serviceDetails: Record<string, unknown>) =>
  api.put(`/accounts/${account}/numbers/${n}`, { json: { telephoneNumber: n, accountName: account, serviceDetails } });

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

const namesIn = (res: ApiResult): string[] => res.body.value.map((a: { name: string }) => a.name).sort();

const OC_CONFIG = { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'] };

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  await putAccount('nb-oc', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: false, enabled: true } });
  await putAccount('nb-zoom', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
});

afterAll(async () => {
  await host?.stop();
});

describe('displayedCountryCode on a number', () => {
  const N = '+14255557001';
  const oc = (config: Record<string, unknown>) => ({ teamsOperatorConnect: { enabled: true, configuration: config } });
  const dcc = (res: ApiResult) => res.body?.serviceDetails?.teamsOperatorConnect?.configuration?.displayedCountryCode;

  it('survives a PUT, reads back unchanged, and changes or goes only when the client changes it', async () => {
    const created = await putNumber('nb-oc', N, oc({ ...OC_CONFIG, displayedCountryCode: 'US' }));
    expect(created.status).toBe(201);
    expect(dcc(created)).toBe('US');
    expect(dcc(await api.get(`/accounts/nb-oc/numbers/${N}`))).toBe('US');

    const replaced = await putNumber('nb-oc', N, oc({ ...OC_CONFIG, displayedCountryCode: 'US' }));
    expect(replaced.status).toBe(200);
    expect(dcc(await api.get(`/accounts/nb-oc/numbers/${N}`))).toBe('US');

    const changed = await putNumber('nb-oc', N, oc({ ...OC_CONFIG, displayedCountryCode: 'GB' }));
    expect(changed.status).toBe(200);
    expect(dcc(await api.get(`/accounts/nb-oc/numbers/${N}`))).toBe('GB');

    const dropped = await putNumber('nb-oc', N, oc(OC_CONFIG));
    expect(dropped.status).toBe(200);
    const read = await api.get(`/accounts/nb-oc/numbers/${N}`);
    expect(read.status).toBe(200);
    expect(read.body.serviceDetails.teamsOperatorConnect.configuration).not.toHaveProperty('displayedCountryCode');
  });
});

describe('accounts filter on syncEnabled', () => {
  beforeAll(async () => {
    await putAccount('nbsync-oc', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: true, enabled: true } });
    await putAccount('nbsync-tpm', { teamsTenantId: TENANT, teamsPhoneMobile: { syncEnabled: true, enabled: true } });
    await putAccount('nbsync-none', { teamsTenantId: TENANT, teamsOperatorConnect: { syncEnabled: false, enabled: true }, teamsPhoneMobile: { syncEnabled: false, enabled: true } });
  });

  const list = (filter: string) => api.get('/accounts', { query: { filter: `startswith(name,'nbsync-') and ${filter}` } });

  it('serviceDetails/teamsOperatorConnect/syncEnabled eq true returns exactly the OC-sync account', async () => {
    const res = await list('serviceDetails/teamsOperatorConnect/syncEnabled eq true');
    expect(res.status).toBe(200);
    expect(namesIn(res)).toEqual(['nbsync-oc']);
  });

  it('serviceDetails/teamsPhoneMobile/syncEnabled eq true returns exactly the TPM-sync account', async () => {
    const res = await list('serviceDetails/teamsPhoneMobile/syncEnabled eq true');
    expect(res.status).toBe(200);
    expect(namesIn(res)).toEqual(['nbsync-tpm']);
  });

  it('serviceDetails/teamsOperatorConnect/syncEnabled eq false returns the others', async () => {
    const res = await list('serviceDetails/teamsOperatorConnect/syncEnabled eq false');
    expect(res.status).toBe(200);
    expect(namesIn(res)).toEqual(['nbsync-none', 'nbsync-tpm']);
  });
});

describe('If-Modified-Since / If-Unmodified-Since compare whole seconds', () => {
  const A = 'nb-dates';
  let lastModified: string;
  const earlier = () => new Date(Date.parse(lastModified) - 1000).toUTCString();

  beforeAll(async () => {
    const res = await api.put(`/accounts/${A}`, { json: { name: A, serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } } } });
    expect(res.status).toBe(201);
    const read = await api.get(`/accounts/${A}`);
    lastModified = read.headers.get('last-modified') ?? '';
    expect(lastModified).toMatch(/GMT$/);
  });

  it('If-Modified-Since equal to Last-Modified → 304; one second earlier → 200', async () => {
    expect((await api.get(`/accounts/${A}`, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    const older = await api.get(`/accounts/${A}`, { headers: { 'If-Modified-Since': earlier() } });
    expect(older.status).toBe(200);
    expect(older.body.name).toBe(A);
  });

  it('If-Unmodified-Since equal to Last-Modified passes; one second earlier → 412', async () => {
    expect((await api.get(`/accounts/${A}`, { headers: { 'If-Unmodified-Since': lastModified } })).status).toBe(200);
    expectError(await api.get(`/accounts/${A}`, { headers: { 'If-Unmodified-Since': earlier() } }), 412, 'PreconditionFailed');
  });
});

describe('409 target and message', () => {
  it('NumberInOtherAccount targets telephoneNumber and names the number', async () => {
    const N = '+14255557101';
    expect((await putNumber('nb-zoom', N, { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
    await putAccount('nb-zoom2', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
    const res = await putNumber('nb-zoom2', N, { zoomPhoneCloudPeering: { enabled: true } });
    expectError(res, 409, 'NumberInOtherAccount');
    expect(res.body.error.target).toBe('telephoneNumber');
    expect(res.body.error.message).toContain(N);
  });

  it('ServiceInUse targets the service and names it in the message', async () => {
    await putAccount('nb-inuse', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
    expect((await putNumber('nb-inuse', '+14255557201', { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
    const res = await api.put('/accounts/nb-inuse', { json: { name: 'nb-inuse', serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: false } } } });
    expectError(res, 409, 'ServiceInUse');
    expect(res.body.error.target).toBe('serviceDetails.zoomPhoneCloudPeering');
    expect(res.body.error.message).toContain('zoomPhoneCloudPeering');
  });
});
