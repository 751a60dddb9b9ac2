/**
 * GET /health through HTTP against the local host: healthy with storage up (the queue reported as
 * in-process), 503 naming storage (and the lookup's stalled view) while Azurite is unreachable
 * through a cut TCP relay, and healthy again once it is back. Anonymous, with no provisioning data.
 */
import { startAzurite, azuriteConnectionString, type RunningAzurite } from '../../dev/azurite';
import { installFlowthroughQueue, type InProcessQueue } from '../../dev/host/queue';
import { stopLookupService } from '../../shared/lookup/lookupService';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { TcpRelay } from '../support/tcpRelay';
import { until } from '../support/until';

let azurite: RunningAzurite;
let relay: TcpRelay;
let host: LocalHost;
let queue: InProcessQueue;

interface Health {
  status: number;
  body: any;
}

async function health(): Promise<Health> {
  const res = await fetch(`${host.baseUrl}/health`);
  return { status: res.status, body: await res.json() };
}

const healthUntil = (what: string, accept: (h: Health) => boolean, timeoutMs = 15_000): Promise<Health> => until(what, health, accept, timeoutMs, 100);

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
  relay = new TcpRelay(azurite.port);
  await relay.open();
  host = await startLocalHost({ TABLES_CONNECTION_STRING: azuriteConnectionString(relay.port) });
  queue = installFlowthroughQueue();
});

afterAll(async () => {
  stopLookupService();
  queue?.stop();
  await host?.stop();
  await relay?.cut();
  await azurite?.stop();
});

it('is anonymous and reports storage, the in-process queue and the lookup view as healthy', async () => {
  const healthy = await healthUntil('healthy', (h) => h.status === 200);
  expect(healthy.body).toMatchObject({
    status: 'healthy',
    failing: [],
    functions: ['api', 'worker', 'lookup'],
    storage: { status: 'up' },
    queue: { status: 'in-process' },
    lookup: { status: 'up', changeFeed: { healthy: true, consecutiveFailures: 0 } },
  });
  expect(healthy.body.lookup.viewStalenessMs).toBeLessThanOrEqual(healthy.body.lookup.stalenessBoundMs);
  expect(Object.keys(healthy.body).sort()).toEqual(['failing', 'functions', 'lookup', 'queue', 'status', 'storage']);
});

it('refuses other methods with an Azure.Core 405', async () => {
  const res = await fetch(`${host.baseUrl}/health`, { method: 'POST' });
  expect(res.status).toBe(405);
  expect(res.headers.get('x-ms-error-code')).toBe('MethodNotAllowed');
  expect((await res.json()).error.code).toBe('MethodNotAllowed');
});

it('says 503 with storage failing while storage is unreachable, and recovers', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await healthUntil('healthy before the cut', (h) => h.status === 200);
    await relay.cut();
    const down = await healthUntil('storage down', (h) => h.status === 503 && h.body.failing.includes('storage'));
    expect(down.body).toMatchObject({ status: 'unhealthy', storage: { status: 'down' }, queue: { status: 'in-process' } });
    expect(down.body.failing).not.toContain('queue');
    // The view's change-feed reader fails too, and the view falls behind: both reported.
    const stalled = await healthUntil('lookup degraded', (h) => h.body.failing.includes('lookup'));
    expect(stalled.body.lookup).toMatchObject({ status: 'degraded', changeFeed: { healthy: false } });
    expect(stalled.body.lookup.changeFeed.consecutiveFailures).toBeGreaterThan(0);

    await relay.open();
    const back = await healthUntil('recovered', (h) => h.status === 200);
    expect(back.body).toMatchObject({ status: 'healthy', failing: [], storage: { status: 'up' }, lookup: { status: 'up' } });
  } finally {
    warn.mockRestore();
  }
});
