/**
 * `npm run bench:lookup` (node --expose-gc): the lookup's warm path against the cheapest server that
 * could answer the same question. One process, one in-memory Azurite, the real app behind the local
 * HTTP host with a real bearer token, and:
 *   seed      100,000 numbers over 10 accounts (Direct Routing, Operator Connect, Teams Phone Mobile,
 *             Zoom, Call Protection, headers) through the provisioning use case (upsertNumberBatch)
 *   warm      every number and 10,000 unprovisioned ones looked up once (the miss path, storage
 *             reads); heap measured before and after with gc → memory per 100,000 cached numbers
 *   in-proc   cost per call of the layers, without sockets: question + decide + JSON, the function
 *             handler (with @azure/functions HttpRequest), and HttpResponse conversion
 *   load      autocannon (in a worker thread, so the client does not share the server's event loop)
 *             10 connections × 10 s on GET /lookup/v1/route, 90% provisioned numbers, 10% not;
 *             the baseline is a plain node:http server answering the same JSON from a Map, run before
 *             and after the lookup (mean of the two).
 * Prints req/s, p50, p99 for both, the throughput ratio (target ≥ 0.7) and p99 (target ≤ 2 ms).
 */
import '../dev/host/install'; // first: the app's app.http() registrations must reach the fake core
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { startAzurite } from '../dev/azurite';
import { closeHttpServer, serveHttp } from '../dev/host/httpServer';
import type { NumberDoc } from '../shared/domain/types';
import { putAccount } from '../shared/provisioning/accounts';
import { accountDocFrom as parseAccountBody } from '../shared/operations/accounts';
import { upsertNumberBatch, type BatchItem } from '../shared/provisioning/numbers';
import { lookupService } from '../shared/lookup/lookupService';
import { questionFromQuery } from '../shared/lookup/question';
import type { RouteAnswer } from '../shared/lookup/types';
import { startBenchAuth } from './benchAuth';
import { elapsedMs, latencySummary, pool, seconds } from './stats';
import { accountBody, numberAt, numberDoc as numberDocOf, prng, unknownAt, type AccountPlan } from './provisionedNumbers';

const ACCOUNTS = 10;
/** BENCH_NUMBERS_PER_ACCOUNT shrinks the run for a smoke test; the figures are for the default. */
const PER_ACCOUNT = Number(process.env.BENCH_NUMBERS_PER_ACCOUNT ?? 10_000);
const TOTAL = ACCOUNTS * PER_ACCOUNT;
const UNKNOWN = 10_000;
const BATCH = 100;
const SEED_IN_FLIGHT = 4;
const WARM_IN_FLIGHT = 16;
const WARM_ATTEMPTS = 50;
const REQUESTS = 20_000; // the sequence each autocannon connection cycles through
const CONNECTIONS = 10;
const DURATION_S = 10;
const IN_PROCESS_CALLS = 50_000;
const LATENCY_REQUESTS = 5_000;
const LATENCY_WARM_UP = 500;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 2;


const PLANS: AccountPlan[] = [
  { name: 'bench-dr-0', service: 'teamsDirectRouting', callProtection: true, subdomain: 'benchdr0', callScreening: true },
  { name: 'bench-dr-1', service: 'teamsDirectRouting', callProtection: false, subdomain: 'benchdr1', callScreening: false },
  { name: 'bench-oc-0', service: 'teamsOperatorConnect', callProtection: false },
  { name: 'bench-oc-1', service: 'teamsOperatorConnect', callProtection: true },
  { name: 'bench-tpm-0', service: 'teamsPhoneMobile', callProtection: false },
  { name: 'bench-tpm-1', service: 'teamsPhoneMobile', callProtection: true },
  { name: 'bench-zoom-0', service: 'zoomPhoneCloudPeering', callProtection: false },
  { name: 'bench-zoom-1', service: 'zoomPhoneCloudPeering', callProtection: true },
  { name: 'bench-zoom-2', service: 'zoomPhoneCloudPeering', callProtection: false },
  { name: 'bench-oc-2', service: 'teamsOperatorConnect', callProtection: false },
];
const planOf = (i: number) => PLANS[Math.floor(i / PER_ACCOUNT)] as AccountPlan;

const numberDoc = (i: number): NumberDoc => numberDocOf(i, planOf(i));

/** The question the SBC would ask about provisioned number i (70% from the operator network). */
function knownQuestion(i: number, pick: number): Record<string, string> {
  const plan = planOf(i);
  const n = numberAt(i);
  if (pick % 10 < 7) return { direction: 'fromOperator', from: '+33123456789', to: n };
  const q: Record<string, string> = { direction: 'toOperator', from: n, to: '+33123456789', origin: plan.service };
  if (plan.subdomain !== undefined) q.subdomain = plan.subdomain;
  return q;
}

