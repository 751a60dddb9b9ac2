/**
 * Telemetry through the real local host (HTTP, Azurite, in-process queue, Operator Connect
 * simulator) with an in-memory OpenTelemetry SDK installed (test/support/telemetry.ts): the metric
 * names and attributes docs/observability.md promises, and one trace from an API write through
 * the kick, the worker's run and the Operator Connect call to the simulator.
 */
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SIM_TENANT_US } from '../../dev/ocSimulator';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { armFault, clearFaults } from '../support/faults';
import { eventually, startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { numberRange, ocAccount, ocNumber, settled } from '../support/ocFixtures';
import { installTestTelemetry, total, type TestTelemetry } from '../support/telemetry';

const UPLOAD = 'POST /tenants/{tenantId}/uploadOrders';
const NUMBER_ROUTE = 'PUT /accounts/{accountName}/numbers/{telephoneNumber}';

let telemetry: TestTelemetry;
let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  telemetry = installTestTelemetry();
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(async () => {
  await host.stop();
  await telemetry.uninstall();
});

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

/** An account of Operator Connect numbers, created and synced before its number is written. */
async function syncedAccount(name: string): Promise<void> {
  expect((await api.put(`/accounts/${name}`, { json: ocAccount(name, SIM_TENANT_US) })).status).toBe(201);
  await eventually(async () => ((await api.get(`/accounts/${name}`)).body.serviceProvisioningStatus === 'synced' ? true : undefined));
}

describe('one Operator Connect number written through the API', () => {
  const [number] = numberRange('+14255579000', 1) as [string];
  let put: { status: number; headers: Headers };

  beforeAll(async () => {
    await syncedAccount('otel-main');
    telemetry.spans.reset();
    put = await api.put(`/accounts/otel-main/numbers/${encodeURIComponent(number)}`, { json: ocNumber('otel-main', number), headers: { 'x-ms-client-request-id': 'otel-write-1' } });
    expect(put.status).toBe(201);
    expect(await settled(api, 'otel-main')).toEqual({ synced: 1 });
  });

  test('counts the request with its operation and status, the run with its outcome, and the Operator Connect calls', async () => {
    expect(await total(telemetry, 'provisioning.requests', { operation: 'Accounts_CreateOrReplaceNumber', status: '201' })).toBe(1);
    const durations = await telemetry.points('provisioning.duration', { operation: 'Accounts_CreateOrReplaceNumber', status: '201' });
    expect(durations).toHaveLength(1);
    expect(durations[0]?.value).toBe(1);
    expect(durations[0]?.sum).toBeGreaterThan(0);
    expect(await total(telemetry, 'reconcile.runs', { kind: 'account', reason: 'write', outcome: 'done' })).toBeGreaterThanOrEqual(2); // the account's write, then the number's
    expect(await total(telemetry, 'reconcile.duration', { kind: 'account', outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(await total(telemetry, 'oc.calls', { operation: UPLOAD, status: '202' })).toBe(1); // accepted: the order is then followed
  });

  test('a request no operation matches counts too, with its error status', async () => {
    const before = await total(telemetry, 'provisioning.requests', { operation: 'unknown', status: '405' });
    expect((await api.patch(`/accounts/otel-main/numbers/${encodeURIComponent(number)}`, { json: {} })).status).toBe(405);
    expect(await total(telemetry, 'provisioning.requests', { operation: 'unknown', status: '405' })).toBe(before + 1);
  });

  test('one trace: API server span → kick producer → reconcile consumer → Operator Connect client → simulator server span', () => {
    const spans = telemetry.finishedSpans();
    const server = spans.filter((s) => s.name === NUMBER_ROUTE && s.kind === SpanKind.SERVER);
    expect(server).toHaveLength(1);
    const root = server[0] as ReadableSpan;
    expect(root.attributes.operation).toBe('Accounts_CreateOrReplaceNumber');
    expect(root.attributes['http.response.status_code']).toBe(201);
    // Findable in `requests` by the account and by the BSS's own request id (docs/operations.md).
    expect(root.attributes.account).toBe('otel-main');
    expect(root.attributes.client_request_id).toBe('otel-write-1');
    const traceId = root.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(inTrace.map((s) => [idOf(s), s]));

    const client = inTrace.find((s) => s.name === `oc ${UPLOAD}`);
    expect(client?.kind).toBe(SpanKind.CLIENT);
    // From the upload up to the API request: consumer ← producer pairs (follow-up kicks continue the trace), then the server span.
    const chain: string[] = [];
    for (let span: ReadableSpan | undefined = client; span !== undefined; span = byId.get(parentOf(span) ?? '')) chain.push(`${SpanKind[span.kind]} ${span.name}`);
    expect(chain[0]).toBe(`CLIENT oc ${UPLOAD}`);
    expect(chain.at(-1)).toBe(`SERVER ${NUMBER_ROUTE}`);
    const middle = chain.slice(1, -1);
    expect(middle.length).toBeGreaterThanOrEqual(2);
    expect(middle.length % 2).toBe(0);
    middle.forEach((link, i) => expect(link).toBe(i % 2 === 0 ? 'CONSUMER flowthrough.reconcile' : 'PRODUCER flowthrough.kick send'));
    const consumer = byId.get(parentOf(client as ReadableSpan) as string) as ReadableSpan;
    expect(consumer.attributes.account).toBe('otel-main');

    const simulated = inTrace.filter((s) => s.name === `oc-simulator ${UPLOAD}`);
    expect(simulated).toHaveLength(1);
    expect(simulated[0]?.kind).toBe(SpanKind.SERVER);
    expect(parentOf(simulated[0] as ReadableSpan)).toBe(idOf(client as ReadableSpan));
  });
});

describe('the lookup', () => {
  test('counts the answer with its action, destination and reason, and records its time', async () => {
    await syncedAccount('otel-lookup');
    const [number] = numberRange('+14255579100', 1) as [string];
    await api.put(`/accounts/otel-lookup/numbers/${encodeURIComponent(number)}`, { json: ocNumber('otel-lookup', number) });
    const query = new URLSearchParams({ direction: 'fromOperator', from: '+14255550100', to: number });
    const match = { action: 'route', destination: 'teamsOperatorConnect', reason: 'provisioned' };
    const before = await total(telemetry, 'lookup.answers', match);
    const res = await fetch(`${host.baseUrl}/lookup/v1/route?${query}`, { headers: { authorization: `Bearer ${await host.token(['Lookup.Query'])}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect' });
    expect(await total(telemetry, 'lookup.answers', match)).toBe(before + 1);
    const durations = await telemetry.points('lookup.duration', { action: 'route' });
    expect(durations.reduce((n, p) => n + p.value, 0)).toBeGreaterThanOrEqual(1);
    expect(durations.every((p) => (p.sum ?? 0) > 0)).toBe(true);
  });
});

describe('Operator Connect throttling and pending numbers', () => {
  afterEach(() => host.sim.clearFaults());

  test('a 429 from Operator Connect counts as a throttle and an http4xx error', async () => {
    await syncedAccount('otel-throttle');
    host.sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'status', status: 429, count: 1 });
    const [number] = numberRange('+14255579200', 1) as [string];
    await api.put(`/accounts/otel-throttle/numbers/${encodeURIComponent(number)}`, { json: ocNumber('otel-throttle', number) });
    expect(await settled(api, 'otel-throttle')).toEqual({ synced: 1 });
    expect(await total(telemetry, 'oc.throttles', { operation: UPLOAD })).toBe(1);
    expect(await total(telemetry, 'oc.calls', { operation: UPLOAD, status: '429' })).toBe(1);
    expect(await total(telemetry, 'oc.errors', { operation: UPLOAD, kind: 'http4xx' })).toBe(1);
  });

  test('after a sweep, the gauges report the pending number and its age', async () => {
    await syncedAccount('otel-pending');
    // Operator Connect refuses every upload for now: the number stays pending.
    host.sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'status', status: 503 });
    const [number] = numberRange('+14255579300', 1) as [string];
    const written = Date.now();
    expect((await api.put(`/accounts/otel-pending/numbers/${encodeURIComponent(number)}`, { json: ocNumber('otel-pending', number) })).status).toBe(201);
    await eventually(async () => ((await total(telemetry, 'oc.calls', { operation: UPLOAD, status: '503' })) > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_100));
    const sweptAt = Date.now();
    await host.sweep();
    const swept = Date.now();
    const pending = await telemetry.points('numbers.pending', { service: 'teamsOperatorConnect' });
    expect(pending.map((p) => p.value)).toEqual([1]);
    expect((await telemetry.points('numbers.pending', { service: 'teamsDirectRouting' })).map((p) => p.value)).toEqual([0]);
    const [age] = await telemetry.points('numbers.pending.oldest_age', { service: 'teamsOperatorConnect' });
    // Written between `written` and the sweep: at least the wait above, at most the whole span (second granularity of storage times aside).
    expect(age?.value).toBeGreaterThanOrEqual((sweptAt - written) / 1000 - 1);
    expect(age?.value).toBeLessThanOrEqual((swept - written) / 1000 + 1);
    expect(age?.value).toBeGreaterThan(0.5);
    expect(await total(telemetry, 'oc.errors', { operation: UPLOAD, kind: 'http5xx' })).toBeGreaterThanOrEqual(1);
  });
  test('a kick that keeps failing: every failed run counts as an error, and the sweeper counts the dead letter', async () => {
    // Only this account's runs fail: the earlier tests' work has finished first.
    expect(await settled(api, 'otel-pending')).toEqual({ synced: 1 });
    await syncedAccount('otel-dlq');
    await host.sweep(); // consents pulled now, so the sweep below kicks nothing new for the tenant
    await host.queue.whenIdle();
    const failedWrites = { kind: 'account', reason: 'write', outcome: 'error' };
    const errorsBefore = await total(telemetry, 'reconcile.runs', failedWrites);
    const [number] = numberRange('+14255579400', 1) as [string];
    armFault('reconcile.loaded', 1_000);
    try {
      await api.put(`/accounts/otel-dlq/numbers/${encodeURIComponent(number)}`, { json: ocNumber('otel-dlq', number) });
      await host.queue.whenIdle();
    } finally {
      clearFaults();
    }
    // The in-process queue dead-letters after 10 deliveries, as Service Bus does by default.
    expect((await total(telemetry, 'reconcile.runs', failedWrites)) - errorsBefore).toBe(10);
    expect(await total(telemetry, 'kicks.deadlettered')).toBe(0);
    await host.sweep();
    expect(await total(telemetry, 'kicks.deadlettered', { reason: 'MaxDeliveryCountExceeded' })).toBe(1);
    expect((await api.get(`/accounts/otel-dlq/numbers/${encodeURIComponent(number)}`)).body.serviceProvisioningStatus).toBe('failed');
  });
});
