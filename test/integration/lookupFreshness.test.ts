/**
 * Invariant 6 through HTTP: once the Provisioning API has answered 2xx, the lookup reflects the write
 * within 2 s. Each test first warms the view with the old state (so only the change feed can make the
 * answer change: the view has no expiry), writes, then polls the lookup; a lookup that starts more
 * than 2 s after the write's 2xx and still shows the old state fails the test.
 */
import { createApiClient, type ApiClient, type ApiResult } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { stopLookupService } from '../../shared/lookup/lookupService';

const STALENESS_BOUND_MS = 2_000;
const BASE_DOMAIN = 'gw.example.net';

let host: LocalHost;
let api: ApiClient;
let lookupAuth: Record<string, string>;

async function lookup(params: Record<string, string>): Promise<any> {
  const res = await fetch(`${host.baseUrl}/lookup/v1/route?${new URLSearchParams(params).toString()}`, { headers: lookupAuth });
  expect(res.status).toBe(200);
  return res.json();
}

const fromOperator = (to: string) => ({ direction: 'fromOperator', from: '+33123456789', to });
const fromDirectRouting = (from: string, subdomain: string) => ({ direction: 'toOperator', from, to: '+33123456789', origin: 'teamsDirectRouting', subdomain });

/** Runs the write and returns the moment its 2xx arrived. */
async function written(write: Promise<ApiResult>): Promise<number> {
  const res = await write;
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);
  return performance.now();
}

