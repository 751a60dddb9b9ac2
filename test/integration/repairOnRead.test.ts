/**
 * Repair on read (docs/storage.md "Crash repair"): a number write whose writer died after the partition
 * commit leaves its intent note, a stale numberCount and pending index rows. A read of the account —
 * GET, list, list of its numbers — or of one of those numbers finishes that write first once the note
 * is past the stale bound, so the client never sees a count that disagrees with the numbers; a younger
 * note may belong to a writer that is still running and is left alone.
 *
 * The dead writer is made with the store's fault points (the counts step fails for good, so the request
 * answers 503 with the write committed and its note left); "dead for a while" is made by moving the
 * note's createdAt back past the bound, as the clock would.
 */
import { TableClient } from '@azure/data-tables';
import { armFault, clearFaults } from '../support/faults';
import { STALE_CLAIM_MS } from '../../shared/store/numberIndex';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { accountBody, numberBody } from '../support/fixtures';
import { startLocalHost, type LocalHost } from '../support/localHost';

let host: LocalHost;
let api: ApiClient;
let seq = 0;
let block = 300;

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});

afterAll(async () => {
  clearFaults();
  await host?.stop();
});

afterEach(() => clearFaults());

const table = (name: string) => TableClient.fromConnectionString(host.connectionString, host.tablePrefix + name, { allowInsecureConnection: true });
const numbersBlock = (count: number) => {
  const b = block++;
  return Array.from({ length: count }, (_, i) => `+1${b}77${String(1000 + i).padStart(5, '0')}`);
};

async function intentRows(account: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const row of table('accounts').listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${account}' and RowKey ne ''` } })) out.push(row);
  return out;
}

async function indexStates(numbers: readonly string[]): Promise<string[]> {
  const wanted = new Set(numbers);
  const states: string[] = [];
  for await (const row of table('numberindex').listEntities<Record<string, unknown>>()) if (wanted.has(String(row.rowKey))) states.push(String(row.state));
  return states;
}

/** Moves the account's intent notes back past the stale bound, as if their writer died that long ago. */
async function ageIntents(account: string): Promise<void> {
  const old = new Date(Date.now() - STALE_CLAIM_MS - 5_000).toISOString();
  for (const row of await intentRows(account)) {
    await table('accounts').updateEntity({ partitionKey: account, rowKey: String(row.rowKey), createdAt: old }, 'Merge', { etag: String(row.etag) });
  }
}

/** An account with 3 numbers, then a batch of 20 whose writer "dies" after committing (counts never written). */
async function deadWriter(): Promise<{ account: string; numbers: string[] }> {
  const account = `ror${Date.now().toString(36)}${seq++}`;
  expect((await api.put(`/accounts/${account}`, { json: accountBody(account) })).status).toBe(201);
  const seeded = numbersBlock(3);
  expect((await api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers: seeded.map((n) => numberBody(account, n)) } })).status).toBe(200);
  const numbers = numbersBlock(20);
  armFault('account.counts', 1000);
  armFault('index.settle', 1000);
  const res = await api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers: numbers.map((n) => numberBody(account, n)) } });
  expect(res.status).toBe(503);
  clearFaults();
  expect(await intentRows(account)).toHaveLength(1);
  expect(new Set(await indexStates(numbers))).toEqual(new Set(['pending']));
  return { account, numbers };
}

const zoomCount = (body: any) => body.serviceDetails.zoomPhoneCloudPeering.numberCount;

async function expectRepaired(account: string, numbers: readonly string[]): Promise<void> {
  expect(await intentRows(account)).toEqual([]);
  expect(await indexStates(numbers)).toEqual(Array(numbers.length).fill('active'));
}

describe('repair on read', () => {
  it('GET account: a note past the stale bound is finished first; numberCount is exact on that first read', async () => {
    const { account, numbers } = await deadWriter();
    await ageIntents(account);
    const res = await api.get(`/accounts/${account}`);
    expect(res.status).toBe(200);
    expect(zoomCount(res.body)).toBe(23);
    await expectRepaired(account, numbers);
  });

  it('GET account: a younger note (its writer may still be running) is left alone', async () => {
    const { account, numbers } = await deadWriter();
    const res = await api.get(`/accounts/${account}`);
    expect(res.status).toBe(200);
    expect(zoomCount(res.body)).toBe(3); // the counts step of that write has not happened (yet)
    expect(await intentRows(account)).toHaveLength(1);
    expect(new Set(await indexStates(numbers))).toEqual(new Set(['pending']));
  });

  it('GET /accounts: the page carries the notes of its accounts, also past its size limit (maxpagesize=1)', async () => {
    const { account, numbers } = await deadWriter();
    await ageIntents(account);
    const seen: any[] = [];
    let next: string | undefined = '/accounts?maxpagesize=1';
    while (next !== undefined) {
      const res = await api.get(next);
      expect(res.status).toBe(200);
      expect(res.body.value.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.value);
      next = res.body.nextLink === undefined ? undefined : String(res.body.nextLink).replace(host.baseUrl, '');
    }
    const listed = seen.filter((a) => a.name === account);
    expect(listed).toHaveLength(1);
    expect(zoomCount(listed[0])).toBe(23);
    await expectRepaired(account, numbers);
  });

  it('GET /accounts with countRecords counts accounts, not notes', async () => {
    const { account } = await deadWriter();
    const res = await api.get('/accounts', { query: { filter: `name eq '${account}'`, countRecords: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-record-count')).toBe('1');
    expect(res.body.value.map((a: any) => a.name)).toEqual([account]);
  });

  it('GET account numbers: finished first, so the list and the account agree', async () => {
    const { account, numbers } = await deadWriter();
    await ageIntents(account);
    const list = await api.get(`/accounts/${account}/numbers`, { query: { maxpagesize: 1000 } });
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(23);
    await expectRepaired(account, numbers);
    expect(zoomCount((await api.get(`/accounts/${account}`)).body)).toBe(23);
  });

  it('GET number with a stale pending index row: its write is finished first', async () => {
    const { account, numbers } = await deadWriter();
    await ageIntents(account);
    // Index rows go stale with their claim's `since`: age those as well.
    const old = new Date(Date.now() - STALE_CLAIM_MS - 5_000).toISOString();
    for await (const row of table('numberindex').listEntities<Record<string, unknown>>()) {
      if (numbers.includes(String(row.rowKey))) await table('numberindex').updateEntity({ partitionKey: String(row.partitionKey), rowKey: String(row.rowKey), since: old }, 'Merge', { etag: String(row.etag) });
    }
    const res = await api.get(`/accounts/${account}/numbers/${numbers[4]}`);
    expect(res.status).toBe(200);
    expect(res.body.telephoneNumber).toBe(numbers[4]);
    await expectRepaired(account, numbers);
    expect(zoomCount((await api.get(`/accounts/${account}`)).body)).toBe(23);
  });
});