function unknownQuestion(i: number, pick: number): Record<string, string> {
  const n = unknownAt(i);
  return pick % 2 === 0 ? { direction: 'fromOperator', from: '+33123456789', to: n } : { direction: 'toOperator', from: n, to: '+33123456789', origin: 'teamsOperatorConnect' };
}

const pathOf = (q: Record<string, string>) => `/lookup/v1/route?${new URLSearchParams(q).toString()}`;

function gcHeapUsed(): number {
  const gc = (global as { gc?: () => void }).gc;
  if (gc === undefined) return NaN;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Bytes as megabytes for the report; heap figures are NaN when gc is not exposed (the first line says how to run). */
const megabytes = (bytes: number) => (Number.isNaN(bytes) ? 'not measured' : `${(bytes / 2 ** 20).toFixed(1)} MB`);

// ---- Load generation --------------------------------------------------------------------------

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: AutocannonHistogram & { total: number };
  latency: AutocannonHistogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

async function load(url: string, paths: readonly string[], headers: Record<string, string>): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    workers: 1,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts, total: result.requests.total };
}

/** One answer per direction and number (the origin of a toOperator question follows from the number here). */
const baselineKey = (direction: string, to: string, from: string) => `${direction}|${direction === 'fromOperator' ? to : from}`;

/** The cheapest server for the same question: parse the query, find the answer in a Map, send it as JSON. */
async function startBaseline(answers: ReadonlyMap<string, RouteAnswer>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const answer = answers.get(baselineKey(query.get('direction') ?? '', query.get('to') ?? '', query.get('from') ?? ''));
    if (answer === undefined) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(answer);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeHttpServer(server) };
}

/** BENCH_CPU_PROFILE=<file.cpuprofile>: a CPU profile of the server thread during the lookup load only. */
async function profiled<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (file === undefined || file === '') return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  CPU profile of the lookup load: ${file}`);
  }
}

// ---- In-process layers --------------------------------------------------------------------------

function perCallMicros(calls: number, start: number): string {
  return `${((elapsedMs(start) * 1000) / calls).toFixed(2)} µs/call`;
}

async function inProcessLayers(paths: readonly string[], authorization: string, baseUrl: string): Promise<void> {
  const service = lookupService();
  const queries: URLSearchParams[] = paths.map((p) => new URL(p, 'http://x').searchParams);
  const calls = IN_PROCESS_CALLS;
  let start = performance.now();
  for (let i = 0; i < calls; i++) {
    const answer = service.answerFromMemory(questionFromQuery(queries[i % queries.length] as URLSearchParams));
    if (answer === undefined) throw new Error('the view is not warm');
    JSON.stringify(answer);
  }
  console.log(`  ours: question + view + decide + JSON        ${perCallMicros(calls, start)}`);

  const { lookupHandler } = await import('../functions/lookup');
  const context = new InvocationContext({ functionName: 'lookup' });
  const headers = { authorization, host: '127.0.0.1' };
  const requestFor = (i: number) => new HttpRequest({ method: 'GET', url: `${baseUrl}${paths[i % paths.length] as string}`, headers, params: { operation: 'route' } });
  const prebuilt = Array.from({ length: 1000 }, (_, i) => requestFor(i));
  start = performance.now();
  for (let i = 0; i < calls; i++) await lookupHandler(prebuilt[i % prebuilt.length] as HttpRequest, context);
  console.log(`  ours: the whole handler (token, params, health) ${perCallMicros(calls, start)}`);

  start = performance.now();
  for (let i = 0; i < calls; i++) requestFor(i);
  console.log(`  host: new HttpRequest (undici Request)       ${perCallMicros(calls, start)}`);

  const init = await lookupHandler(prebuilt[0] as HttpRequest, context);
  start = performance.now();
  for (let i = 0; i < calls; i++) await new HttpResponse(init).arrayBuffer();
  console.log(`  host: new HttpResponse + body stream read    ${perCallMicros(calls, start)}`);
}

/**
 * The lookup function on the thinnest adapter: the HttpRequest the library needs, the handler's
 * HttpResponseInit written straight to the socket. This is what dev/host/httpServer.ts would do with
 * the fast path proposed for complete (string) bodies; it shows the cost of the local host's response
 * conversion.
 */
async function startDirectAdapter(): Promise<{ url: string; close(): Promise<void> }> {
  const { lookupHandler } = await import('../functions/lookup');
  const context = new InvocationContext({ functionName: 'lookup' });
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const operation = (req.url ?? '').startsWith('/lookup/v1/route:batch') ? 'route:batch' : 'route';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const request = new HttpRequest({ method: req.method ?? 'GET', url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, headers, params: { operation } });
    void lookupHandler(request, context).then((out) => {
      const body = typeof out.body === 'string' ? out.body : '';
      res.writeHead(out.status ?? 200, { ...(out.headers as Record<string, string>), 'content-length': String(Buffer.byteLength(body)) }).end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeHttpServer(server) };
}

// Sequential requests on one keep-alive connection from a worker thread: service latency with
// sub-millisecond resolution (autocannon's histogram counts whole milliseconds).
const LATENCY_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, paths, headers, count } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const once = (path) => new Promise((resolve, reject) => {
  const start = performance.now();
  http.get({ host: target.hostname, port: target.port, path, agent, headers }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - start : NaN));
  }).on('error', reject);
});
(async () => {
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await once(paths[i % paths.length]));
  agent.destroy();
  parentPort.postMessage(samples);
})().catch((err) => parentPort.postMessage(String(err)));
`;

