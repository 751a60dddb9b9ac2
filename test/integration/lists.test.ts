/**
 * List operations (GET /accounts, /accounts/{a}/numbers, /numbers): paging (D13: maxpagesize default
 * 100 capped at 1000, top, skip, absolute nextLink), countRecords (after filter, before paging),
 * filter (D1) and the 400s for bad list parameters.
 */
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

let host: LocalHost;
let api: ApiClient;

const A = 'lst-a'; // 30 numbers +14257000000..029: even → Direct Routing, odd → Zoom; every 5th has customSipHeader 'abc'
const B = 'lst-b'; // 10 numbers +14257100000..009, Zoom
const BIG = 'lst-big'; // 150 numbers +14257200000..149, Zoom
const PAGED_ACCOUNTS = Array.from({ length: 12 }, (_, i) => `lst-p-${String(i).padStart(2, '0')}`);

const num = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`;
const A_NUMBERS = Array.from({ length: 30 }, (_, i) => num('+1425700', i));
const B_NUMBERS = Array.from({ length: 10 }, (_, i) => num('+1425710', i));
const BIG_NUMBERS = Array.from({ length: 150 }, (_, i) => num('+1425720', i));
const isDr = (n: string) => Number(n.slice(-4)) % 2 === 0;
const hasHeader = (n: string) => Number(n.slice(-4)) % 5 === 0;

function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers.get('x-ms-error-code')).toBe(code);
}

const numbersIn = (res: ApiResult): string[] => res.body.value.map((n: { telephoneNumber: string }) => n.telephoneNumber);
const namesIn = (res: ApiResult): string[] => res.body.value.map((a: { name: string }) => a.name);

/** Follows nextLink to the end; returns the pages. */
async function allPages(first: ApiResult): Promise<ApiResult[]> {
  const pages = [first];
  let current = first;
  while (current.body.nextLink !== undefined) {
    expect(pages.length).toBeLessThan(100);
    current = await api.followNextLink(current.body.nextLink);
    expect(current.status).toBe(200);
    pages.push(current);
  }
  return pages;
}

async function batch(account: string, items: unknown[]): Promise<void> {
  for (let i = 0; i < items.length; i += 100) {
    const res = await api.post(`/accounts/${account}:createOrUpdateNumbers`, { json: { numbers: items.slice(i, i + 100) } });
    expect(res.status).toBe(200);
  }
}

beforeAll(async () => {
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  const put = async (name: string, serviceDetails: Record<string, unknown>, correlationId?: string) => {
    const res = await api.put(`/accounts/${name}`, { json: { name, serviceDetails, ...(correlationId ? { correlationId } : {}) } });
    expect(res.status).toBe(201);
  };
  await put(A, {
    teamsDirectRouting: { syncEnabled: false, enabled: true, configuration: { callScreening: true, subdomain: 'lsta', subdomainTokens: { region1Token: 'a', region2Token: 'b' } } },
    zoomPhoneCloudPeering: { syncEnabled: false, enabled: true },
  }, 'corr-lists');
  await put(B, { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } }, 'corr-lists');
  await put(BIG, { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } });
  for (const name of PAGED_ACCOUNTS) await put(name, {});
  await batch(
    A,
    A_NUMBERS.map((n) => ({
      telephoneNumber: n,
      accountName: A,
      serviceDetails: isDr(n) ? { teamsDirectRouting: { enabled: true } } : { zoomPhoneCloudPeering: { enabled: true } },
      ...(hasHeader(n) ? { configuration: { customSipHeader: 'abc' } } : {}),
    })),
  );
  await batch(B, B_NUMBERS.map((n) => ({ telephoneNumber: n, accountName: B, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } })));
  await batch(BIG, BIG_NUMBERS.map((n) => ({ telephoneNumber: n, accountName: BIG, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } })));
});

afterAll(async () => {
  await host?.stop();
});

describe('paging', () => {
  it('splits an account\'s numbers into disjoint pages of maxpagesize whose union is the key-ordered set', async () => {
    const pages = await allPages(await api.get(`/accounts/${A}/numbers`, { query: { maxpagesize: 7 } }));
    expect(pages.map((p) => p.body.value.length)).toEqual([7, 7, 7, 7, 2]);
    const all = pages.flatMap(numbersIn);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(A_NUMBERS);
    for (const page of pages.slice(0, -1)) {
      const link = new URL(page.body.nextLink);
      expect(link.origin).toBe(new URL(host.baseUrl).origin);
      expect(link.searchParams.get('api-version')).toBe('2024-02-29-preview');
    }
    expect(pages[pages.length - 1]?.body).not.toHaveProperty('nextLink');
  });

  it('uses a default page size of 100', async () => {
    const first = await api.get(`/accounts/${BIG}/numbers`);
    expect(first.body.value).toHaveLength(100);
    expect(typeof first.body.nextLink).toBe('string');
    const pages = await allPages(first);
    expect(pages.map((p) => p.body.value.length)).toEqual([100, 50]);
    expect(pages.flatMap(numbersIn)).toEqual(BIG_NUMBERS);
  });

  it('caps maxpagesize above 1000 instead of refusing it', async () => {
    const res = await api.get(`/accounts/${BIG}/numbers`, { query: { maxpagesize: 5000 } });
    expect(res.status).toBe(200);
    expect(numbersIn(res)).toEqual(BIG_NUMBERS);
    expect(res.body).not.toHaveProperty('nextLink');
  });

  it('caps the total with top across pages and omits nextLink once top is reached', async () => {
    const pages = await allPages(await api.get(`/accounts/${A}/numbers`, { query: { top: 10, maxpagesize: 4 } }));
    expect(pages.map((p) => p.body.value.length)).toEqual([4, 4, 2]);
    expect(pages.flatMap(numbersIn)).toEqual(A_NUMBERS.slice(0, 10));
  });

  it('returns exactly top items with no nextLink when top fits in one page', async () => {
    const res = await api.get(`/accounts/${A}/numbers`, { query: { top: 3 } });
    expect(numbersIn(res)).toEqual(A_NUMBERS.slice(0, 3));
    expect(res.body).not.toHaveProperty('nextLink');
  });

  it('returns an empty page for top=0', async () => {
    const res = await api.get(`/accounts/${A}/numbers`, { query: { top: 0 } });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([]);
    expect(res.body).not.toHaveProperty('nextLink');
  });

  it('offsets the first item with skip and continues from there', async () => {
    const first = await api.get(`/accounts/${A}/numbers`, { query: { skip: 5, maxpagesize: 10 } });
    expect(numbersIn(first)[0]).toBe(A_NUMBERS[5]);
    const pages = await allPages(first);
    expect(pages.flatMap(numbersIn)).toEqual(A_NUMBERS.slice(5));
  });

  it('combines skip and top', async () => {
    const pages = await allPages(await api.get(`/accounts/${A}/numbers`, { query: { skip: 25, top: 10 } }));
    expect(pages.flatMap(numbersIn)).toEqual(A_NUMBERS.slice(25));
  });

  it('returns an empty page when skip passes the end', async () => {
    const res = await api.get(`/accounts/${A}/numbers`, { query: { skip: 100 } });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([]);
    expect(res.body).not.toHaveProperty('nextLink');
  });

  it('pages the accounts in name order', async () => {
    const pages = await allPages(await api.get('/accounts', { query: { maxpagesize: 5, filter: "startswith(name,'lst-p-')" } }));
    expect(pages.map((p) => p.body.value.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap(namesIn)).toEqual(PAGED_ACCOUNTS);
  });

  it('pages the gateway-wide /numbers in number order across accounts', async () => {
    const pages = await allPages(await api.get('/numbers', { query: { maxpagesize: 45, filter: "startswith(telephoneNumber,'+14257')" } }));
    const all = pages.flatMap(numbersIn);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...A_NUMBERS, ...B_NUMBERS, ...BIG_NUMBERS]);
    expect(pages.every((p) => p.body.value.length <= 45)).toBe(true);
  });

  it('keeps skip, top and filter consistent on /numbers pages', async () => {
    const pages = await allPages(await api.get('/numbers', { query: { skip: 2, top: 7, maxpagesize: 3, filter: `accountName eq '${B}'` } }));
    expect(pages.flatMap(numbersIn)).toEqual(B_NUMBERS.slice(2, 9));
  });
});

describe('countRecords', () => {
  it('reports x-ms-record-count after filter and before paging', async () => {
    const res = await api.get(`/accounts/${A}/numbers`, {
      query: { countRecords: true, maxpagesize: 2, filter: 'serviceDetails/teamsDirectRouting/enabled eq true' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-record-count')).toBe('15');
    expect(res.body.value).toHaveLength(2);
  });

  it('counts all numbers of an account without a filter, ignoring top and skip', async () => {
    const res = await api.get(`/accounts/${BIG}/numbers`, { query: { countRecords: true, top: 5, skip: 3 } });
    expect(res.headers.get('x-ms-record-count')).toBe('150');
    expect(res.body.value).toHaveLength(5);
  });

  it('counts across accounts on /numbers', async () => {
    const res = await api.get('/numbers', { query: { countRecords: 'true', maxpagesize: 1, filter: "startswith(telephoneNumber,'+14257')" } });
    expect(res.headers.get('x-ms-record-count')).toBe('190');
    const zeros = await api.get('/numbers', { query: { countRecords: true, filter: "startswith(telephoneNumber,'+1999')" } });
    expect(zeros.headers.get('x-ms-record-count')).toBe('0');
    expect(zeros.body.value).toEqual([]);
  });

  it('counts accounts', async () => {
    const res = await api.get('/accounts', { query: { countRecords: true, maxpagesize: 1, filter: "startswith(name,'lst-p-')" } });
    expect(res.headers.get('x-ms-record-count')).toBe('12');
  });

  it('sends no x-ms-record-count unless asked', async () => {
    const res = await api.get(`/accounts/${A}/numbers`, { query: { countRecords: false } });
    expect(res.headers.get('x-ms-record-count')).toBeNull();
    expect((await api.get(`/accounts/${A}/numbers`)).headers.get('x-ms-record-count')).toBeNull();
  });
});

describe('filter', () => {
  it.each([
    ["startswith(telephoneNumber,'+1425700000')", A_NUMBERS.slice(0, 10)],
    ["startswith(telephoneNumber,'+142570000')", A_NUMBERS],
    ['serviceDetails/teamsDirectRouting/enabled eq true', A_NUMBERS.filter(isDr)],
    ['not (serviceDetails/teamsDirectRouting/enabled eq true)', A_NUMBERS.filter((n) => !isDr(n))],
    ['serviceDetails/zoomPhoneCloudPeering/enabled eq false', A_NUMBERS.filter(isDr)],
    ["configuration/customSipHeader eq 'abc'", A_NUMBERS.filter(hasHeader)],
    ["telephoneNumber eq '+14257000003'", ['+14257000003']],
    ["telephoneNumber ge '+14257000010' and telephoneNumber lt '+14257000013'", A_NUMBERS.slice(10, 13)],
    ["telephoneNumber eq '+14257000001' or telephoneNumber eq '+14257000029'", ['+14257000001', '+14257000029']],
    ["serviceDetails/teamsDirectRouting/enabled eq true and configuration/customSipHeader eq 'abc'", A_NUMBERS.filter((n) => isDr(n) && hasHeader(n))],
    [`accountName eq '${A}'`, A_NUMBERS],
    ["accountName eq 'lst-b'", []],
    ["serviceProvisioningStatus eq 'synced'", A_NUMBERS],
  ])('filters an account\'s numbers with %s', async (filter, expected) => {
    const pages = await allPages(await api.get(`/accounts/${A}/numbers`, { query: { filter, maxpagesize: 8 } }));
    expect(pages.flatMap(numbersIn)).toEqual(expected);
  });

  it.each([
    [`accountName eq '${B}'`, B_NUMBERS],
    [`startswith(telephoneNumber,'+14257') and accountName eq '${A}'`, A_NUMBERS],
    ["startswith(telephoneNumber,'+142571')", B_NUMBERS],
    ['serviceDetails/teamsDirectRouting/enabled eq true', A_NUMBERS.filter(isDr)],
    [`not (accountName eq '${BIG}') and startswith(telephoneNumber,'+14257')`, [...A_NUMBERS, ...B_NUMBERS]],
    ["configuration/customSipHeader eq 'abc'", A_NUMBERS.filter(hasHeader)],
    ["telephoneNumber ge '+14257000025' and telephoneNumber lt '+14257100003'", [...A_NUMBERS.slice(25), ...B_NUMBERS.slice(0, 3)]],
    ["telephoneNumber gt '+14257200147'", BIG_NUMBERS.slice(148)],
    ["'+14257100004' eq telephoneNumber", [B_NUMBERS[4]]],
    ["telephoneNumber le '+14257000001' and startswith(telephoneNumber,'+1425')", A_NUMBERS.slice(0, 2)],
    ["startswith(telephoneNumber,'+142571000') or startswith(telephoneNumber,'+142572001')", [...B_NUMBERS, ...BIG_NUMBERS.slice(100, 150)]],
  ])('filters /numbers with %s', async (filter, expected) => {
    const pages = await allPages(await api.get('/numbers', { query: { filter, maxpagesize: 40 } }));
    const all = pages.flatMap(numbersIn);
    expect(all).toEqual(expected);
    for (const n of pages.flatMap((p) => p.body.value)) expect(n.accountName).toBe(A_NUMBERS.includes(n.telephoneNumber) ? A : B_NUMBERS.includes(n.telephoneNumber) ? B : BIG);
  });

  it.each([
    [`name eq '${A}'`, [A]],
    ["correlationId eq 'corr-lists'", [A, B]],
    ['serviceDetails/teamsDirectRouting/enabled eq true', [A]],
    ["serviceDetails/zoomPhoneCloudPeering/enabled eq true and startswith(name,'lst-')", [A, B, BIG]],
    ["serviceProvisioningStatus eq 'pending'", [A]],
    ["startswith(name,'lst-p-0') and not (name eq 'lst-p-00')", PAGED_ACCOUNTS.slice(1, 10)],
  ])('filters accounts with %s', async (filter, expected) => {
    const res = await api.get('/accounts', { query: { filter, maxpagesize: 1000 } });
    expect(res.status).toBe(200);
    expect(namesIn(res)).toEqual(expected);
  });

  it('returns accounts with their numberCount in the list', async () => {
    const res = await api.get('/accounts', { query: { filter: `name eq '${A}'` } });
    expect(res.body.value[0].serviceDetails.teamsDirectRouting.numberCount).toBe(15);
    expect(res.body.value[0].serviceDetails.zoomPhoneCloudPeering.numberCount).toBe(15);
  });

  it.each([
    ['/accounts', "telephoneNumber eq '+1'"],
    ['/accounts', 'name eq'],
    [`/accounts/${A}/numbers`, "name eq 'x'"],
    [`/accounts/${A}/numbers`, "endswith(telephoneNumber,'1')"],
    [`/accounts/${A}/numbers`, "telephoneNumber eq '+1' and"],
    [`/accounts/${A}/numbers`, "(telephoneNumber eq '+1'"],
    [`/accounts/${A}/numbers`, "telephoneNumber like '+1'"],
    ['/numbers', 'foo eq 1'],
    ['/numbers', "accountName eq 'unterminated"],
    ['/numbers', "serviceDetails/fax/enabled eq true"],
  ])('rejects an invalid filter on %s (%s) with 400 InvalidFilter', async (path, filter) => {
    const res = await api.get(path, { query: { filter } });
    expectError(res, 400, 'InvalidFilter');
  });
});

describe('invalid list parameters', () => {
  const paths = ['/accounts', `/accounts/${A}/numbers`, '/numbers'];

  it.each(
    paths.flatMap((path) =>
      [
        ['top', '-1'],
        ['top', 'abc'],
        ['top', '1.5'],
        ['skip', '-1'],
        ['skip', 'x'],
        ['maxpagesize', '0'],
        ['maxpagesize', '-5'],
        ['maxpagesize', 'ten'],
        ['countRecords', 'yes'],
        ['countRecords', '1'],
      ].map(([name, value]) => [path, name as string, value as string]),
    ),
  )('%s rejects %s=%s with 400 InvalidQueryParameter', async (path, name, value) => {
    const res = await api.get(path, { query: { [name]: value } });
    expectError(res, 400, 'InvalidQueryParameter');
    const t = [res.body.error.target, ...(res.body.error.details ?? []).map((d: { target?: string }) => d.target)];
    expect(t).toContain(name);
  });

  it('reports every bad list parameter in one 400', async () => {
    const res = await api.get('/numbers', { query: { top: -1, skip: -1, maxpagesize: 0, countRecords: 'maybe' } });
    expectError(res, 400, 'InvalidQueryParameter');
    expect(res.body.error.details.map((d: { target: string }) => d.target).sort()).toEqual(['countRecords', 'maxpagesize', 'skip', 'top']);
  });

  it.each(paths)('%s rejects a garbage skipToken with 400 InvalidSkipToken', async (path) => {
    for (const token of ['garbage', 'bm90LWpzb24', Buffer.from(JSON.stringify({ v: 2, pk: 'a', rk: 'b' })).toString('base64url')]) {
      const res = await api.get(path, { query: { skipToken: token } });
      expectError(res, 400, 'InvalidSkipToken');
    }
  });

  it('returns 404 AccountNotFound when listing numbers of a missing account', async () => {
    expectError(await api.get('/accounts/lst-missing/numbers'), 404, 'AccountNotFound');
  });

  it('returns 400 when listing numbers of an invalid account name', async () => {
    expectError(await api.get('/accounts/bad.name/numbers'), 400, 'InvalidRequestContent');
  });
});
