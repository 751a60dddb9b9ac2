import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { app, HttpRequest, HttpResponse, InvocationContext, Timer } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { startAzurite } from '../../dev/azurite';
import { registry } from '../../dev/host/fakeCore';
import { closeHttpServer, serveHttp } from '../../dev/host/httpServer';
import { invokeFunction, listRegistrations } from '../../dev/host/invoke';
import { buildRouteTable, compileRoute, matchRoute, readRoutePrefix, RouteDefinition } from '../../dev/host/routes';
import { parseSchedule, runTimer, startTimers } from '../../dev/host/timers';

// ---------------------------------------------------------------------------------------------
// Registrations made through the real @azure/functions API; jest.config.js maps
// @azure/functions-core to the fake core, so they land in its registry.

app.http('getNumber', {
  route: 'accounts/{accountName}/numbers/{telephoneNumber}',
  methods: ['GET'],
  handler: async (req: HttpRequest, context: InvocationContext) => ({
    jsonBody: {
      params: req.params,
      q: req.query.get('q'),
      ua: req.headers.get('user-agent'),
      functionName: context.functionName,
    },
  }),
});
app.http('createEcho', {
  route: 'echo',
  methods: ['POST'],
  handler: async (req: HttpRequest) => ({
    status: 201,
    headers: { location: '/echo/1', 'x-echo-length': String((await req.arrayBuffer()).byteLength) },
    cookies: [{ name: 'sess', value: 'a b', path: '/', httpOnly: true }],
    body: 'created',
  }),
});
app.http('boom', { route: 'boom', methods: ['GET'], handler: async () => Promise.reject(new Error('kaput')) });
app.http('streamed', {
  route: 'streamed',
  methods: ['GET'],
  handler: async () =>
    new HttpResponse({
      headers: { 'content-type': 'text/plain' },
      body: Readable.from(
        (async function* () {
          for (const part of ['one,', 'two,', 'three']) {
            await new Promise((r) => setTimeout(r, 5));
            yield Buffer.from(part);
          }
        })(),
      ),
    }),
});
app.http('noResult', { route: 'nothing', methods: ['DELETE'], handler: async () => undefined as never });

const sweeps: Timer[] = [];
let holdSweeps = false; // when set, a sweep run waits for releaseSweep()
let releaseSweep: (() => void) | undefined;
app.timer('sweep', {
  schedule: '*/1 * * * * *',
  handler: async (timer: Timer) => {
    sweeps.push(timer);
    if (holdSweeps) await new Promise<void>((r) => (releaseSweep = r));
  },
});
app.timer('failingTimer', { schedule: '0 0 2 * * *', handler: async () => Promise.reject(new Error('timer kaput')) });

const kicks: Array<{ message: unknown; deliveryCount: unknown; queueName: unknown }> = [];
app.serviceBusQueue('onKick', {
  queueName: 'kicks',
  connection: 'ServiceBusConnection',
  handler: async (message: unknown, context: InvocationContext) => {
    kicks.push({
      message,
      deliveryCount: context.triggerMetadata?.deliveryCount,
      queueName: context.options.trigger.queueName,
    });
  },
});

// ---------------------------------------------------------------------------------------------

