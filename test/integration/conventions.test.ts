import { TableClient } from '@azure/data-tables';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { accountBody, numberBody } from '../support/fixtures';

let host: LocalHost;
let api: ApiClient;
let seq = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${seq++}`;
let numSeq = 1000;
const nextNumber = () => `+1425555${String(numSeq++).padStart(4, '0')}`;


async function createAccount(name: string): Promise<string> {
  const r = await api.put(`/accounts/${name}`, { json: accountBody(name) });
  expect(r.status).toBe(201);
  return r.headers.get('etag') as string;
}

async function tableRows(table: string): Promise<string[]> {
  const client = TableClient.fromConnectionString(host.connectionString, host.tablePrefix + table, { allowInsecureConnection: true });
  const out: string[] = [];
  try {
    for await (const e of client.listEntities()) out.push(`${e.partitionKey}|${e.rowKey}|${e.etag}`);
  } catch (err: any) {
    if (err?.statusCode !== 404) throw err;
  }
  return out.sort();
}
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of ['accounts', 'numbers', 'numberindex', 'subdomains', 'changes']) out[t] = await tableRows(t);
  return out;
}

function expectError(r: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(r.headers.get('x-ms-error-code')).toBe(code);
}

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(async () => {
  await host?.stop();
});

describe('api-version', () => {
  it('missing api-version -> 400 MissingApiVersion on several routes', async () => {
    const a = uniq('av');
    await createAccount(a);
    for (const [m, p] of [
      ['GET', '/accounts'],
      ['GET', `/accounts/${a}`],
      ['PUT', `/accounts/${a}`],
      ['GET', `/accounts/${a}/numbers`],
      ['GET', '/numbers'],
      ['POST', `/accounts/${a}:createOrUpdateNumbers`],
      ['DELETE', `/accounts/${a}`],
    ] as const) {
      const r = await api.request(m, p, { apiVersion: null, ...(m === 'PUT' ? { json: accountBody(a) } : m === 'POST' ? { json: { numbers: [] } } : {}) });
      expectError(r, 400, 'MissingApiVersion');
    }
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
  });

  it('unsupported api-version -> 400 UnsupportedApiVersion on several routes', async () => {
    const a = uniq('uv');
    await createAccount(a);
    for (const v of ['2023-01-01', '2024-02-29', 'garbage', '2024-02-29-PREVIEW']) {
      for (const [m, p] of [
        ['GET', '/accounts'],
        ['GET', `/accounts/${a}`],
        ['GET', '/numbers'],
        ['DELETE', `/accounts/${a}`],
      ] as const) {
        const r = await api.request(m, p, { apiVersion: v });
        expectError(r, 400, 'UnsupportedApiVersion');
      }
    }
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
  });
});

describe('x-ms-client-request-id', () => {
  it('is echoed on success and on errors', async () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const ok = await api.get('/accounts', { headers: { 'x-ms-client-request-id': id } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ms-client-request-id')).toBe(id);
    const nf = await api.get(`/accounts/${uniq('missing')}`, { headers: { 'x-ms-client-request-id': id } });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('x-ms-client-request-id')).toBe(id);
    const bad = await api.get('/accounts', { apiVersion: null, headers: { 'x-ms-client-request-id': id } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ms-client-request-id')).toBe(id);
    const a = uniq('crid');
    const created = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'x-ms-client-request-id': id } });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-ms-client-request-id')).toBe(id);
    const del = await api.delete(`/accounts/${a}`, { headers: { 'x-ms-client-request-id': id } });
    expect(del.status).toBe(204);
    expect(del.headers.get('x-ms-client-request-id')).toBe(id);
  });
});

describe('conditional requests', () => {
  it('ETag on GET and PUT; If-None-Match -> 304 / 200; If-Modified-Since future -> 304', async () => {
    const a = uniq('etag');
    const put = await api.put(`/accounts/${a}`, { json: accountBody(a) });
    expect(put.status).toBe(201);
    const etag = put.headers.get('etag');
    expect(etag).toMatch(/^"/);
    const get = await api.get(`/accounts/${a}`);
    expect(get.status).toBe(200);
    expect(get.headers.get('etag')).toBe(etag);

    const nm = await api.get(`/accounts/${a}`, { headers: { 'if-none-match': etag as string } });
    expect(nm.status).toBe(304);
    expect(nm.text).toBe('');
    const other = await api.get(`/accounts/${a}`, { headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    expect(other.body.name).toBe(a);

    const future = new Date(Date.now() + 3600_000).toUTCString();
    const ims = await api.get(`/accounts/${a}`, { headers: { 'if-modified-since': future } });
    expect(ims.status).toBe(304);
    expect(ims.text).toBe('');
    const past = new Date(Date.now() - 3600_000).toUTCString();
    expect((await api.get(`/accounts/${a}`, { headers: { 'if-modified-since': past } })).status).toBe(200);

    // numbers too
    const n = nextNumber();
    const np = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
    expect(np.status).toBe(201);
    const netag = np.headers.get('etag') as string;
    expect(netag).toBeTruthy();
    const ng = await api.get(`/accounts/${a}/numbers/${n}`);
    expect(ng.headers.get('etag')).toBe(netag);
    expect((await api.get(`/accounts/${a}/numbers/${n}`, { headers: { 'if-none-match': netag } })).status).toBe(304);
  });

  it('PUT with stale If-Match -> 412 and nothing changed', async () => {
    const a = uniq('stale');
    const etag1 = await createAccount(a);
    const upd = await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'second' }), headers: { 'if-match': etag1 } });
    expect(upd.status).toBe(200);
    const etag2 = upd.headers.get('etag') as string;
    expect(etag2).not.toBe(etag1);
    const before = await snapshot();
    const stale = await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'third' }), headers: { 'if-match': etag1 } });
    expectError(stale, 412, 'PreconditionFailed');
    expect(await snapshot()).toEqual(before);
    const g = await api.get(`/accounts/${a}`);
    expect(g.body.correlationId).toBe('second');
    expect(g.headers.get('etag')).toBe(etag2);

    const n = nextNumber();
    const np = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
    const nOld = np.headers.get('etag') as string;
    const nUpd = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n, { configuration: { customSipHeader: 'x1' } }), headers: { 'if-match': nOld } });
    expect(nUpd.status).toBe(200);
    const nStale = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n, { configuration: { customSipHeader: 'x2' } }), headers: { 'if-match': nOld } });
    expectError(nStale, 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}/numbers/${n}`)).body.configuration?.customSipHeader).toBe('x1');
  });

  it('If-Match on a missing resource -> 412 and nothing created', async () => {
    const a = uniq('im');
    const r = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'if-match': '"abc"' } });
    expectError(r, 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
    const star = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'if-match': '*' } });
    expectError(star, 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
    const b = uniq('imn');
    await createAccount(b);
    const n = nextNumber();
    const rn = await api.put(`/accounts/${b}/numbers/${n}`, { json: numberBody(b, n), headers: { 'if-match': '"abc"' } });
    expectError(rn, 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${b}/numbers/${n}`)).status).toBe(404);
  });

  it('If-None-Match: * -> 412 on existing, 201 on new', async () => {
    const a = uniq('inm');
    const r1 = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'if-none-match': '*' } });
    expect(r1.status).toBe(201);
    const r2 = await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'changed' }), headers: { 'if-none-match': '*' } });
    expectError(r2, 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}`)).body.correlationId).toBeUndefined();
    const n = nextNumber();
    expect((await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n), headers: { 'if-none-match': '*' } })).status).toBe(201);
    expectError(await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n), headers: { 'if-none-match': '*' } }), 412, 'PreconditionFailed');
  });

  it('DELETE with stale If-Match -> 412; If-Unmodified-Since in the past -> 412', async () => {
    const a = uniq('del');
    const e1 = await createAccount(a);
    await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'v2' }) });
    expectError(await api.delete(`/accounts/${a}`, { headers: { 'if-match': e1 } }), 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
    const past = new Date(Date.now() - 24 * 3600_000).toUTCString();
    expectError(await api.delete(`/accounts/${a}`, { headers: { 'if-unmodified-since': past } }), 412, 'PreconditionFailed');
    expectError(await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'v3' }), headers: { 'if-unmodified-since': past } }), 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}`)).body.correlationId).toBe('v2');
    const n = nextNumber();
    const np = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
    await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n, { configuration: { customSipHeader: 'h' } }) });
    expectError(await api.delete(`/accounts/${a}/numbers/${n}`, { headers: { 'if-match': np.headers.get('etag') as string } }), 412, 'PreconditionFailed');
    expect((await api.get(`/accounts/${a}/numbers/${n}`)).status).toBe(200);
    const cur = (await api.get(`/accounts/${a}`)).headers.get('etag') as string;
    const future = new Date(Date.now() + 3600_000).toUTCString();
    expect((await api.get(`/accounts/${a}`, { headers: { 'if-unmodified-since': future } })).status).toBe(200);
    expect((await api.delete(`/accounts/${a}`, { headers: { 'if-match': cur }, query: { deleteNumbers: true } })).status).toBe(204);
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
  });

  it('malformed date header -> 400', async () => {
    const a = uniq('md');
    await createAccount(a);
    for (const h of ['if-modified-since', 'if-unmodified-since']) {
      for (const v of ['yesterday', '2024-13-45', 'Mon, 99 Foo 2024 99:99:99 GMT', '12345']) {
        const r = await api.get(`/accounts/${a}`, { headers: { [h]: v } });
        expect(r.status).toBe(400);
        expect(r.headers.get('x-ms-error-code')).toBe(r.body.error.code);
        const before = await snapshot();
        const p = await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'nope' }), headers: { [h]: v } });
        expect(p.status).toBe(400);
        expect(await snapshot()).toEqual(before);
      }
    }
  });
});

describe('repeatability (D17)', () => {
  const firstSent = () => new Date().toUTCString();

  it('replays a PUT without executing it again', async () => {
    const a = uniq('rep');
    const id = `rid-${uniq('')}`;
    const headers = { 'repeatability-request-id': id, 'repeatability-first-sent': firstSent() };
    const r1 = await api.put(`/accounts/${a}`, { json: accountBody(a), headers });
    expect(r1.status).toBe(201);
    expect(r1.headers.get('repeatability-result')).toBe('accepted');
    // delete by other means
    expect((await api.delete(`/accounts/${a}`)).status).toBe(204);
    const r2 = await api.put(`/accounts/${a}`, { json: accountBody(a), headers });
    expect(r2.status).toBe(201);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers.get('repeatability-result')).toBe('accepted');
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
  });

  it('replays a POST action without executing it again', async () => {
    const a = uniq('repb');
    await createAccount(a);
    const n = nextNumber();
    const headers = { 'repeatability-request-id': `rid-${uniq('')}`, 'repeatability-first-sent': firstSent() };
    const body = { numbers: [numberBody(a, n)] };
    const r1 = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: body, headers });
    expect(r1.status).toBe(200);
    expect((await api.delete(`/accounts/${a}/numbers/${n}`)).status).toBe(204);
    const r2 = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: body, headers });
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers.get('repeatability-result')).toBe('accepted');
    expect((await api.get(`/accounts/${a}/numbers/${n}`)).status).toBe(404);
  });

  it('same id with a different body -> 409 RepeatabilityRequestIdReused', async () => {
    const a = uniq('reu');
    const headers = { 'repeatability-request-id': `rid-${uniq('')}`, 'repeatability-first-sent': firstSent() };
    expect((await api.put(`/accounts/${a}`, { json: accountBody(a), headers })).status).toBe(201);
    const before = await snapshot();
    const r = await api.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'different' }), headers });
    expectError(r, 409, 'RepeatabilityRequestIdReused');
    expect(await snapshot()).toEqual(before);
    // also a different path
    const r3 = await api.put(`/accounts/${a}x`, { json: accountBody(`${a}x`), headers });
    expectError(r3, 409, 'RepeatabilityRequestIdReused');
    expect((await api.get(`/accounts/${a}x`)).status).toBe(404);
  });

  it('stale or unparsable First-Sent -> 400 RepeatabilityRejected, not executed, not remembered', async () => {
    const a = uniq('rej');
    const id = `rid-${uniq('')}`;
    for (const fs of [new Date(Date.now() - 16 * 60_000).toUTCString(), 'not a date', '2024-02-30T99:00:00Z']) {
      const r = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'repeatability-request-id': id, 'repeatability-first-sent': fs } });
      expectError(r, 400, 'RepeatabilityRejected');
      expect(r.headers.get('repeatability-result')).toBe('rejected');
      expect((await api.get(`/accounts/${a}`)).status).toBe(404);
    }
    // the id was not remembered: now with a valid First-Sent it executes
    const ok = await api.put(`/accounts/${a}`, { json: accountBody(a), headers: { 'repeatability-request-id': id, 'repeatability-first-sent': firstSent() } });
    expect(ok.status).toBe(201);
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
  });

  it('a request that failed with 400 is not remembered: same id with a valid body executes', async () => {
    const a = uniq('r4');
    const headers = { 'repeatability-request-id': `rid-${uniq('')}`, 'repeatability-first-sent': firstSent() };
    const bad = await api.put(`/accounts/${a}`, { json: { name: a, serviceDetails: { zoomPhoneCloudPeering: { enabled: 'yes', syncEnabled: false } } }, headers });
    expect(bad.status).toBe(400);
    const ok = await api.put(`/accounts/${a}`, { json: accountBody(a), headers });
    expect(ok.status).toBe(201);
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
  });
});

describe('auth basics', () => {
  it('no token -> 401 with WWW-Authenticate: Bearer', async () => {
    const anon = createApiClient(host.baseUrl);
    for (const [m, p] of [['GET', '/accounts'], ['GET', '/numbers'], ['DELETE', '/accounts/whatever']] as const) {
      const r = await anon.request(m, p);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate') ?? '').toMatch(/^Bearer/);
      expect(r.headers.get('x-ms-error-code')).toBe(r.body.error.code);
    }
    const garbage = createApiClient(host.baseUrl, { headers: { authorization: 'Bearer not.a.jwt' } });
    expect((await garbage.get('/accounts')).status).toBe(401);
  });

  it('roles: Read cannot PUT, Write cannot DELETE, Delete can DELETE, Read can GET', async () => {
    const a = uniq('roles');
    await createAccount(a);
    const as = async (role: string) => createApiClient(host.baseUrl, { headers: { authorization: `Bearer ${await host.token([role])}` } });
    const read = await as('Read');
    const write = await as('Write');
    const del = await as('Delete');
    expectError(await read.put(`/accounts/${a}`, { json: accountBody(a, { correlationId: 'r' }) }), 403, 'Forbidden');
    expect((await api.get(`/accounts/${a}`)).body.correlationId).toBeUndefined();
    expectError(await write.delete(`/accounts/${a}`), 403, 'Forbidden');
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
    const g = await read.get(`/accounts/${a}`);
    expect(g.status).toBe(200);
    expect((await del.delete(`/accounts/${a}`)).status).toBe(204);
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
  });
});

describe('bad input never 500', () => {
  const raw = async (method: string, path: string, body: string | Buffer | undefined, contentType?: string) =>
    api.request(method, path, { ...(body !== undefined ? { body } : {}), ...(contentType ? { contentType } : {}) });

  it('each malformed body is a 400 with a stable code and nothing written', async () => {
    const a = uniq('bad');
    const existing = uniq('badx');
    await createAccount(existing);
    let deep = '1';
    for (let i = 0; i < 100; i++) deep = `{"a":${deep}}`;
    const big = JSON.stringify({ ...accountBody(a), correlationId: 'x'.repeat(2 * 1024 * 1024) });
    const cases: { name: string; body: string | Buffer | undefined; ct?: string; code: string }[] = [
      { name: 'malformed json', body: '{"name": "x",', ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'wrong content-type', body: JSON.stringify(accountBody(a)), ct: 'text/plain', code: 'UnsupportedMediaType' },
      { name: 'empty body', body: undefined, ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'empty string body', body: '', ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'nested 100 deep', body: deep, ct: 'application/json', code: 'InvalidRequestContent' },
      { name: '2 MB', body: big, ct: 'application/json', code: 'RequestBodyTooLarge' },
      { name: 'array', body: JSON.stringify([accountBody(a)]), ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'unicode garbage', body: '\u0000\uffff\ud83d\ude00{é"', ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'invalid utf-8', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'json string', body: '"hello"', ct: 'application/json', code: 'InvalidRequestContent' },
      { name: 'json null', body: 'null', ct: 'application/json', code: 'InvalidRequestContent' },
    ];
    const before = await snapshot();
    const results: Record<string, unknown> = {};
    for (const c of cases) {
      for (const path of [`/accounts/${a}`, `/accounts/${existing}`]) {
        const r = await raw('PUT', path, c.body, c.ct);
        results[`${c.name} ${path === `/accounts/${a}` ? 'new' : 'existing'}`] = { status: r.status, code: r.body?.error?.code };
        expect(r.headers.get('x-ms-error-code')).toBe(r.body?.error?.code);
      }
      const rb = await raw('POST', `/accounts/${existing}:createOrUpdateNumbers`, c.body, c.ct);
      results[`${c.name} batch`] = { status: rb.status, code: rb.body?.error?.code };
    }
    const expected: Record<string, unknown> = {};
    for (const c of cases) {
      expected[`${c.name} new`] = { status: 400, code: c.code };
      expected[`${c.name} existing`] = { status: 400, code: c.code };
      expected[`${c.name} batch`] = { status: 400, code: c.code };
    }
    expect(results).toEqual(expected);
    expect(await snapshot()).toEqual(before);
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
  });
});
