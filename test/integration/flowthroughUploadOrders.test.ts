/**
 * How the flow-through worker packs uploads into Operator Connect orders, seen from the simulator's
 * side (the orders it received): the order-size limit, numbers whose capabilities are listed in
 * another order, and the location an upload names. The pure rules: test/unit/flowthroughDesired.test.ts.
 */
import { SIM_ADDRESSES, SIM_LOCATIONS, SIM_TENANT_US } from '../../dev/ocSimulator';
import type { OrderRecord } from '../../dev/ocSimulator/model';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { createNumbers, numberRange, ocAccount, ocNumber, settled } from '../support/ocFixtures';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());

/** The upload orders the simulator received that carry any of these numbers. */
function uploadOrdersFor(numbers: readonly string[]): OrderRecord[] {
  const wanted = new Set(numbers);
  return [...host.sim.state.orders.values()].filter((order) => order.type === 'Upload' && order.items.some((item) => wanted.has(item.telephoneNumber)));
}

test('1,001 alike numbers are uploaded in two orders, 1,000 (the Operator Connect limit) and 1, and all sync', async () => {
  const numbers = numberRange('+14255580000', 1001);
  // Sync starts only once every number is stored, so one worker run sees all 1,001 at once.
  const paused = ocAccount('oc-limit', SIM_TENANT_US, { teamsOperatorConnect: { enabled: true, syncEnabled: false } });
  expect((await api.put('/accounts/oc-limit', { json: paused })).status).toBe(201);
  await createNumbers(api, 'oc-limit', numbers);
  expect(uploadOrdersFor(numbers)).toEqual([]);
  expect((await api.put('/accounts/oc-limit', { json: ocAccount('oc-limit', SIM_TENANT_US) })).status).toBe(200);
  await eventually(async () => (numbers.every((n) => host.sim.state.numbers.has(n)) ? true : undefined), 120_000, async () =>
    `${numbers.filter((n) => host.sim.state.numbers.has(n)).length} of 1001 in Operator Connect`,
  );
  expect(await settled(api, 'oc-limit', 60_000)).toEqual({ synced: 1001 });
  const sizes = uploadOrdersFor(numbers).map((order) => order.items.length);
  expect(sizes.sort((a, b) => b - a)).toEqual([1000, 1]);
  expect(host.sim.counters.numbersUploadedMoreThanOnce).toEqual([]);
}, 180_000);

test('two numbers whose capabilities are listed in a different order go up in one order', async () => {
  const [a, b] = numberRange('+14255581100', 2) as [string, string];
  await api.put('/accounts/oc-caps', { json: ocAccount('oc-caps', SIM_TENANT_US) });
  const res = await api.post('/accounts/oc-caps:createOrUpdateNumbers', {
    json: {
      numbers: [
        ocNumber('oc-caps', a, { choosableCapabilities: ['InboundCalling', 'OutboundCalling'] }),
        ocNumber('oc-caps', b, { choosableCapabilities: ['OutboundCalling', 'InboundCalling'] }),
      ],
    },
  });
  expect(res.status).toBe(200);
  expect(await settled(api, 'oc-caps')).toEqual({ synced: 2 });
  const orders = uploadOrdersFor([a, b]);
  expect(orders).toHaveLength(1);
  expect(orders[0]?.items.map((item) => item.telephoneNumber).sort()).toEqual([a, b]);
});

test('the location named with the civic address is the one Operator Connect receives, not the default', async () => {
  const [n] = numberRange('+14255581200', 1) as [string];
  await api.put('/accounts/oc-loc', { json: ocAccount('oc-loc', SIM_TENANT_US) });
  const put = await api.put(`/accounts/oc-loc/numbers/${encodeURIComponent(n)}`, {
    json: ocNumber('oc-loc', n, { civicAddressId: SIM_ADDRESSES.usValidated, locationId: SIM_LOCATIONS.usFloor2 }),
  });
  expect(put.status).toBe(201);
  expect(await settled(api, 'oc-loc')).toEqual({ synced: 1 });
  expect(uploadOrdersFor([n]).map((order) => order.upload?.locationId)).toEqual([SIM_LOCATIONS.usFloor2]);
  expect(host.sim.state.numbers.get(n)).toMatchObject({ civicAddressId: SIM_ADDRESSES.usValidated, locationId: SIM_LOCATIONS.usFloor2 });
});

test('a location added later is updated in place and reaches Operator Connect', async () => {
  const [n] = numberRange('+14255581300', 1) as [string];
  const path = `/accounts/oc-loc2/numbers/${encodeURIComponent(n)}`;
  await api.put('/accounts/oc-loc2', { json: ocAccount('oc-loc2', SIM_TENANT_US) });
  await api.put(path, { json: ocNumber('oc-loc2', n, { civicAddressId: SIM_ADDRESSES.usValidated }) });
  expect(await settled(api, 'oc-loc2')).toEqual({ synced: 1 });
  expect(host.sim.state.numbers.get(n)?.locationId).toBe(SIM_LOCATIONS.usMain);
  const moved = await api.put(path, { json: ocNumber('oc-loc2', n, { civicAddressId: SIM_ADDRESSES.usValidated, locationId: SIM_LOCATIONS.usFloor2 }) });
  expect(moved.status).toBe(200);
  expect(await settled(api, 'oc-loc2')).toEqual({ synced: 1 });
  expect(host.sim.state.numbers.get(n)).toMatchObject({ civicAddressId: SIM_ADDRESSES.usValidated, locationId: SIM_LOCATIONS.usFloor2 });
  expect(uploadOrdersFor([n])).toHaveLength(1);
});