describe('route templates', () => {
  const params = (route: string, pathname: string, prefix = '') => matchRoute(compileRoute(route, prefix), pathname);

  it('captures named parameters and matches literals case-insensitively', () => {
    expect(params('accounts/{accountName}/numbers/{telephoneNumber}', '/Accounts/contoso/NUMBERS/12345')).toEqual({
      accountName: 'contoso',
      telephoneNumber: '12345',
    });
    expect(params('accounts/{accountName}', '/accounts/contoso/')).toEqual({ accountName: 'contoso' });
    expect(params('accounts/{accountName}', '/accounts')).toBeUndefined();
    expect(params('accounts/{accountName}', '/accounts/a/b')).toBeUndefined();
  });

  it('URL-decodes parameters: %2B becomes +, a literal + stays +', () => {
    expect(params('numbers/{n}', '/numbers/%2B15105850321')).toEqual({ n: '+15105850321' });
    expect(params('numbers/{n}', '/numbers/+15105850321')).toEqual({ n: '+15105850321' });
    expect(params('numbers/{n}', '/numbers/a%20b%ZZ')).toEqual({ n: 'a%20b%ZZ' }); // malformed: left as sent
  });

  it('captures an Azure.Core action suffix as part of the segment parameter', () => {
    expect(params('accounts/{accountName}', '/accounts/contoso:deleteNumbers')).toEqual({
      accountName: 'contoso:deleteNumbers',
    });
    expect(params('accounts/{accountName}:deleteNumbers', '/accounts/contoso:deleteNumbers')).toEqual({
      accountName: 'contoso',
    });
  });

  it('supports optional and catch-all parameters and ignores constraints', () => {
    expect(params('items/{id?}', '/items')).toEqual({});
    expect(params('items/{id?}', '/items/7')).toEqual({ id: '7' });
    expect(params('files/{*rest}', '/files/a/b%20c')).toEqual({ rest: 'a/b c' });
    expect(params('files/{*rest}', '/files')).toEqual({});
    expect(params('items/{id:int}', '/items/abc')).toEqual({ id: 'abc' });
  });

  it('puts routes under the route prefix', () => {
    expect(params('accounts', '/api/accounts', 'api')).toEqual({});
    expect(params('accounts', '/accounts', 'api')).toBeUndefined();
  });

  it('reads routePrefix from host.json: "" in this repo, the host default "api" when unset', () => {
    expect(readRoutePrefix()).toBe('');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostjson-'));
    fs.writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0' }));
    expect(readRoutePrefix(path.join(dir, 'host.json'))).toBe('api');
  });
});

describe('route table', () => {
  const def = (functionName: string, route: string, methods: string[]): RouteDefinition => ({ functionName, route, methods });

  it('prefers the route with more literal segments, whatever the registration order', () => {
    const table = buildRouteTable(
      [
        def('anyChild', 'accounts/{accountName}/{child}', ['GET']),
        def('catchAll', '{*path}', ['GET']),
        def('listNumbers', 'accounts/{accountName}/numbers', ['GET']),
      ],
      '',
    );
    expect(table.resolve('GET', '/accounts/contoso/numbers')).toEqual({
      kind: 'matched',
      functionName: 'listNumbers',
      params: { accountName: 'contoso' },
    });
    expect(table.resolve('GET', '/accounts/contoso/other')).toMatchObject({ functionName: 'anyChild' });
    expect(table.resolve('GET', '/elsewhere/x')).toMatchObject({ functionName: 'catchAll' });
  });

  it('dispatches one template to different functions by method, 405 only when none accepts it', () => {
    const table = buildRouteTable(
      [def('accountCrud', 'accounts/{accountName}', ['GET', 'PUT', 'DELETE']), def('accountAction', 'accounts/{accountAction}', ['POST'])],
      '',
    );
    expect(table.resolve('post', '/accounts/contoso:deleteNumbers')).toEqual({
      kind: 'matched',
      functionName: 'accountAction',
      params: { accountAction: 'contoso:deleteNumbers' },
    });
    expect(table.resolve('PUT', '/accounts/contoso')).toMatchObject({ functionName: 'accountCrud' });
    expect(table.resolve('PATCH', '/accounts/contoso')).toEqual({
      kind: 'methodNotAllowed',
      allow: ['GET', 'PUT', 'DELETE', 'POST'],
    });
    expect(table.resolve('GET', '/numbers')).toEqual({ kind: 'notFound' });
  });
});

describe('registry and invoke', () => {
  it('captures registrations with their trigger options', () => {
    expect(listRegistrations()).toEqual(
      expect.arrayContaining([
        {
          name: 'getNumber',
          triggerType: 'httpTrigger',
          route: 'accounts/{accountName}/numbers/{telephoneNumber}',
          methods: ['GET'],
        },
        { name: 'sweep', triggerType: 'timerTrigger', schedule: '*/1 * * * * *' },
        { name: 'onKick', triggerType: 'serviceBusTrigger', queueName: 'kicks' },
      ]),
    );
  });

  it('rejects a second function with the same name', () => {
    expect(() => app.http('boom', { route: 'boom2', handler: async () => ({}) })).toThrow(/already registered/);
  });

  it('invokes any registration with trigger metadata and binding options', async () => {
    await invokeFunction('onKick', { accountName: 'contoso' }, { deliveryCount: 2 });
    expect(kicks).toEqual([{ message: { accountName: 'contoso' }, deliveryCount: 2, queueName: 'kicks' }]);
    await expect(invokeFunction('missing', {})).rejects.toThrow(/No function named "missing"/);
  });
});

