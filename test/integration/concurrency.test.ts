import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { accountBody, numberBody } from '../support/fixtures';

let host: LocalHost;
let api: ApiClient;
let seq = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${seq++}`;


async function createAccount(name: string): Promise<string> {
  const r = await api.put(`/accounts/${name}`, { json: accountBody(name) });
  expect(r.status).toBe(201);
  return r.headers.get('etag') as string;
}

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(async () => {
  await host?.stop();
});

it('20 parallel PUTs of one number into 20 accounts: exactly one wins, 19 get 409 NumberInOtherAccount', async () => {
  const accounts = Array.from({ length: 20 }, (_, i) => uniq(`race${i}x`));
  for (const a of accounts) await createAccount(a);
  const n = '+14255550001';
  const results = await Promise.all(accounts.map((a) => api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) })));
  const statuses = results.map((r) => r.status);
  const winners = results.map((r, i) => ({ r, a: accounts[i] as string })).filter(({ r }) => r.status >= 200 && r.status < 300);
  expect(winners).toHaveLength(1);
  const losers = results.filter((r) => !(r.status >= 200 && r.status < 300));
  expect(losers.map((r) => `${r.status} ${r.body?.error?.code}`)).toEqual(Array(19).fill('409 NumberInOtherAccount'));
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  const winner = winners[0]?.a as string;

  const all = await api.get('/numbers', { query: { filter: `telephoneNumber eq '${n}'` } });
  expect(all.status).toBe(200);
  expect(all.body.value.map((v: any) => `${v.accountName} ${v.telephoneNumber}`)).toEqual([`${winner} ${n}`]);
  for (const a of accounts) {
    const g = await api.get(`/accounts/${a}/numbers/${n}`);
    expect(g.status).toBe(a === winner ? 200 : 404);
    const acc = await api.get(`/accounts/${a}`);
    expect(acc.body.serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(a === winner ? 1 : 0);
  }
});

it('20 parallel If-Match PUTs of one account: exactly one wins, 19 get 412, the stored state is the winner', async () => {
  const a = uniq('ifm');
  const etag = await createAccount(a);
  const bodies = Array.from({ length: 20 }, (_, i) => accountBody(a, { correlationId: `writer-${i}` }));
  const results = await Promise.all(bodies.map((b) => api.put(`/accounts/${a}`, { json: b, headers: { 'if-match': etag } })));
  const ok = results.map((r, i) => ({ r, i })).filter(({ r }) => r.status >= 200 && r.status < 300);
  expect(ok).toHaveLength(1);
  expect(results.filter((r) => r.status === 412 && r.body?.error?.code === 'PreconditionFailed')).toHaveLength(19);
  const g = await api.get(`/accounts/${a}`);
  expect(g.body.correlationId).toBe(`writer-${ok[0]?.i}`);
  expect(g.headers.get('etag')).toBe(ok[0]?.r.headers.get('etag'));
});

it('20 parallel If-Match PUTs of one number: exactly one wins, 19 get 412, the stored state is the winner', async () => {
  const a = uniq('ifmn');
  await createAccount(a);
  const n = '+14255550002';
  const created = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
  expect(created.status).toBe(201);
  const etag = created.headers.get('etag') as string;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n, { configuration: { customSipHeader: `w${i}` } }), headers: { 'if-match': etag } }),
    ),
  );
  const ok = results.map((r, i) => ({ r, i })).filter(({ r }) => r.status >= 200 && r.status < 300);
  expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(412)]);
  expect(ok).toHaveLength(1);
  expect(results.filter((r) => r.status === 412).every((r) => r.body?.error?.code === 'PreconditionFailed')).toBe(true);
  const g = await api.get(`/accounts/${a}/numbers/${n}`);
  expect(g.body.configuration?.customSipHeader).toBe(`w${ok[0]?.i}`);
  expect(g.headers.get('etag')).toBe(ok[0]?.r.headers.get('etag'));
  const acc = await api.get(`/accounts/${a}`);
  expect(acc.body.serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(1);
});

it('10 parallel batches of 20 distinct numbers into one account: all 200 and numberCount is 200', async () => {
  const a = uniq('batch');
  await createAccount(a);
  const batches = Array.from({ length: 10 }, (_, b) =>
    Array.from({ length: 20 }, (_, i) => numberBody(a, `+1206${String(b).padStart(3, '0')}${String(i).padStart(4, '0')}`)),
  );
  const results = await Promise.all(batches.map((numbers) => api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers } })));
  expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  const acc = await api.get(`/accounts/${a}`);
  expect(acc.body.serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(200);
  const list = await api.get(`/accounts/${a}/numbers`, { query: { maxpagesize: 1000, countRecords: true } });
  expect(list.headers.get('x-ms-record-count')).toBe('200');
  expect(list.body.value).toHaveLength(200);
});
