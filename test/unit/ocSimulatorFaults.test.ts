/**
 * Operator Connect simulator throttling and fault injection over real HTTP: the per-app token bucket,
 * every fault kind (status, timeout, drop, latency) with count and virtual-time windows, ambiguous
 * failures that still apply the request, the global latency knob, and the /_sim/faults routes.
 * Nothing here measures wall-clock time: latency is observed through a client timeout that fires.
 */
import {
  SIM_ADDRESSES,
  SIM_NUMBER_RANGES,
  SIM_PROFILE_CALLING_ID,
  SIM_READER_CLIENT_ID,
  SIM_TENANT_US,
  simNumber,
  startOcSimulator,
  type FaultSpec,
  type OcSimulator,
} from '../../dev/ocSimulator';
import { requestClientToken, simCall, type SimReply as Reply } from '../support/simulatorHttp';

let sim: OcSimulator;
let token: string;

function api(method: string, path: string, body?: unknown, init: { bearer?: string; timeoutMs?: number } = {}): Promise<Reply> {
  return simCall(`${sim.apiBaseUrl}${path}`, method, body, { ...init, bearer: init.bearer ?? token });
}

const control = (method: string, path: string, body?: unknown): Promise<Reply> => simCall(`${sim.url}/_sim${path}`, method, body);

const US = (index: number) => simNumber(SIM_NUMBER_RANGES.US, index);
const upload = (telephoneNumbers: string[]) => ({
  telephoneNumbers,
  callingProfileId: SIM_PROFILE_CALLING_ID,
  usage: 'CallingUserAssignment',
  choosableCapabilities: ['InboundCalling'],
  civicAddressId: SIM_ADDRESSES.usValidated,
});
const uploadPath = `/tenants/${SIM_TENANT_US}/uploadOrders`;
const ordersSince = (iso: string) => api('GET', `/tenants/${SIM_TENANT_US}/orders?createdAfter=${encodeURIComponent(iso)}`);

