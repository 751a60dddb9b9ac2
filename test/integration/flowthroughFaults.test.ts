/**
 * Operator Connect misbehaving for a stretch of time: throttling with Retry-After, 503s, timeouts
 * and dropped connections (also after the simulator applied the request, the ambiguous case).
 * Every resource still converges to synced or failed, nothing is pending after the sweeper, and no
 * number is uploaded twice. Also: a lost kick is recovered by the sweeper.
 */
import { SIM_TENANT_US } from '../../dev/ocSimulator';
import { setKickTransport, type KickTransport } from '../../shared/flowthrough/kicks';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { createNumbers, numberRange, ocAccount, settled, statusCounts } from '../support/ocFixtures';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost({ env: { FLOWTHROUGH_STUCK_AFTER_MS: '500' } });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());
afterEach(() => host.sim.clearFaults());

async function expectConvergedAfterSweep(account: string, numbers: readonly string[], expected: Record<string, number>): Promise<void> {
  expect(await settled(api, account, 45_000)).toEqual(expected);
  await host.sweep();
  await host.queue.whenIdle();
  expect((await statusCounts(api, account)).pending).toBeUndefined();
  expect(host.sim.counters.numbersUploadedMoreThanOnce.filter((n) => numbers.includes(n))).toEqual([]);
  for (const n of numbers) expect(host.sim.counters.ownerByNumber[n]).toBe(SIM_TENANT_US);
}

test('throttling (429 + Retry-After) on every route for a while', async () => {
  await api.put('/accounts/f-429', { json: ocAccount('f-429', SIM_TENANT_US) });
  host.sim.addFault({ route: '* /**', action: 'status', status: 429, retryAfter: 1, forMs: 2_500 });
  const numbers = numberRange('+14255580000', 40);
  await createNumbers(api, 'f-429', numbers);
  await expectConvergedAfterSweep('f-429', numbers, { synced: 40 });
});

test('503 with Retry-After, then plain 500s, on every route for a while', async () => {
  await api.put('/accounts/f-503', { json: ocAccount('f-503', SIM_TENANT_US) });
  host.sim.addFault({ route: '* /**', action: 'status', status: 503, retryAfter: 1, forMs: 1_500 });
  host.sim.addFault({ route: 'GET /orders/*', action: 'status', status: 500, count: 4 });
  const numbers = numberRange('+14255580100', 40);
  await createNumbers(api, 'f-503', numbers);
  await expectConvergedAfterSweep('f-503', numbers, { synced: 40 });
});

test('an upload answer lost after the order was created (drop after apply) is read back, not re-sent', async () => {
  await api.put('/accounts/f-drop', { json: ocAccount('f-drop', SIM_TENANT_US) });
  host.sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'drop', applyRequest: true, count: 1 });
  const numbers = numberRange('+14255580200', 30);
  await createNumbers(api, 'f-drop', numbers);
  await expectConvergedAfterSweep('f-drop', numbers, { synced: 30 });
  expect(numbers.every((n) => host.sim.counters.uploadOrdersByNumber[n]?.length === 1)).toBe(true);
});

test('an upload that timed out after being applied is adopted from the order list', async () => {
  await api.put('/accounts/f-slow', { json: ocAccount('f-slow', SIM_TENANT_US) });
  host.sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'timeout', applyRequest: true, maxHoldMs: 3_000, count: 1 });
  const numbers = numberRange('+14255580300', 30);
  await createNumbers(api, 'f-slow', numbers);
  await expectConvergedAfterSweep('f-slow', numbers, { synced: 30 });
  expect(numbers.every((n) => host.sim.counters.uploadOrdersByNumber[n]?.length === 1)).toBe(true);
});

test('an upload that timed out without being applied is retried once the grace period proves it absent', async () => {
  await api.put('/accounts/f-lost', { json: ocAccount('f-lost', SIM_TENANT_US) });
  host.sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'timeout', maxHoldMs: 3_000, count: 1 });
  const numbers = numberRange('+14255580400', 30);
  await createNumbers(api, 'f-lost', numbers);
  await expectConvergedAfterSweep('f-lost', numbers, { synced: 30 });
});

test('dropped connections on reads and releases; deleted numbers are still released exactly', async () => {
  await api.put('/accounts/f-rel', { json: ocAccount('f-rel', SIM_TENANT_US) });
  const numbers = numberRange('+14255580500', 20);
  await createNumbers(api, 'f-rel', numbers);
  await settled(api, 'f-rel');
  host.sim.addFault({ route: 'POST /tenants/*/releaseOrders', action: 'drop', applyRequest: true, count: 1 });
  host.sim.addFault({ route: 'GET /**', action: 'drop', count: 3 });
  const gone = numbers.slice(0, 8);
  await api.post('/accounts/f-rel:deleteNumbers', { json: { numbers: gone.map((telephoneNumber) => ({ telephoneNumber })) } });
  const { eventually } = await import('../support/flowthroughHost');
  await eventually(async () => (gone.every((n) => host.sim.state.numbers.get(n) === undefined) ? true : undefined), 30_000);
  expect(await settled(api, 'f-rel')).toEqual({ synced: 12 });
});

test('a lost kick is recovered by the sweeper', async () => {
  await api.put('/accounts/f-kick', { json: ocAccount('f-kick', SIM_TENANT_US) });
  await host.queue.whenIdle();
  // Drop every kick while the numbers are written: the worker never hears of them.
  const lost: KickTransport = { send: async () => undefined, takeDeadLetters: async () => [] };
  setKickTransport(lost);
  const numbers = numberRange('+14255580600', 10);
  try {
    await createNumbers(api, 'f-kick', numbers);
  } finally {
    setKickTransport(host.queue);
  }
  await new Promise((r) => setTimeout(r, 700)); // older than FLOWTHROUGH_STUCK_AFTER_MS
  expect(await statusCounts(api, 'f-kick')).toEqual({ pending: 10 });
  await host.sweep();
  await expectConvergedAfterSweep('f-kick', numbers, { synced: 10 });
});