describe('HTTP server', () => {
  let server: http.Server;
  let baseUrl: string;
  beforeAll(async () => {
    ({ server, url: baseUrl } = await serveHttp(0));
  });
  afterAll(async () => {
    await closeHttpServer(server);
  });

  it('serves a route with decoded params, query and headers', async () => {
    const res = await fetch(`${baseUrl}/accounts/contoso/numbers/%2B15105850321?q=x`, { headers: { 'user-agent': 'unit' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(await res.json()).toEqual({
      params: { accountName: 'contoso', telephoneNumber: '+15105850321' },
      q: 'x',
      ua: 'unit',
      functionName: 'getNumber',
    });
  });

  it('passes the body, writes status, headers and cookies', async () => {
    const res = await fetch(`${baseUrl}/echo`, { method: 'POST', body: 'x'.repeat(3000) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/echo/1');
    expect(res.headers.get('x-echo-length')).toBe('3000');
    expect(res.headers.get('content-length')).toBe('7');
    expect(res.headers.getSetCookie()).toEqual(['sess=a%20b; Path=/; HttpOnly']);
    expect(await res.text()).toBe('created');
  });

  it('streams a stream body chunked', async () => {
    const res = await fetch(`${baseUrl}/streamed`);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(await res.text()).toBe('one,two,three');
  });

  it('answers 204 when the handler returns nothing', async () => {
    const res = await fetch(`${baseUrl}/nothing`, { method: 'DELETE' });
    expect(res.status).toBe(204);
  });

  it('answers 404 for an unknown route and 405 (with Allow) for a known route and another method', async () => {
    expect((await fetch(`${baseUrl}/nope`)).status).toBe(404);
    const res = await fetch(`${baseUrl}/accounts/contoso/numbers/1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('turns a handler that throws into a 500 with an Azure.Core error body', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await fetch(`${baseUrl}/boom`);
      expect(res.status).toBe(500);
      expect(res.headers.get('x-ms-error-code')).toBe('InternalError');
      expect(await res.json()).toEqual({ error: { code: 'InternalError', message: 'Function "boom" failed: kaput' } });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  // 400 with an Azure.Core body, not a bare 413: docs/api.md "At the edge".
  it('rejects a body over FUNCTIONS_REQUEST_BODY_SIZE_LIMIT with 400 RequestBodyTooLarge', async () => {
    process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT = '1024';
    try {
      const res = await fetch(`${baseUrl}/echo`, { method: 'POST', body: 'x'.repeat(1025) });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-ms-error-code')).toBe('RequestBodyTooLarge');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RequestBodyTooLarge');
      const chunked = await fetch(`${baseUrl}/echo`, { method: 'POST', body: Readable.toWeb(Readable.from([Buffer.alloc(1000), Buffer.alloc(1000)])) as ReadableStream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(400);
      expect(chunked.headers.get('x-ms-error-code')).toBe('RequestBodyTooLarge');
      const ok = await fetch(`${baseUrl}/echo`, { method: 'POST', body: 'x'.repeat(1024) });
      expect(ok.status).toBe(201);
    } finally {
      delete process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT;
    }
  });

  it('rejects a declared body over the 100 MB default before reading it', async () => {
    const { status, code } = await new Promise<{ status: number | undefined; code: unknown }>((resolve, reject) => {
      const req = http.request(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-length': 100 * 1024 * 1024 + 1 } });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode, code: res.headers['x-ms-error-code'] });
        req.destroy();
      });
      req.on('error', reject);
      req.write('x'); // headers out, body nowhere near complete
    });
    expect(status).toBe(400);
    expect(code).toBe('RequestBodyTooLarge');
  });

  it('serves many concurrent requests over keep-alive connections', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetch(`${baseUrl}/accounts/a/numbers/${i}`).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(50).fill(200));
  });
});

describe('timers', () => {
  afterEach(() => {
    jest.useRealTimers();
    holdSweeps = false;
    releaseSweep = undefined;
    sweeps.length = 0;
  });

  it('runTimer invokes the handler with the host timer shape', async () => {
    await runTimer('sweep');
    expect(sweeps).toHaveLength(1);
    const timer = sweeps[0]!;
    expect(timer.isPastDue).toBe(false);
    expect(timer.schedule).toEqual({ adjustForDST: false });
    expect(new Date(timer.scheduleStatus.next).getTime()).toBeGreaterThan(new Date(timer.scheduleStatus.last).getTime());
  });

  it('runTimer rejects with the handler error', async () => {
    await expect(runTimer('failingTimer')).rejects.toThrow('timer kaput');
  });

  it('never overlaps two runs of one timer', async () => {
    holdSweeps = true;
    const first = runTimer('sweep');
    const second = runTimer('sweep');
    expect(second).toBe(first);
    await new Promise((r) => setImmediate(r));
    releaseSweep?.();
    await first;
    expect(sweeps).toHaveLength(1);
  });

  it('runs timers on their schedule, skipping occurrences while a run is still going', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.500Z') });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const timers = startTimers();
    try {
      await jest.advanceTimersByTimeAsync(600); // 00:00:01
      expect(sweeps.map((t) => t.scheduleStatus.lastUpdated)).toEqual(['2030-01-01T00:00:01.000Z']);
      await jest.advanceTimersByTimeAsync(1000); // 00:00:02
      expect(sweeps).toHaveLength(2);

      holdSweeps = true; // the next run hangs until released
      await jest.advanceTimersByTimeAsync(1000); // 00:00:03 starts, 00:00:04 is skipped
      await jest.advanceTimersByTimeAsync(1000);
      expect(sweeps).toHaveLength(3);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('"sweep" skipped an occurrence'));
      holdSweeps = false;
      releaseSweep?.();
      await jest.advanceTimersByTimeAsync(1000); // 00:00:05 runs again
      expect(sweeps).toHaveLength(4);
    } finally {
      timers.stop();
      warn.mockRestore();
    }
  });

  it('parses NCRONTAB (seconds first, UTC) and TimeSpan schedules, and refuses 5-field cron', () => {
    const from = new Date('2030-01-01T00:02:30Z');
    expect(parseSchedule('0 */5 * * * *').next(from).toISOString()).toBe('2030-01-01T00:05:00.000Z');
    expect(parseSchedule('0 0 2 * * *').previous(from).toISOString()).toBe('2029-12-31T02:00:00.000Z');
    expect(parseSchedule('00:10:00').next(from).toISOString()).toBe('2030-01-01T00:12:30.000Z');
    expect(() => parseSchedule('*/5 * * * *')).toThrow(/6-field/);
  });
});

describe('Azurite in-process', () => {
  const entity = { partitionKey: 'p1', rowKey: 'r1', value: 42 };

  it('starts in memory on a free port and round-trips an entity', async () => {
    const azurite = await startAzurite({ port: 0 });
    try {
      expect(azurite.port).toBeGreaterThan(0);
      expect(azurite.connectionString).toContain(`TableEndpoint=http://127.0.0.1:${azurite.port}/devstoreaccount1;`);
      const client = TableClient.fromConnectionString(azurite.connectionString, 'roundtrip', { allowInsecureConnection: true });
      await client.createTable();
      await client.upsertEntity(entity);
      expect(await client.getEntity('p1', 'r1')).toMatchObject(entity);
    } finally {
      await azurite.stop();
    }
  });

  it('persists tables in a location across restarts', async () => {
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
    const first = await startAzurite({ port: 0, location });
    const client1 = TableClient.fromConnectionString(first.connectionString, 'persisted', { allowInsecureConnection: true });
    await client1.createTable();
    await client1.upsertEntity(entity);
    await first.stop();
    expect(fs.existsSync(path.join(location, '__azurite_db_table__.json'))).toBe(true);

    const second = await startAzurite({ port: 0, location });
    try {
      const client2 = TableClient.fromConnectionString(second.connectionString, 'persisted', { allowInsecureConnection: true });
      expect(await client2.getEntity('p1', 'r1')).toMatchObject(entity);
    } finally {
      await second.stop();
      fs.rmSync(location, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  registry.clear();
});
