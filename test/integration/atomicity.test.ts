import { TableClient } from '@azure/data-tables';
import { armFault, clearFaults, type FaultPoint } from '../support/faults';
import { repairStaleIntents } from '../../shared/provisioning/repair';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

let host: LocalHost;
let api: ApiClient;
let seq = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${seq++}`;
let block = 100;

const accountBody = (name: string) => ({ name, serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } } });
const numberBody = (accountName: string, telephoneNumber: string) => ({
  telephoneNumber,
  accountName,
  serviceDetails: { zoomPhoneCloudPeering: { enabled: true } },
});
/** 50 numbers spanning two index buckets (first 9 chars). */
function numbersBlock(count = 50): string[] {
  const b = block++;
  return Array.from({ length: count }, (_, i) => `+1${String(b).padStart(3, '0')}55${String(9975 + i).padStart(5, '0')}`.slice(0, 12));
}

function table(name: string): TableClient {
  return TableClient.fromConnectionString(host.connectionString, host.tablePrefix + name, { allowInsecureConnection: true });
}
async function indexRows(numbers: string[]): Promise<Map<string, Record<string, unknown>>> {
  const wanted = new Set(numbers);
  const out = new Map<string, Record<string, unknown>>();
  for await (const e of table('numberindex').listEntities<Record<string, unknown>>()) if (wanted.has(String(e.rowKey))) out.set(String(e.rowKey), e);
  return out;
}
async function partitionRows(account: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of table('numbers').listEntities({ queryOptions: { filter: `PartitionKey eq '${account}'` } })) out.push(String(e.rowKey));
  return out.sort();
}
async function numberCount(account: string): Promise<number> {
  const r = await api.get(`/accounts/${account}`);
  expect(r.status).toBe(200);
  return r.body.serviceDetails.zoomPhoneCloudPeering.numberCount;
}
async function createAccount(name: string): Promise<void> {
  expect((await api.put(`/accounts/${name}`, { json: accountBody(name) })).status).toBe(201);
}
async function seed(account: string): Promise<void> {
  const n = numbersBlock(3);
  expect((await api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers: n.map((x) => numberBody(account, x)) } })).status).toBe(200);
}
async function listedNumbers(account: string): Promise<string[]> {
  const r = await api.get(`/accounts/${account}/numbers`, { query: { maxpagesize: 1000 } });
  expect(r.status).toBe(200);
  return r.body.value.map((v: any) => v.telephoneNumber).sort();
}
async function globallyListed(numbers: string[]): Promise<string[]> {
  const prefixes = [...new Set(numbers.map((n) => n.slice(0, 9)))];
  const out: string[] = [];
  for (const p of prefixes) {
    const r = await api.get('/numbers', { query: { filter: `startswith(telephoneNumber,'${p}')`, maxpagesize: 1000 } });
    expect(r.status).toBe(200);
    out.push(...r.body.value.map((v: any) => v.telephoneNumber));
  }
  return out.filter((n) => numbers.includes(n)).sort();
}

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterEach(() => clearFaults());
afterAll(async () => {
  await host?.stop();
});

it('the number block spans two index buckets', () => {
  const n = numbersBlock();
  expect(new Set(n).size).toBe(50);
  expect(new Set(n.map((x) => x.slice(0, 9))).size).toBe(2);
});

describe.each<FaultPoint>(['numbers.transaction', 'index.claim'])('fault before the partition commit: %s', (point) => {
  it('a batch of 50 fails with 503 and writes nothing; the same batch then succeeds', async () => {
    const a = uniq('pre');
    await createAccount(a);
    await seed(a);
    const countBefore = await numberCount(a);
    const listedBefore = await listedNumbers(a);
    const numbers = numbersBlock();
    const body = { numbers: numbers.map((n) => numberBody(a, n)) };
    armFault(point);
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: body });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 503, code: 'ServiceUnavailable' });
    clearFaults();
    expect(await listedNumbers(a)).toEqual(listedBefore);
    expect(await globallyListed(numbers)).toEqual([]);
    expect([...(await indexRows(numbers)).keys()]).toEqual([]);
    expect((await partitionRows(a)).filter((n) => numbers.includes(n))).toEqual([]);
    expect(await numberCount(a)).toBe(countBefore);
    for (const n of numbers.slice(0, 3)) expect((await api.get(`/accounts/${a}/numbers/${n}`)).status).toBe(404);

    const ok = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: body });
    expect(ok.status).toBe(200);
    expect(await numberCount(a)).toBe(countBefore + 50);
    expect(await globallyListed(numbers)).toEqual([...numbers].sort());
    const rows = await indexRows(numbers);
    expect([...rows.values()].map((r) => r.state)).toEqual(Array(50).fill('active'));
  });

  it('a single-number PUT with the fault writes nothing', async () => {
    const a = uniq('single');
    await createAccount(a);
    const [n] = numbersBlock(1) as [string];
    armFault(point);
    const r = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 503, code: 'ServiceUnavailable' });
    clearFaults();
    expect((await api.get(`/accounts/${a}/numbers/${n}`)).status).toBe(404);
    expect((await indexRows([n])).size).toBe(0);
    expect(await partitionRows(a)).toEqual([]);
    expect(await numberCount(a)).toBe(0);
    // another account can take it: no claim was left behind
    const b = uniq('single2');
    await createAccount(b);
    expect((await api.put(`/accounts/${b}/numbers/${n}`, { json: numberBody(b, n) })).status).toBe(201);
  });

  it('a fault on a batch that updates existing numbers keeps the previous state', async () => {
    const a = uniq('upd');
    await createAccount(a);
    const numbers = numbersBlock(10);
    expect((await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(a, n)) } })).status).toBe(200);
    const before = await indexRows(numbers);
    armFault(point);
    const changed = numbers.map((n) => ({ ...numberBody(a, n), configuration: { customSipHeader: 'changed' } }));
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: changed } });
    expect(r.status).toBe(503);
    clearFaults();
    const after = await indexRows(numbers);
    expect([...after.values()].map((e) => e.state)).toEqual(Array(10).fill('active'));
    // restored row content (the storage etag/timestamp change because the claim was released with a merge)
    const content = (m: Map<string, Record<string, unknown>>) => [...m.values()].map(({ etag: _e, timestamp: _t, ...rest }) => rest);
    expect(content(after)).toEqual(content(before));
    for (const n of numbers.slice(0, 3)) expect((await api.get(`/accounts/${a}/numbers/${n}`)).body.configuration).toBeUndefined();
    expect(await numberCount(a)).toBe(10);
  });
});

describe('fault after the partition commit', () => {
  it("a transient 'index.settle' fault is repaired within the request: 200, rows active, counts exact", async () => {
    const a = uniq('heal');
    await createAccount(a);
    await seed(a);
    const numbers = numbersBlock();
    armFault('index.settle');
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(a, n)) } });
    expect(r.status).toBe(200);
    clearFaults();
    expect([...(await indexRows(numbers)).values()].map((e) => e.state)).toEqual(Array(50).fill('active'));
    expect(await numberCount(a)).toBe(53);
    expect(await globallyListed(numbers)).toEqual([...numbers].sort());
  });

  it("a transient 'account.counts' fault is repaired within the request by an exact recount", async () => {
    const a = uniq('healcnt');
    await createAccount(a);
    await seed(a);
    const numbers = numbersBlock();
    armFault('account.counts');
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(a, n)) } });
    expect(r.status).toBe(200);
    clearFaults();
    expect(await numberCount(a)).toBe(53);
    expect([...(await indexRows(numbers)).values()].map((e) => e.state)).toEqual(Array(50).fill('active'));
  });

  it("a lasting 'index.settle' outage: 503 but the write stands; index rows pending; GET resolves; repair settles them and counts are exact", async () => {
    const a = uniq('settle');
    await createAccount(a);
    await seed(a);
    const numbers = numbersBlock();
    armFault('index.settle', 1000);
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(a, n)) } });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 503, code: 'ServiceUnavailable' });
    clearFaults();
    expect((await partitionRows(a)).filter((n) => numbers.includes(n))).toEqual([...numbers].sort());
    const pending = await indexRows(numbers);
    expect(pending.size).toBe(50);
    const states = [...pending.values()].map((e) => e.state);
    expect(states).toContain('pending');
    const g = await api.get(`/accounts/${a}/numbers/${numbers[0]}`);
    expect(g.status).toBe(200);
    expect(g.body.telephoneNumber).toBe(numbers[0]);
    expect((await listedNumbers(a)).filter((n) => numbers.includes(n))).toEqual([...numbers].sort());

    await repairStaleIntents(0);
    const settled = await indexRows(numbers);
    expect([...settled.values()].map((e) => e.state)).toEqual(Array(50).fill('active'));
    expect(await numberCount(a)).toBe(53);
    expect(await globallyListed(numbers)).toEqual([...numbers].sort());
    // idempotent
    await repairStaleIntents(0);
    expect(await numberCount(a)).toBe(53);
  });

  it("a lasting 'account.counts' outage: 503 but the write stands; repair makes numberCount exact", async () => {
    const a = uniq('counts');
    await createAccount(a);
    await seed(a);
    const numbers = numbersBlock();
    armFault('account.counts', 1000);
    const r = await api.post(`/accounts/${a}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(a, n)) } });
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 503, code: 'ServiceUnavailable' });
    clearFaults();
    expect((await partitionRows(a)).filter((n) => numbers.includes(n))).toEqual([...numbers].sort());
    expect((await api.get(`/accounts/${a}/numbers/${numbers[7]}`)).status).toBe(200);
    await repairStaleIntents(0);
    expect(await numberCount(a)).toBe(53);
    const rows = await indexRows(numbers);
    expect([...rows.values()].map((e) => e.state)).toEqual(Array(50).fill('active'));
    expect(await globallyListed(numbers)).toEqual([...numbers].sort());
  });

  it("a lasting 'index.settle' outage on a single-number PUT: 503, number exists, repair settles it", async () => {
    const a = uniq('settle1');
    await createAccount(a);
    const [n] = numbersBlock(1) as [string];
    armFault('index.settle', 1000);
    const r = await api.put(`/accounts/${a}/numbers/${n}`, { json: numberBody(a, n) });
    expect(r.status).toBe(503);
    clearFaults();
    expect((await indexRows([n])).get(n)?.state).toBe('pending');
    expect((await api.get(`/accounts/${a}/numbers/${n}`)).status).toBe(200);
    await repairStaleIntents(0);
    expect((await indexRows([n])).get(n)?.state).toBe('active');
    expect(await numberCount(a)).toBe(1);
  });
});