async function sequentialLatency(url: string, paths: readonly string[], headers: Record<string, string>): Promise<string> {
  const worker = new Worker(LATENCY_CLIENT, { eval: true, workerData: { url, paths, headers, count: LATENCY_REQUESTS } });
  const [samples] = (await once(worker, 'message')) as [number[] | string];
  await worker.terminate();
  if (typeof samples === 'string') throw new Error(`latency client failed: ${samples}`);
  if (samples.some((s) => Number.isNaN(s))) throw new Error('latency client got a non-200 answer');
  return latencySummary(samples.slice(LATENCY_WARM_UP));
}

// ---- Main -------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const azurite = await startAzurite({ port: 0 });
  const auth = await startBenchAuth(['Lookup.Query']);
  delete process.env.TABLES_ENDPOINT;
  delete process.env.AUTH_TENANT_ID;
  Object.assign(process.env, {
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: `bench${randomBytes(4).toString('hex')}`,
    ...auth.env,
    LOOKUP_MOBILE_PREFIXES: '+4477',
  });
  await import('../functions/index');
  await import('../functions/lookup'); // registered by functions/index too once it imports it
  const { server, url } = await serveHttp(0);
  const stopAll = async () => {
    lookupService().stop();
    await Promise.race([
      Promise.all([closeHttpServer(server), azurite.stop(), auth.close()]),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
    ]);
  };

  try {
    console.log(`bench:lookup  ${TOTAL} numbers in ${ACCOUNTS} accounts + ${UNKNOWN} unprovisioned; Azurite in memory; gc ${typeof (global as { gc?: unknown }).gc === 'function' ? 'exposed' : 'NOT exposed (run node --expose-gc)'}`);

    // Seed through the provisioning use cases (claims, partition transaction, projection, change feed).
    let start = performance.now();
    for (const plan of PLANS) await putAccount(plan.name, parseAccountBody(plan.name, accountBody(plan)), {});
    await pool(TOTAL / BATCH, SEED_IN_FLIGHT, async (b) => {
      const items: BatchItem[] = Array.from({ length: BATCH }, (_, j) => ({ index: j, doc: numberDoc(b * BATCH + j) }));
      await upsertNumberBatch(planOf(b * BATCH).name, items);
    });
    console.log(`  seed      ${seconds(elapsedMs(start))}`);

    const authorization = `Bearer ${auth.token}`;

    // Warm: every number once through the miss path (reads from storage), heap before and after.
    const service = lookupService();
    await service.answer(questionFromQuery(new URLSearchParams(unknownQuestion(UNKNOWN + 1, 0))));
    await service.follower.poll(); // past the start-up overlap re-read (it drops numbers just seeded)
    const heapBefore = gcHeapUsed();
    start = performance.now();
    const warmQuestions = [
      ...Array.from({ length: TOTAL }, (_, i) => knownQuestion(i, 0)),
      ...Array.from({ length: UNKNOWN }, (_, i) => unknownQuestion(i, 0)),
      ...PLANS.map((_, a) => knownQuestion(a * PER_ACCOUNT + 1, 9)), // subdomain mappings of the DR accounts
    ];
    // A storage stall during the warm-up (a long GC pause of this process, which hosts Azurite too)
    // makes the view fail over for a moment, as designed; the warm-up then asks again.
    let unavailable = 0;
    let retried = 0;
    await pool(warmQuestions.length, WARM_IN_FLIGHT, async (i) => {
      // Parsed from text, as a request's are: the view keeps its own copy of each number string.
      const question = questionFromQuery(new URLSearchParams(new URLSearchParams(warmQuestions[i] as Record<string, string>).toString()));
      for (let attempt = 0; ; attempt++) {
        const answer = await service.answer(question);
        if (answer.reason !== 'ProvisioningDataUnavailable') return;
        if (attempt === WARM_ATTEMPTS) {
          unavailable++;
          return;
        }
        retried++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    const warmMs = elapsedMs(start);
    const heapAfter = gcHeapUsed();
    const stats = service.view.stats();
    const perHundredThousand = ((heapAfter - heapBefore) / stats.numbers) * 100_000;
    console.log(`  warm      ${seconds(warmMs)}  ${stats.reads} storage reads, ${retried} retried after a storage stall, ${stats.readFailures} reads failed; view: ${stats.numbers} numbers, ${stats.accounts} accounts, ${stats.subdomains} subdomains`);
    console.log(`  memory    heap +${megabytes(heapAfter - heapBefore)} during the warm-up for ${stats.numbers} numbers (${megabytes(perHundredThousand)} per 100,000, storage client garbage included)`);
    if (unavailable > 0) throw new Error(`${unavailable} warm-up lookups found storage unavailable ${WARM_ATTEMPTS} times`);

    // The load: 90% provisioned numbers, 10% unprovisioned (negative entries), mixed directions.
    const random = prng(42);
    const questions = Array.from({ length: REQUESTS }, (_, k) =>
      random() < 0.9 ? knownQuestion(Math.floor(random() * TOTAL), k) : unknownQuestion(Math.floor(random() * UNKNOWN), k),
    );
    const paths = questions.map(pathOf);
    // The baseline's Map holds the lookup's own answers, so both send the same JSON.
    const baselineAnswers = new Map<string, RouteAnswer>();
    for (const [k, q] of questions.entries()) {
      const answer = service.answerFromMemory(questionFromQuery(new URLSearchParams(q)));
      if (answer === undefined) throw new Error(`question ${k} is not warm`);
      baselineAnswers.set(baselineKey(q.direction ?? '', q.to ?? '', q.from ?? ''), answer);
    }

    console.log(`in-process cost per call (${IN_PROCESS_CALLS} calls each, no sockets)`);
    await inProcessLayers(paths, authorization, url);

    const baseline = await startBaseline(baselineAnswers);
    const direct = await startDirectAdapter();
    const headers = { authorization };
    const line = (label: string, r: LoadResult) =>
      console.log(`  ${label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  (${r.non2xx} non-2xx, ${r.errors} errors)`);
    console.log(`load: ${CONNECTIONS} connections × ${DURATION_S} s each, autocannon in a worker thread (latency in whole ms)`);
    const base1 = await load(baseline.url, paths, headers);
    line('baseline #1 (node:http + Map)', base1);
    const lookup = await profiled(process.env.BENCH_CPU_PROFILE, () => load(url, paths, headers));
    line('lookup via the local host', lookup);
    const lookupDirect = await load(direct.url, paths, headers);
    line('lookup, direct adapter (proposal)', lookupDirect);
    const base2 = await load(baseline.url, paths, headers);
    line('baseline #2', base2);

    console.log(`latency: ${LATENCY_REQUESTS - LATENCY_WARM_UP} sequential requests on one connection (after ${LATENCY_WARM_UP} unmeasured)`);
    const latencyBaseline = await sequentialLatency(baseline.url, paths, headers);
    console.log(`  ${'baseline'.padEnd(34)} ${latencyBaseline}`);
    const latencyLookup = await sequentialLatency(url, paths, headers);
    console.log(`  ${'lookup via the local host'.padEnd(34)} ${latencyLookup}`);
    const latencyDirect = await sequentialLatency(direct.url, paths, headers);
    console.log(`  ${'lookup, direct adapter (proposal)'.padEnd(34)} ${latencyDirect}`);
    await Promise.all([baseline.close(), direct.close()]);

    const after = service.view.stats();
    const degraded = service.health().degraded;
    // What the view itself holds: the heap it frees when dropped (the warm-up delta above also counts storage-side garbage).
    const heapFull = gcHeapUsed();
    const cached = after.numbers;
    service.view.reset();
    const viewPerHundredThousand = ((heapFull - gcHeapUsed()) / cached) * 100_000;
    console.log(`  view: ${after.reads - stats.reads} storage reads during the load, ${after.resets} resets, degraded: ${degraded}; dropping it frees ${megabytes(viewPerHundredThousand)} per 100,000 numbers`);

    const baseRps = (base1.rps + base2.rps) / 2;
    console.log(
      `lookup: ${lookup.rps.toFixed(0)} req/s vs baseline ${baseRps.toFixed(0)} req/s → ratio ${(lookup.rps / baseRps).toFixed(2)} ` +
        `(direct adapter ${(lookupDirect.rps / baseRps).toFixed(2)}; target ≥ ${TARGET_RATIO}); p99 under load ${lookup.p99} ms, sequential ${latencyLookup} ` +
        `(target p99 ≤ ${TARGET_P99_MS} ms); memory ${megabytes(viewPerHundredThousand)} per 100,000 cached numbers`,
    );
    return lookup.non2xx + lookup.errors + lookupDirect.non2xx + lookupDirect.errors > 0 ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench:lookup failed:', err);
    process.exit(1);
  },
);