/** Polls until `accept(answer)`; fails if a lookup started more than 2 s after `since` still does not show it. */
async function reflectedWithin2s(since: number, params: Record<string, string>, accept: (answer: any) => boolean): Promise<any> {
  for (;;) {
    const startedAt = performance.now();
    const answer = await lookup(params);
    if (accept(answer)) return answer;
    if (startedAt - since > STALENESS_BOUND_MS) {
      throw new Error(`lookup still answers ${JSON.stringify(answer)} ${Math.round(startedAt - since)} ms after the write's 2xx`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const DR = (subdomain: string) => ({
  syncEnabled: false,
  enabled: true,
  configuration: { callScreening: true, subdomain, subdomainTokens: { region1Token: 't1', region2Token: 't2' } },
});
const ZOOM = { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } };

const putAccount = (name: string, serviceDetails: Record<string, unknown>) => api.put(`/accounts/${name}`, { json: { name, serviceDetails } });
const putNumber = (account: string, n: string, serviceDetails: Record<string, unknown>, header?: string) =>
  api.put(`/accounts/${account}/numbers/${n}`, {
    json: { telephoneNumber: n, accountName: account, serviceDetails, ...(header !== undefined ? { configuration: { customSipHeader: header } } : {}) },
  });

beforeAll(async () => {
  host = await startLocalHost({ DR_BASE_DOMAIN: BASE_DOMAIN });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  lookupAuth = { authorization: `Bearer ${await host.token(['Lookup.Query'])}` };
  for (const [name, services] of [
    ['fr-zoom', ZOOM],
    ['fr-other', ZOOM],
    ['fr-dr', { teamsDirectRouting: DR('frold'), ...ZOOM }],
  ] as const) {
    expect([200, 201]).toContain((await putAccount(name, services)).status);
  }
});

afterAll(async () => {
  stopLookupService();
  await host?.stop();
});

it('a created number replaces the negative entry of an unknown number', async () => {
  const n = '+14255560001';
  expect(await lookup(fromOperator(n))).toMatchObject({ defaulted: true, accountName: null });
  const at = await written(putNumber('fr-zoom', n, { zoomPhoneCloudPeering: { enabled: true } }, 'first'));
  const answer = await reflectedWithin2s(at, fromOperator(n), (a) => a.accountName === 'fr-zoom');
  expect(answer).toMatchObject({ destination: 'zoomPhoneCloudPeering', customHeader: { value: 'first' }, defaulted: false });
});

it('a changed header', async () => {
  const n = '+14255560002';
  expect((await putNumber('fr-zoom', n, { zoomPhoneCloudPeering: { enabled: true } }, 'before')).status).toBe(201);
  await reflectedWithin2s(performance.now(), fromOperator(n), (a) => a.customHeader?.value === 'before');
  const at = await written(putNumber('fr-zoom', n, { zoomPhoneCloudPeering: { enabled: true } }, 'after'));
  await reflectedWithin2s(at, fromOperator(n), (a) => a.customHeader?.value === 'after');
});

it('a service disabled on an account: first its number moves off it, then the account drops it', async () => {
  const n = '+14255560003';
  expect((await putNumber('fr-dr', n, { teamsDirectRouting: { enabled: true } }, 'dr')).status).toBe(201);
  await reflectedWithin2s(performance.now(), fromDirectRouting(n, 'frold'), (a) => a.action === 'route');
  expect(await lookup(fromOperator(n))).toMatchObject({ destination: 'teamsDirectRouting' });

  // Number update: no longer a Direct Routing number, so Teams callers with it fail screening.
  const numberAt = await written(putNumber('fr-dr', n, { zoomPhoneCloudPeering: { enabled: true } }, 'dr'));
  await reflectedWithin2s(numberAt, fromDirectRouting(n, 'frold'), (a) => a.reason === 'CallerIdScreeningFailed');
  expect(await lookup(fromOperator(n))).toMatchObject({ destination: 'zoomPhoneCloudPeering' });

  // Account update: Direct Routing off, so its subdomain names no customer any more.
  const accountAt = await written(putAccount('fr-dr', ZOOM));
  await reflectedWithin2s(accountAt, fromDirectRouting(n, 'frold'), (a) => a.reason === 'UnknownSubdomain');
});

it("a Direct Routing account's new subdomain in the Contact hosts", async () => {
  const account = 'fr-dr2';
  expect([200, 201]).toContain((await putAccount(account, { teamsDirectRouting: DR('frsub1') })).status);
  const n = '+14255560004';
  expect((await putNumber(account, n, { teamsDirectRouting: { enabled: true } })).status).toBe(201);
  await reflectedWithin2s(performance.now(), fromOperator(n), (a) => a.accountName === account);
  expect((await lookup(fromOperator(n))).contactHosts).toEqual([`frsub1.1r1.${BASE_DOMAIN}`, `frsub1.1r2.${BASE_DOMAIN}`]);
  // Warm the subdomain mappings too, the new label as a negative entry.
  expect(await lookup(fromDirectRouting(n, 'frsub1'))).toMatchObject({ action: 'route' });
  expect(await lookup(fromDirectRouting(n, 'frsub2'))).toMatchObject({ reason: 'UnknownSubdomain' });

  const at = await written(putAccount(account, { teamsDirectRouting: DR('frsub2') }));
  const answer = await reflectedWithin2s(at, fromOperator(n), (a) => a.contactHosts[0] === `frsub2.1r1.${BASE_DOMAIN}`);
  expect(answer.contactHosts).toEqual([`frsub2.1r1.${BASE_DOMAIN}`, `frsub2.1r2.${BASE_DOMAIN}`]);
  await reflectedWithin2s(at, fromDirectRouting(n, 'frsub2'), (a) => a.action === 'route');
  await reflectedWithin2s(at, fromDirectRouting(n, 'frsub1'), (a) => a.reason === 'UnknownSubdomain');
});

it('a deleted number', async () => {
  const n = '+14255560005';
  expect((await putNumber('fr-zoom', n, { zoomPhoneCloudPeering: { enabled: true } })).status).toBe(201);
  await reflectedWithin2s(performance.now(), fromOperator(n), (a) => a.accountName === 'fr-zoom');
  const at = await written(api.delete(`/accounts/fr-zoom/numbers/${n}`));
  await reflectedWithin2s(at, fromOperator(n), (a) => a.defaulted === true && a.accountName === null);
});

it('a number moved to another account (delete, then create there)', async () => {
  const n = '+14255560006';
  expect((await putNumber('fr-zoom', n, { zoomPhoneCloudPeering: { enabled: true } }, 'old-owner')).status).toBe(201);
  await reflectedWithin2s(performance.now(), fromOperator(n), (a) => a.accountName === 'fr-zoom');
  expect((await api.delete(`/accounts/fr-zoom/numbers/${n}`)).status).toBe(204);
  const at = await written(putNumber('fr-other', n, { zoomPhoneCloudPeering: { enabled: true } }, 'new-owner'));
  const answer = await reflectedWithin2s(at, fromOperator(n), (a) => a.accountName === 'fr-other');
  expect(answer.customHeader).toEqual({ name: 'X-MS-Operator-Content', value: 'new-owner' });
});

it('a batch of 100 numbers, all reflected', async () => {
  const numbers = Array.from({ length: 100 }, (_, i) => `+1425557${String(1000 + i)}`);
  for (const n of numbers.slice(0, 10)) expect(await lookup(fromOperator(n))).toMatchObject({ defaulted: true });
  const body = { numbers: numbers.map((n) => ({ telephoneNumber: n, accountName: 'fr-zoom', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } })) };
  const at = await written(api.post('/accounts/fr-zoom:createOrUpdateNumbers', { json: body }));
  for (const n of numbers.slice(0, 10)) await reflectedWithin2s(at, fromOperator(n), (a) => a.accountName === 'fr-zoom');
});
