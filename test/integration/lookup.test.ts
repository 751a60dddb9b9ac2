/**
 * Lookup_Route through HTTP against the local host: answers over provisioned data, parameter
 * validation (400 InvalidLookupParameter with the parameter as target), authorization (Lookup.Query
 * only), the batch route, trunk defaults, Zoom verification numbers, the header name `custom_header`
 * (ACG's own example: an RFC 3261 token with '_') and stored header values that are not sendable.
 */
import { TableClient } from '@azure/data-tables';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { stopLookupService } from '../../shared/lookup/lookupService';

const BASE_DOMAIN = 'gw.example.net';
const HEADER = 'custom_header';
/** A Zoom service-verification number (LOOKUP_ZOOM_VERIFICATION_NUMBERS), provisioned below for Operator Connect. */
const ZOOM_VERIFICATION = '+16465550100';

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
  // Every refusal logs auth.rejected (asserted in lookup.test.ts and requestLogContext.test.ts); keep the run's output readable.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost({
    DR_BASE_DOMAIN: BASE_DOMAIN,
    LOOKUP_HEADER_NAME: HEADER,
    LOOKUP_MOBILE_PREFIXES: '+4477,+4478',
    LOOKUP_TRUNK_DEFAULTS: 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile,lab.none=none',
    LOOKUP_ZOOM_VERIFICATION_NUMBERS: ZOOM_VERIFICATION,
    // These tests are about answers, not deadlines (lookupOutage.test.ts is): a cold read on a busy
    // shared machine may take longer than the 1 s default and would turn an answer into the 503.
    LOOKUP_STORAGE_TIMEOUT_MS: '10000',
  });
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
      defaultedBy: null,
      ttlSeconds: 1,
    });
  });

  it('routes a Zoom number with Call Protection, and defaults unprovisioned numbers by the mobile prefixes', async () => {
    const zoom = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255552001' });
    expect(zoom.body).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', callProtection: true, accountName: 'lk-zoom', customHeader: { name: HEADER, value: 'zoom-2001' } });
    const fixed = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255559999' });
    expect(fixed.body).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true, defaultedBy: 'fixedLine', accountName: null, customHeader: null });
    const mobile = await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+447700900123' });
    expect(mobile.body).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', defaulted: true, defaultedBy: 'mobilePrefix' });
  });

  it('screens Direct Routing callers by the subdomain the call arrived on (403), and honours screening off', async () => {
    const own = await lookup({ direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'LKDR' });
    expect(own.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-dr', customHeader: { name: HEADER, value: 'dr-1001' } });
    const spoofed = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkdr' });
    expect(spoofed.body).toMatchObject({ action: 'reject', sipStatus: 403, reason: 'CallerIdScreeningFailed', accountName: 'lk-dr' });
    // Screening off: no check, every calling number routes; a number of another account lends the call
    // neither its header nor its Call Protection.
    const unscreened = await lookup({ direction: 'toOperator', from: '+14255551001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkopen' });
    expect(unscreened.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-open', customHeader: null, callProtection: false });
    const notDr = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkopen' });
    expect(notDr.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-open', customHeader: null, callProtection: false });
    const unprovisioned = await lookup({ direction: 'toOperator', from: '+14255559998', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'lkopen' });
    expect(unprovisioned.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'lk-open', customHeader: null, defaulted: false });
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
    ['trunk empty', new URLSearchParams({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: '' }).toString(), 'trunk'],
    ['trunk with a space', new URLSearchParams({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 'operator fixed' }).toString(), 'trunk'],
    ['trunk of 65 characters', new URLSearchParams({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 't'.repeat(65) }).toString(), 'trunk'],
    ['repeated trunk', `${new URLSearchParams({ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 'operator-fixed' }).toString()}&trunk=operator-mobile`, 'trunk'],
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
    [
      'a bad trunk in item 1',
      { questions: [{ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 'operator-fixed' }, { direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 'a/b' }] },
      'questions[1].trunk',
    ],
    ['a trunk that is not a string', { questions: [{ direction: 'fromOperator', from: '+33123456789', to: '+14255551001', trunk: 7 }] }, 'questions[0].trunk'],
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

  it('logs each refusal as the API does (auth.rejected with operation, status and reason), never the token', async () => {
    const warn = jest.mocked(console.warn); // silenced for the whole file in beforeAll
    warn.mockClear();
    expect((await lookup(question, null)).status).toBe(401);
    expect((await lookup(question, await host.adminHeaders())).status).toBe(403);
    const lines = warn.mock.calls.map(([line]) => String(line));
    const rejections = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.event === 'auth.rejected');
    expect(rejections).toEqual([
      expect.objectContaining({ level: 'warn', operationId: 'Lookup_Route', status: 401, path: '/lookup/v1/route', reason: expect.any(String) }),
      expect.objectContaining({ level: 'warn', operationId: 'Lookup_Route', status: 403, path: '/lookup/v1/route', reason: expect.any(String) }),
    ]);
    expect(lines.join('\n')).not.toMatch(/Bearer |eyJ/);
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

describe('trunk defaults (LOOKUP_TRUNK_DEFAULTS) for numbers without a destination service', () => {
  const CP_ONLY = '+14255554001';
  const call = (to: string, trunk?: string) => lookup({ direction: 'fromOperator', from: '+33123456789', to, ...(trunk === undefined ? {} : { trunk }) });

  beforeAll(async () => {
    await putNumber('lk-zoom', CP_ONLY, { azureOperatorCallProtection: { enabled: true } });
  });

  it('takes the trunk\'s service before the number\'s prefix, and none on a trunk mapped to none', async () => {
    expect((await call('+14255559901', 'operator-mobile')).body).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', defaulted: true, defaultedBy: 'trunk', accountName: null, customHeader: null });
    expect((await call('+447700900124', 'operator-fixed')).body).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true, defaultedBy: 'trunk' });
    expect((await call('+14255559902', 'lab.none')).body).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', defaulted: false, defaultedBy: null });
  });

  it('falls back to the prefix rule on a trunk the settings do not list, and without a trunk', async () => {
    expect((await call('+447700900125', 'sbc-east-9')).body).toMatchObject({ destination: 'teamsPhoneMobile', defaultedBy: 'mobilePrefix' });
    expect((await call('+14255559903', 'sbc-east-9')).body).toMatchObject({ destination: 'teamsOperatorConnect', defaultedBy: 'fixedLine' });
    expect((await call('+447700900125')).body).toMatchObject({ destination: 'teamsPhoneMobile', defaultedBy: 'mobilePrefix' });
  });

  it('does not apply to a provisioned destination number', async () => {
    expect((await call('+14255551001', 'operator-mobile')).body).toMatchObject({ action: 'route', destination: 'teamsDirectRouting', defaulted: false, defaultedBy: null, accountName: 'lk-dr' });
    expect((await call('+14255551001', 'lab.none')).body).toMatchObject({ action: 'route', destination: 'teamsDirectRouting' });
  });

  it('routes a Call-Protection-only number by the default, forking to Call Protection, in both directions', async () => {
    expect((await call(CP_ONLY)).body).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', callProtection: true, defaulted: true, defaultedBy: 'fixedLine', customHeader: null });
    expect((await call(CP_ONLY, 'operator-mobile')).body).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', callProtection: true, defaultedBy: 'trunk' });
    expect((await call(CP_ONLY, 'lab.none')).body).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', callProtection: false });
    for (const origin of ['teamsOperatorConnect', 'teamsPhoneMobile']) {
      const out = await lookup({ direction: 'toOperator', from: CP_ONLY, to: '+33123456789', origin });
      expect(out.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', callProtection: true, defaulted: true, defaultedBy: 'origin' });
    }
  });

  it('answers a batch with trunks as it answers each question, and ignores trunk towards the operator network', async () => {
    const questions = [
      { direction: 'fromOperator', from: '+33123456789', to: '+14255559904', trunk: 'operator-mobile' },
      { direction: 'fromOperator', from: '+33123456789', to: '+14255559904', trunk: 'lab.none' },
      { direction: 'fromOperator', from: '+33123456789', to: '+14255559904' },
    ];
    const res = await batch({ questions });
    expect(res.status).toBe(200);
    expect(res.body.answers.map((a: { destination?: string; reason?: string }) => a.destination ?? a.reason)).toEqual(['teamsPhoneMobile', 'NumberNotProvisioned', 'teamsOperatorConnect']);
    for (const [i, q] of questions.entries()) expect((await lookup(q as Record<string, string>)).body).toEqual(res.body.answers[i]);
    const out = await lookup({ direction: 'toOperator', from: '+14255552001', to: '+33123456789', origin: 'zoomPhoneCloudPeering', trunk: 'not a trunk' });
    expect(out.body).toMatchObject({ action: 'route', accountName: 'lk-zoom' });
  });
});

describe('Zoom service-verification numbers (LOOKUP_ZOOM_VERIFICATION_NUMBERS)', () => {
  const CONTROL = '+16465550101';

  beforeAll(async () => {
    await putAccount('lk-oc', { teamsTenantId: '44444444-4444-4444-8444-444444444444', teamsOperatorConnect: { syncEnabled: false, enabled: true } });
  });

  it('routes calls to one to Zoom by the built-in rule, provisioned or not, on any trunk', async () => {
    const before = await lookup({ direction: 'fromOperator', from: '+33123456789', to: ZOOM_VERIFICATION });
    expect(before.body).toEqual({
      action: 'route',
      destination: 'zoomPhoneCloudPeering',
      callProtection: false,
      accountName: null,
      teamsTenantId: null,
      contactHosts: [],
      customHeader: null,
      defaulted: true,
      defaultedBy: 'zoomVerification',
      ttlSeconds: 1,
    });
    // Provisioned for Operator Connect with a header, like the control number: the control changes, it does not.
    await putNumber('lk-oc', ZOOM_VERIFICATION, { teamsOperatorConnect: { enabled: true } }, 'zv-1');
    await putNumber('lk-oc', CONTROL, { teamsOperatorConnect: { enabled: true } }, 'ctl-1');
    const control = await lookup({ direction: 'fromOperator', from: '+33123456789', to: CONTROL });
    expect(control.body).toMatchObject({ destination: 'teamsOperatorConnect', accountName: 'lk-oc', customHeader: { name: HEADER, value: 'ctl-1' } });
    for (const trunk of ['operator-fixed', 'lab.none']) {
      expect((await lookup({ direction: 'fromOperator', from: '+33123456789', to: ZOOM_VERIFICATION, trunk })).body).toEqual(before.body);
    }
    expect((await lookup({ direction: 'fromOperator', from: '+33123456789', to: ZOOM_VERIFICATION })).body).toEqual(before.body);
  });

  it('lets calls from Zoom with one as the calling number out; other origins use the ordinary rules', async () => {
    const fromZoom = await lookup({ direction: 'toOperator', from: ZOOM_VERIFICATION, to: '+33123456789', origin: 'zoomPhoneCloudPeering' });
    expect(fromZoom.body).toMatchObject({ action: 'route', destination: 'operatorNetwork', defaulted: true, defaultedBy: 'zoomVerification', accountName: null, customHeader: null });
    const notZoom = await lookup({ direction: 'toOperator', from: '+16465550102', to: '+33123456789', origin: 'zoomPhoneCloudPeering' });
    expect(notZoom.body).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned' });
    const fromOc = await lookup({ direction: 'toOperator', from: ZOOM_VERIFICATION, to: '+33123456789', origin: 'teamsOperatorConnect' });
    expect(fromOc.body).toMatchObject({ action: 'route', defaulted: false, accountName: 'lk-oc', customHeader: { name: HEADER, value: 'zv-1' } });
  });
});

describe('stored header values the Provisioning API would refuse', () => {
  /** Rows written straight into the number index, as a hand-made or foreign writer could. */
  const ROWS: ReadonlyArray<[number: string, header: string]> = [
    ['+14255557001', 'direct-ok'],
    ['+14255557002', 'ok\r\nX-Evil: 1'],
    ['+14255557003', 'x'.repeat(101)],
    ['+14255557004', 'has space'],
  ];

  beforeAll(async () => {
    await putAccount('lk-raw', { teamsOperatorConnect: { syncEnabled: false, enabled: true } });
    const index = TableClient.fromConnectionString(host.connectionString, `${host.tablePrefix}numberindex`, { allowInsecureConnection: true });
    for (const [n, customSipHeader] of ROWS) {
      await index.upsertEntity({
        partitionKey: n.slice(0, 9),
        rowKey: n,
        accountName: 'lk-raw',
        state: 'active',
        customSipHeader,
        teamsOperatorConnect: true,
        teamsDirectRouting: false,
        teamsPhoneMobile: false,
        zoomPhoneCloudPeering: false,
        azureOperatorCallProtection: false,
      });
    }
  });

  it('answers without the header and logs the number once per load, not per call', async () => {
    const warn = jest.spyOn(console, 'warn');
    try {
      const ask = (n: string) => lookup({ direction: 'fromOperator', from: '+33123456789', to: n });
      // The control row proves the direct write is what the lookup reads.
      expect((await ask('+14255557001')).body).toMatchObject({ destination: 'teamsOperatorConnect', accountName: 'lk-raw', customHeader: { name: HEADER, value: 'direct-ok' } });
      for (const [n] of ROWS.slice(1)) {
        for (let call = 0; call < 3; call++) {
          expect((await ask(n)).body).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', accountName: 'lk-raw', customHeader: null });
        }
        const out = await lookup({ direction: 'toOperator', from: n, to: '+33123456789', origin: 'teamsOperatorConnect' });
        expect(out.body).toMatchObject({ action: 'route', accountName: 'lk-raw', customHeader: null });
      }
      const refusals = warn.mock.calls.map((args) => String(args[0])).filter((line) => line.includes('lookup.header.refused'));
      expect(refusals.map((line) => JSON.parse(line).telephoneNumber)).toEqual(ROWS.slice(1).map(([n]) => n));
      for (const line of refusals) expect(line).not.toContain('X-Evil');
    } finally {
      warn.mockRestore();
    }
  });
});
