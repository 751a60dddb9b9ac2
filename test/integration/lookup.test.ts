/**
 * Lookup_Route through HTTP against the local host: answers over provisioned data, parameter
 * validation (400 InvalidLookupParameter with the parameter as target), authorization (Lookup.Query
 * only) and the batch route.
 */
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { stopLookupService } from '../../shared/routing/lookupService';

const BASE_DOMAIN = 'gw.example.net';
const HEADER = 'X-Test-Operator';

let host: LocalHost;
let api: ApiClient;
let lookupAuth: Record<string, string>;

interface LookupResult {
  status: number;
  headers: Headers;
  body: any;
}

async function send(path: string, init: RequestInit = {}, auth: Record<string, string> | null = lookupAuth): Promise<LookupResult> {
  const res = await fetch(`${host.baseUrl}${path}`, { ...init, headers: { ...(auth ?? {}), ...((init.headers as Record<string, string>) ?? {}) } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const routeQuery = (params: Record<string, string>) => `/lookup/v1/route?${new URLSearchParams(params).toString()}`;
const lookup = (params: Record<string, string>, auth?: Record<string, string> | null) => send(routeQuery(params), {}, auth);
const batch = (body: unknown, auth?: Record<string, string> | null) =>
  send('/lookup/v1/route:batch', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }, auth);

const DR = (subdomain: string, callScreening = true) => ({
  syncEnabled: false,
  enabled: true,
  configuration: { callScreening, subdomain, subdomainTokens: { region1Token: 't1', region2Token: 't2' } },
});

async function putAccount(name: string, serviceDetails: Record<string, unknown>): Promise<void> {
  const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
  expect([200, 201]).toContain(res.status);
}

async function putNumber(account: string, n: string, serviceDetails: Record<string, unknown>, header?: string): Promise<void> {
  const body = { telephoneNumber: n, accountName: account, serviceDetails, ...(header !== undefined ? { configuration: { customSipHeader: header } } : {}) };
  const res = await api.put(`/accounts/${account}/numbers/${n}`, { json: body });
  expect([200, 201]).toContain(res.status);
}

beforeAll(async () => {
  host = await startLocalHost({ DR_BASE_DOMAIN: BASE_DOMAIN, LOOKUP_HEADER_NAME: HEADER, LOOKUP_MOBILE_PREFIXES: '+4477,+4478' });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  lookupAuth = { authorization: `Bearer ${await host.token(['Lookup.Query'])}` };
  await putAccount('lk-dr', { teamsDirectRouting: DR('lkdr'), zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
  await putAccount('lk-open', { teamsDirectRouting: DR('lkopen', false) });
  await putAccount('lk-zoom', { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true }, azureOperatorCallProtection: { enabled: true } });
  await putNumber('lk-dr', '+14255551001', { teamsDirectRouting: { enabled: true } }, 'dr-1001');
  await putNumber('lk-zoom', '+14255552001', { zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } }, 'zoom-2001');
});

afterAll(async () => {
  stopLookupService();
  await host?.stop();
});

describe('answers', () => {
  it('routes a call from the operator network to a Direct Routing number with its Contact hosts and header', async () => {
    const res = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-lookup-degraded')).toBeNull();
    expect(res.body).toEqual({
      action: 'route',
      destination: 'teamsDirectRouting',
      callProtection: false,
      accountName: 'lk-dr',
      teamsTenantId: null,
      contactHosts: [`lkdr.1r1.${BASE_DOMAIN}`, `lkdr.1r2.${BASE_DOMAIN}`],
      customHeader: { name: HEADER, value: 'dr-1001' },
      defaulted: false,
      ttlSeconds: 1,
    });
  });

  it('routes a Zoom number with Call Protection, and defaults unprovisioned numbers by the mobile prefixes', async () => {
    const zoom = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255552001' });
    expect(zoom.body).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', callProtection: true, accountName: 'lk-zoom', customHeader: { name: HEADER, value: 'zoom-2001' } });
    const fixed = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255559999' });
    expect(fixed.body).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true, accountName: null, customHeader: null });
    const mobile = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+447700900123' });
    expect(mobile.body).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', defaulted: true });
  });

  it('screens Direct Routing callers by the subdomain the call arrived on (403), and honours screening off', async () => {
    const own = await lookup({ direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'LKDR' });
    expect(own.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-dr', customHeader: { name: HEADER, value: 'dr-1001' } });
    const spoofed = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkdr' });
    expect(spoofed.body).toMatchObject({ action: 'reject', sipStatus: 403, reason: 'CallerIdScreeningFailed', accountName: 'lk-dr' });
    // Screening off: any Direct Routing number passes; a number without Direct Routing still does not.
    const unscreened = await lookup({ direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkopen' });
    expect(unscreened.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-open' });
    const notDr = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkopen' });
    expect(notDr.body).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', accountName: 'lk-open' });
    const unknown = await lookup({ direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'nosuch' });
    expect(unknown.body).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'UnknownSubdomain' });
  });

  it('echoes x-ms-client-request-id and needs no api-version', async () => {
    const res = await send(routeQuery({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001' }), { headers: { 'x-ms-client-request-id': 'sbc-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-client-request-id')).toBe('sbc-42');
  });
});

describe('parameter validation', () => {
  const ok = { direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkdr' };
  const without = (name: keyof typeof ok) => Object.fromEntries(Object.entries(ok).filter(([k]) => k !== name));
  const cases: Array<[name: string, query: string, target: string]> = [
    ['missing direction', new URLSearchParams(without('direction')).toString(), 'direction'],
    ['unknown direction', new URLSearchParams({ ...ok, direction: 'sideways' }).toString(), 'direction'],
    ['missing from', new URLSearchParams(without('from')).toString(), 'from'],
    ['from without +', new URLSearchParams({ ...ok, from: '14255551001' }).toString(), 'from'],
    ['from starting with 0', new URLSearchParams({ ...ok, from: '+04255551001' }).toString(), 'from'],
    ['from longer than 15 digits', new URLSearchParams({ ...ok, from: '+1234567890123456' }).toString(), 'from'],
    ['from with letters', new URLSearchParams({ ...ok, from: '+1425555CALL' }).toString(), 'from'],
    ['bad to', new URLSearchParams({ ...ok, to: '+1' }).toString(), 'to'],
    ['origin missing for toOperator', new URLSearchParams(without('origin')).toString(), 'origin'],
    ['unknown origin', new URLSearchParams({ ...ok, origin: 'skype' }).toString(), 'origin'],
    ['subdomain missing for Direct Routing', new URLSearchParams(without('subdomain')).toString(), 'subdomain'],
    ['subdomain not a label', new URLSearchParams({ ...ok, subdomain: 'a.b' }).toString(), 'subdomain'],
    ['subdomain empty', new URLSearchParams({ ...ok, subdomain: '' }).toString(), 'subdomain'],
    ['repeated from', `${new URLSearchParams(ok).toString()}&from=%2B14255552001`, 'from'],
    ['an unknown parameter', `${new URLSearchParams(ok).toString()}&orgin=teamsDirectRouting`, 'orgin'],
    ['api-version (the lookup is versioned by its path)', `${new URLSearchParams(ok).toString()}&api-version=2024-02-29-preview`, 'api-version'],
  ];

  it.each(cases.map(([name, query, target]) => [name, target, query]))('%s → 400 InvalidLookupParameter with target %s', async (_name, target, query) => {
    const res = await send(`/lookup/v1/route?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ms-error-code')).toBe('InvalidLookupParameter');
    expect(res.body.error).toMatchObject({ code: 'InvalidLookupParameter', target });
    expect(typeof res.body.error.message).toBe('string');
  });

  it('accepts 15 digits, and ignores origin and subdomain where they do not matter', async () => {
    const longest = await send(`/lookup/v1/route?direction=fromOperator&from=%2B123456789012345&to=%2B14255551001&origin=skype&subdomain=a.b`);
    expect(longest.status).toBe(200);
    expect(longest.body.accountName).toBe('lk-dr');
    const zoom = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'zoomPhoneCloudPeering', subdomain: 'not.a.label' });
    expect(zoom.body).toMatchObject({ action: 'route', accountName: 'lk-zoom' });
  });

  const batchCases: Array<[string, unknown, string]> = [
    ['a body without questions', { answers: [] }, 'questions'],
    ['questions not an array', { questions: { direction: 'fromOperator' } }, 'questions'],
    ['an empty batch', { questions: [] }, 'questions'],
    ['a batch of 101', { questions: Array.from({ length: 101 }, () => ({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001' })) }, 'questions'],
    ['an item that is not an object', { questions: [{ direction: 'fromOperator', from: '+33123456789', to: '+14255551001' }, 'x'] }, 'questions[1]'],
    [
      'a bad number in item 3',
      { questions: [0, 1, 2, 3].map((i) => ({ direction: 'fromOperator', from: i === 3 ? '0800' : '+33123456789', to: '+14255551001' })) },
      'questions[3].from',
    ],
    ['a number that is not a string', { questions: [{ direction: 'fromOperator', from: 33123456789, to: '+14255551001' }] }, 'questions[0].from'],
    ['an unknown field', { questions: [{ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trace: 1 }] }, 'questions[0].trace'],
    ['a body that is not JSON', '{"questions": [', 'body'],
  ];

  it.each(batchCases.map(([name, body, target]) => [name, target, body] as const))('batch with %s → 400 InvalidLookupParameter with target %s', async (_name, target, body) => {
    const res = await batch(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-ms-error-code')).toBe('InvalidLookupParameter');
    expect(res.body.error).toMatchObject({ code: 'InvalidLookupParameter', target });
  });

  it('lists every bad question of a batch in details, the first as the target', async () => {
    const questions = [
      { direction: 'fromOperator', from: '+33123456789', to: '+14255551001' },
      { direction: 'toOperator', from: '+33123456789', to: '+14255551001' },
      { direction: 'fromOperator', from: '+33123456789', to: 'x' },
    ];
    const res = await batch({ questions });
    expect(res.status).toBe(400);
    expect(res.body.error.target).toBe('questions[1].origin');
    expect(res.body.error.details.map((d: { target: string }) => d.target)).toEqual(['questions[1].origin', 'questions[2].to']);
  });

  it('answers an unknown operation with 404 and a wrong method with 405, as Azure.Core errors', async () => {
    const unknown = await send('/lookup/v1/routes?direction=fromOperator');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-ms-error-code')).toBe('NotFound');
    const post = await send(routeQuery({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001' }), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const getBatch = await send('/lookup/v1/route:batch');
    expect(getBatch.status).toBe(405);
    expect(getBatch.headers.get('allow')).toBe('POST');
  });
});

describe('authorization', () => {
  const question = { direction: 'fromOperator', from: '+33123456789', to: '+14255551001' };

  it('refuses a request without a token with 401, before looking at its parameters', async () => {
    const res = await lookup({ direction: 'nowhere' }, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ms-error-code')).toBe('Unauthorized');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const batched = await batch({ questions: [question] }, null);
    expect(batched.status).toBe(401);
  });

  it('refuses an Admin-only token with 403: the lookup is not for BSS clients', async () => {
    const admin = await host.adminHeaders();
    const res = await lookup(question, admin);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ms-error-code')).toBe('Forbidden');
    // The same token again is refused again (a cached verification keeps the refusal).
    expect((await lookup(question, admin)).status).toBe(403);
  });

  it('accepts a Lookup.Query token, and refuses expired or tampered ones', async () => {
    expect((await lookup(question)).status).toBe(200);
    const expired = await host.auth.issuer.issueToken({ roles: ['Lookup.Query'], expiresInSeconds: -120 });
    expect((await lookup(question, { authorization: `Bearer ${expired}` })).status).toBe(401);
    const token = lookupAuth.authorization as string;
    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await lookup(question, { authorization: tampered })).status).toBe(401);
  });
});

describe('batch', () => {
  it('answers 100 questions in order, provisioned and unprovisioned mixed', async () => {
    const numberAt = (i: number) => `+1425555${String(3000 + i)}`;
    const provisioned = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 2 === 0);
    const numbers = provisioned.map((i) => ({
      telephoneNumber: numberAt(i),
      accountName: 'lk-zoom',
      serviceDetails: { zoomPhoneCloudPeering: { enabled: true } },
      configuration: { customSipHeader: `h-${i}` },
    }));
    const created = await api.post('/accounts/lk-zoom:createOrUpdateNumbers', { json: { numbers } });
    expect(created.status).toBe(200);

    const questions = Array.from({ length: 100 }, (_, i) => ({ direction: 'fromOperator', from: '+33123456789', to: numberAt(i) }));
    const res = await batch({ questions });
    expect(res.status).toBe(200);
    expect(res.body.answers).toHaveLength(100);
    res.body.answers.forEach((answer: any, i: number) => {
      if (i % 2 === 0) expect(answer).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', customHeader: { value: `h-${i}` } });
      else expect(answer).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true });
    });
    // The same questions one by one give the same answers.
    for (const i of [0, 1, 50, 99]) expect((await lookup(questions[i] as Record<string, string>)).body).toEqual(res.body.answers[i]);
  });
});
