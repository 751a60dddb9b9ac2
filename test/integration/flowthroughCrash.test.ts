/**
 * Crash points: the worker dies (throws) right after each step of a reconcile in turn. Queue
 * redelivery (and the sweeper) finish the work from the tables and Operator Connect's own state:
 * nothing lost, nothing uploaded or released twice. A kick that keeps failing is dead-lettered and
 * the sweeper turns its pending resources into `failed` with the reason.
 */
import { SIM_TENANT_US } from '../../dev/ocSimulator';
import { armFault, clearFaults, type FaultPoint } from '../support/faults';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { createNumbers, numberRange, ocAccount, settled, statusCounts } from '../support/ocFixtures';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost({ maxDeliveryCount: 4 });
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());
afterEach(() => clearFaults());

const POINTS: FaultPoint[] = [
  'reconcile.loaded',
  'reconcile.ordersFollowed',
  'reconcile.intentRecorded',
  'reconcile.orderSubmitted',
  'reconcile.numbersWritten',
  'reconcile.dnsPublished',
  'reconcile.accountWritten',
];

describe.each(POINTS.map((point, i) => [point, i] as const))('the worker dies after %s', (point, i) => {
  const account = `crash-${i}`;
  const numbers = numberRange(`+1425559${i}000`, 25);

  test('uploads converge: every number synced, each uploaded exactly once', async () => {
    await api.put(`/accounts/${account}`, { json: ocAccount(account, SIM_TENANT_US) });
    await host.queue.whenIdle();
    armFault(point, 2);
    await createNumbers(api, account, numbers);
    expect(await settled(api, account)).toEqual({ synced: 25 });
    expect(numbers.every((n) => host.sim.counters.uploadOrdersByNumber[n]?.length === 1)).toBe(true);
    expect(numbers.every((n) => host.sim.counters.ownerByNumber[n] === SIM_TENANT_US)).toBe(true);
  });

  test('releases converge: deleted numbers leave Operator Connect, the others stay', async () => {
    const gone = numbers.slice(0, 5);
    armFault(point, 2);
    await api.post(`/accounts/${account}:deleteNumbers`, { json: { numbers: gone.map((telephoneNumber) => ({ telephoneNumber })) } });
    await eventually(async () => (gone.every((n) => host.sim.state.numbers.get(n) === undefined) ? true : undefined));
    expect(numbers.slice(5).every((n) => host.sim.state.numbers.get(n) !== undefined)).toBe(true);
    expect(await settled(api, account)).toEqual({ synced: 20 });
  });
});

test('a kick that keeps failing is dead-lettered; the sweeper fails its pending resources with the reason', async () => {
  await api.put('/accounts/crash-dlq', { json: ocAccount('crash-dlq', SIM_TENANT_US) });
  // A first sweep pulls the consents now, so the one below sees no consent change (which would
  // rightly kick the tenant's accounts and retry the work).
  await host.sweep();
  await host.queue.whenIdle();
  armFault('reconcile.loaded', 1_000);
  const numbers = numberRange('+14255599900', 3);
  await createNumbers(api, 'crash-dlq', numbers);
  await host.queue.whenIdle();
  expect(await statusCounts(api, 'crash-dlq')).toEqual({ pending: 3 });
  clearFaults();
  await host.sweep();
  const res = await api.get(`/accounts/crash-dlq/numbers/${encodeURIComponent(numbers[0] as string)}`);
  expect(res.body.serviceProvisioningStatus).toBe('failed');
  expect(res.body.serviceProvisioningErrors[0]).toEqual(expect.objectContaining({ code: 'FlowThroughDeadLettered' }));
  expect(res.body.serviceProvisioningErrors[0].message).toMatch(/MaxDeliveryCountExceeded/);
  expect(await statusCounts(api, 'crash-dlq')).toEqual({ failed: 3 });
});