beforeAll(async () => {
  sim = await startOcSimulator({ clock: 'manual', throttlePerMinute: null });
  token = sim.issueToken();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

describe('throttling', () => {
  beforeEach(() => {
    sim.configure({ throttlePerMinute: 5 });
  });

  it('answers 429 TooManyRequests with Retry-After once an app’s bucket is empty, and refills on the virtual clock', async () => {
    for (let call = 0; call < 5; call++) expect((await api('GET', '/callingProfiles')).status).toBe(200);
    const throttled = await api('GET', '/callingProfiles');
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('TooManyRequests');
    expect(throttled.headers.get('retry-after')).toBe('12'); // one token per 12 s at 5/min
    sim.advance(11_999);
    expect((await api('GET', '/callingProfiles')).status).toBe(429);
    sim.advance(1);
    expect((await api('GET', '/callingProfiles')).status).toBe(200);
    expect((await api('GET', '/callingProfiles')).status).toBe(429);
  });

  it('keeps a bucket per app id', async () => {
    for (let call = 0; call < 5; call++) await api('GET', '/callingProfiles');
    expect((await api('GET', '/callingProfiles')).status).toBe(429);
    const reader = sim.issueToken({ clientId: SIM_READER_CLIENT_ID });
    expect((await api('GET', '/callingProfiles', undefined, { bearer: reader })).status).toBe(200);
  });

  it('can be disabled', async () => {
    sim.configure({ throttlePerMinute: null });
    for (let call = 0; call < 12; call++) expect((await api('GET', '/callingProfiles')).status).toBe(200);
  });

  it('leaves the token endpoint and /_sim alone', async () => {
    for (let call = 0; call < 8; call++) {
      const answer = await requestClientToken(sim);
      expect(answer.status).toBe(200);
      expect((await control('GET', '/clock')).status).toBe(200);
    }
  });

  it('reports Retry-After in real seconds when virtual time runs faster', async () => {
    const fast = await startOcSimulator({ clock: 'real', timeScale: 100, throttlePerMinute: 1 });
    try {
      const headers = { authorization: `Bearer ${fast.issueToken()}` };
      let throttled: Response | undefined;
      for (let call = 0; call < 3 && throttled === undefined; call++) {
        const answer = await fetch(`${fast.apiBaseUrl}/callingProfiles`, { headers });
        if (answer.status === 429) throttled = answer;
      }
      expect(throttled?.headers.get('retry-after')).toBe('1'); // under 60 virtual s = under 0.6 real s, rounded up
    } finally {
      await fast.close();
    }
  });
});

describe('status faults', () => {
  it('answers with the given status and Retry-After seconds, for `count` calls, without doing the work', async () => {
    sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'status', status: 503, retryAfter: 7, count: 1 });
    const faulted = await api('POST', uploadPath, upload([US(0)]));
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('7');
    expect(faulted.body).toEqual({ code: 'ServiceUnavailable', message: expect.any(String), details: [] });
    expect(faulted.headers.get('x-ms-request-id')).toBeTruthy();
    expect(sim.state.orders.size).toBe(0);
    expect((await api('POST', uploadPath, upload([US(0)]))).status).toBe(202);
    expect(sim.counters.callsByRoute['POST /tenants/{tenantId}/uploadOrders']).toBe(2);
  });

  it('sends an HTTP-date Retry-After and a custom body', async () => {
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    sim.addFault({ route: 'GET /callingProfiles', action: 'status', status: 429, retryAfter: date, body: { code: 'Busy', message: 'later', details: [] } });
    const answer = await api('GET', '/callingProfiles');
    expect([answer.status, answer.headers.get('retry-after'), answer.body.code]).toEqual([429, date, 'Busy']);
  });

  it('with applyRequest creates the order and still answers 500 (an ambiguous failure)', async () => {
    const since = new Date(sim.now()).toISOString();
    sim.addFault({ route: 'POST /tenants/{tenantId}/uploadOrders', action: 'status', status: 500, applyRequest: true, count: 1 });
    const answer = await api('POST', uploadPath, upload([US(0)]));
    expect([answer.status, answer.body.code]).toEqual([500, 'InternalServerError']);
    const orders = await ordersSince(since);
    expect(orders.body.value).toHaveLength(1);
    expect(sim.counters.uploadOrdersByNumber[US(0)]).toEqual([orders.body.value[0].orderId]);
  });

  it('matches the method, a `*` method, the API prefix in the pattern and a trailing `**`', async () => {
    sim.addFault({ route: 'POST /callingProfiles', action: 'status', status: 502 });
    expect((await api('GET', '/callingProfiles')).status).toBe(200);
    sim.clearFaults();
    sim.addFault({ route: '* /oc/v1/tenants/**', action: 'status', status: 502 });
    expect((await api('GET', `/tenants/${SIM_TENANT_US}/numbers`)).status).toBe(502);
    expect((await api('GET', `/tenants/${SIM_TENANT_US}/usages`)).status).toBe(502);
    expect((await api('GET', '/consents')).status).toBe(200);
  });

  it('can fail the token endpoint, but never /_sim', async () => {
    sim.addFault({ route: '* /**', action: 'status', status: 503 });
    const tokenAnswer = await requestClientToken(sim);
    expect(tokenAnswer.status).toBe(503);
    expect((await api('GET', '/consents')).status).toBe(503);
    expect((await control('GET', '/state')).status).toBe(200);
  });

  it('is active only inside its virtual-time window', async () => {
    const now = sim.now();
    sim.addFault({ route: 'GET /consents', action: 'status', status: 500, from: now + 1_000, until: new Date(now + 2_000).toISOString() });
    expect((await api('GET', '/consents')).status).toBe(200);
    sim.advance(1_000);
    expect((await api('GET', '/consents')).status).toBe(500);
    sim.advance(1_000);
    expect((await api('GET', '/consents')).status).toBe(200);
  });

  it('ends after forMs of virtual time', async () => {
    sim.addFault({ route: 'GET /consents', action: 'status', status: 500, forMs: 500 });
    expect((await api('GET', '/consents')).status).toBe(500);
    sim.advance(500);
    expect((await api('GET', '/consents')).status).toBe(200);
  });
});

describe('connection faults', () => {
  it('timeout: holds the answer until the client gives up, without doing the work', async () => {
    sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'timeout', count: 1 });
    await expect(api('POST', uploadPath, upload([US(0)]), { timeoutMs: 150 })).rejects.toThrow(/aborted/i);
    expect(sim.state.orders.size).toBe(0);
    expect((await api('POST', uploadPath, upload([US(0)]))).status).toBe(202);
  });

  it('timeout: destroys the held connection after maxHoldMs', async () => {
    sim.addFault({ route: 'GET /consents', action: 'timeout', maxHoldMs: 50, count: 1 });
    await expect(api('GET', '/consents', undefined, { timeoutMs: 10_000 })).rejects.toThrow(/fetch failed/);
  });

  it('timeout with applyRequest: the order exists although the client never got an answer', async () => {
    const since = new Date(sim.now()).toISOString();
    sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'timeout', applyRequest: true, count: 1 });
    await expect(api('POST', uploadPath, upload([US(0)]), { timeoutMs: 150 })).rejects.toThrow(/aborted/i);
    expect((await ordersSince(since)).body.value).toHaveLength(1);
  });

  it('drop: closes the connection without an answer and without doing the work', async () => {
    sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'drop', count: 1 });
    await expect(api('POST', uploadPath, upload([US(0)]))).rejects.toThrow(/fetch failed/);
    expect(sim.state.orders.size).toBe(0);
    expect(sim.counters.uploadOrdersByNumber).toEqual({});
  });

  it('drop with applyRequest: the order was created, the answer lost, and a read-back finds it', async () => {
    const since = new Date(sim.now()).toISOString();
    sim.addFault({ route: 'POST /tenants/*/uploadOrders', action: 'drop', applyRequest: true, count: 1 });
    await expect(api('POST', uploadPath, upload([US(0), US(1)]))).rejects.toThrow(/fetch failed/);
    const found = await ordersSince(since);
    expect(found.body.value).toHaveLength(1);
    expect(found.body.value[0].results.map((result: any) => result.telephoneNumber)).toEqual([US(0), US(1)]);
    sim.advance(3_000);
    expect(sim.state.numbers.get(US(1))?.tenantId).toBe(SIM_TENANT_US);
    expect(sim.counters.numbersUploadedMoreThanOnce).toEqual([]);
  });
});

describe('latency', () => {
  it('a latency fault delays matching calls (a short client timeout fires) and then disarms', async () => {
    sim.addFault({ route: 'GET /consents', action: 'latency', latencyMs: 1_000, count: 1 });
    await expect(api('GET', '/consents', undefined, { timeoutMs: 100 })).rejects.toThrow(/aborted/i);
    expect((await api('GET', '/consents', undefined, { timeoutMs: 2_000 })).status).toBe(200);
  });

  it('the global latency knob delays every API and token call until reset to 0', async () => {
    sim.setLatency(1_000);
    await expect(api('GET', '/callingProfiles', undefined, { timeoutMs: 100 })).rejects.toThrow(/aborted/i);
    const tokenCall = requestClientToken(sim, sim, { timeoutMs: 100 });
    await expect(tokenCall).rejects.toThrow(/aborted/i);
    expect((await control('GET', '/clock')).status).toBe(200); // /_sim is never delayed
    sim.setLatency(0);
    expect((await api('GET', '/callingProfiles', undefined, { timeoutMs: 1_000 })).status).toBe(200);
  });
});

describe('/_sim/faults', () => {
  it('arms, lists with hits, removes one and clears all over HTTP', async () => {
    const created = await control('POST', '/faults', { route: 'GET /consents', action: 'status', status: 500, count: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), route: 'GET /consents', action: 'status', status: 500, count: 2, remaining: 2, hits: 0 });
    await api('GET', '/consents');
    const listed = await control('GET', '/faults');
    expect(listed.body.value).toEqual([expect.objectContaining({ id: created.body.id, hits: 1, remaining: 1 })]);
    expect((await control('DELETE', `/faults/${created.body.id}`)).status).toBe(204);
    expect((await control('DELETE', `/faults/${created.body.id}`)).body.code).toBe('FaultNotFound');
    expect((await api('GET', '/consents')).status).toBe(200);
    await control('POST', '/faults', { route: 'GET /consents', action: 'drop' });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).body.value).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a route without a method', { route: '/consents', action: 'status' }],
    ['an unknown action', { route: 'GET /consents', action: 'explode' }],
    ['a latency fault without latencyMs', { route: 'GET /consents', action: 'latency' }],
    ['a status outside 100-599', { route: 'GET /consents', action: 'status', status: 700 }],
    ['a Retry-After that is neither seconds nor a date', { route: 'GET /consents', action: 'status', retryAfter: 'soon' }],
    ['a zero count', { route: 'GET /consents', action: 'drop', count: 0 }],
  ])('rejects %s with 400 InvalidRequestBody', async (_case, spec) => {
    const answer = await control('POST', '/faults', spec);
    expect([answer.status, answer.body.code]).toEqual([400, 'InvalidRequestBody']);
    expect(() => sim.addFault(spec as unknown as FaultSpec)).toThrow();
  });
});
