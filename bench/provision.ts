/**
 * `npm run bench:provision`: how much the Provisioning API costs over writing the same rows to Table
 * Storage directly. One process, one in-memory Azurite, the real app behind the local HTTP host with
 * real bearer tokens, and:
 *   raw #1 → API → raw #2   20,000 numbers each, batches of 100, 4 in flight
 *   latency                 1,000 sequential GETs / PUTs of single numbers, 1,000 raw point reads
 * The baseline is the mean of the two raw runs: the machine is noisy and Azurite slows down as its
 * tables grow, so bracketing the API run is fairer than one raw run before or after it. Each raw run
 * writes into its own fresh table for the same reason (it never starts on a bigger table).
 * Each phase also reports this process's CPU time (app, client and Azurite share it), and the CPU
 * ratio api / raw: it moves less than the wall-time ratio when other processes load the machine.
 * Exit code 1 when any API write is refused.
 */
import '../dev/host/install'; // first: the app's app.http() registrations must reach the fake core
import { randomBytes } from 'node:crypto';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { startAzurite } from '../dev/azurite';
import { closeHttpServer, serveHttp } from '../dev/host/httpServer';
import type { NumberInput } from '../shared/contract/resources';
import { normaliseNumber, numberDesiredStatus } from '../shared/domain/numbers';
import type { AccountDoc } from '../shared/domain/types';
import { partitionEntity, type NumberRecord } from '../shared/store/numberRecords';
import { startBenchAuth } from './benchAuth';
import { elapsedMs, latencySummary, pool, rate, seconds, timed, type PhaseTime } from './stats';

const API_VERSION = '2024-02-29-preview';
const BATCH = 100; // the contract's batch limit and Table Storage's transaction limit
/**
 * BENCH_NUMBERS and BENCH_LATENCY_REQUESTS shrink a run on a busy machine (docs/benchmarks.md):
 * ratios stay comparable between commits measured with the same sizes, not with other sizes
 * (Azurite slows down as its tables grow).
 */
const TOTAL = sizeSetting('BENCH_NUMBERS', 20_000, BATCH);
const IN_FLIGHT = 4;
const LATENCY_REQUESTS = sizeSetting('BENCH_LATENCY_REQUESTS', 1_000, 1);
// Samples are every (TOTAL / LATENCY_REQUESTS)th number and warm-up the one after each: room for both.
if (TOTAL < 2 * LATENCY_REQUESTS) throw new Error('BENCH_LATENCY_REQUESTS must be at most half of BENCH_NUMBERS.');
const WARM_UP_REQUESTS = 20;
const TARGET_RATIO = 1.5;

/** A positive multiple of `step` from the environment, else the default. */
function sizeSetting(name: string, fallback: number, step: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < step || value % step !== 0) throw new Error(`${name} must be a positive multiple of ${step}, not '${raw}'.`);
  return value;
}

/** +14255500000 … +14255519999: 100-aligned batches fall in one numberindex bucket (its first 9 characters). */
const FIRST_NUMBER = 14_255_500_000;
const numberAt = (i: number) => `+${FIRST_NUMBER + i}`;

const ACCOUNT = 'bench-account';
/** Zoom needs no per-account configuration (unlike Operator Connect's tenant or Direct Routing's subdomain). */
const ACCOUNT_BODY = { name: ACCOUNT, serviceDetails: { zoomPhoneCloudPeering: { syncEnabled: false, enabled: true } } };
const ACCOUNT_DOC: AccountDoc = ACCOUNT_BODY;
const PROVISIONED_HEADER = 'bench';

function numberBody(i: number, customSipHeader = PROVISIONED_HEADER): NumberInput {
  return {
    telephoneNumber: numberAt(i),
    accountName: ACCOUNT,
    serviceDetails: { zoomPhoneCloudPeering: { enabled: true } },
    configuration: { customSipHeader },
  };
}

/** The record the API would store for number i, so raw rows have the API's exact columns. */
function numberRecord(i: number, now: Date): NumberRecord {
  const doc = normaliseNumber(numberBody(i));
  return { doc, backend: { status: numberDesiredStatus(doc, ACCOUNT_DOC), errors: [] }, lastModified: now };
}

// ---- Environment: storage, a development token issuer, the app ---------------------------------

// ---- The measured work -----------------------------------------------------------------------

interface Api {
  base: string;
  headers: Record<string, string>;
}

/** One HTTP call; returns the status and the body text (failures are reported by the caller). */
async function call(api: Api, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const url = `${api.base}${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
  const init: RequestInit = { method, headers: api.headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, init); // undici keeps connections alive by default
  return { status: res.status, text: await res.text() };
}

interface Failures {
  count: number;
  first?: string;
}

function noteFailure(failures: Failures, what: string, status: number | string, text: string): void {
  failures.count++;
  failures.first ??= `${what} -> ${status} ${text.slice(0, 500)}`;
}

async function provisionThroughApi(api: Api, failures: Failures): Promise<PhaseTime> {
  return timed(() =>
    pool(TOTAL / BATCH, IN_FLIGHT, async (b) => {
      const numbers = Array.from({ length: BATCH }, (_, j) => numberBody(b * BATCH + j));
      const what = `batch ${b}`;
      try {
        const { status, text } = await call(api, 'POST', `/accounts/${ACCOUNT}:createOrUpdateNumbers`, { numbers });
        if (status !== 200) noteFailure(failures, what, status, text);
      } catch (err) {
        noteFailure(failures, what, 'network error', String(err));
      }
    }),
  );
}

/** The same rows straight into a fresh table: one upsert transaction per batch, as the partition commit. */
async function provisionRaw(client: TableClient): Promise<PhaseTime> {
  await client.createTable();
  return timed(() =>
    pool(TOTAL / BATCH, IN_FLIGHT, async (b) => {
      const now = new Date();
      const actions = Array.from({ length: BATCH }, (_, j): TransactionAction => ['upsert', partitionEntity(numberRecord(b * BATCH + j, now)), 'Replace']);
      await client.submitTransaction(actions); // throws on any failure: a broken baseline should stop the run
    }),
  );
}

/** Number indices the latency runs touch: spread over the whole provisioned range (every 20th by default). */
const SAMPLED = Array.from({ length: LATENCY_REQUESTS }, (_, i) => i * Math.floor(TOTAL / LATENCY_REQUESTS));
/** Warm-up touches numbers between the samples, so no measured PUT repeats a warm-up write. */
const WARM_UP = Array.from({ length: WARM_UP_REQUESTS }, (_, i) => i * Math.floor(TOTAL / LATENCY_REQUESTS) + 1);

/** Sequential latencies of `request(number index, sequence)` over SAMPLED, after unmeasured warm-up calls. */
async function latencies(request: (index: number, seq: number) => Promise<void>): Promise<number[]> {
  for (const [seq, index] of WARM_UP.entries()) await request(index, seq);
  const samples: number[] = [];
  for (const [seq, index] of SAMPLED.entries()) {
    const start = performance.now();
    await request(index, seq);
    samples.push(elapsedMs(start));
  }
  return samples;
}

// ---- Main -------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const azurite = await startAzurite({ port: 0 }); // in memory: nothing on disk, no state from earlier runs
  const auth = await startBenchAuth(['ProvisioningAPI.Admin']);
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  // The app reads its settings when functions/index is imported, so they go in first.
  delete process.env.TABLES_ENDPOINT;
  delete process.env.AUTH_TENANT_ID;
  Object.assign(process.env, { TABLES_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix }, auth.env);
  await import('../functions/index');
  const { server, url } = await serveHttp(0);

  const stopAll = async () => {
    await Promise.race([
      Promise.all([closeHttpServer(server), auth.close(), azurite.stop()]),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()), // the app's storage sockets may linger
    ]);
  };

  try {
    const api: Api = { base: url, headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' } };
    const rawTable = (n: number) =>
      TableClient.fromConnectionString(azurite.connectionString, `${prefix}raw${n}`, { allowInsecureConnection: true });

    console.log(`bench:provision  ${TOTAL} numbers, ${TOTAL / BATCH} batches of ${BATCH}, ${IN_FLIGHT} in flight; Azurite in memory; tables ${prefix}*`);
    const account = await call(api, 'PUT', `/accounts/${ACCOUNT}`, ACCOUNT_BODY);
    if (account.status !== 201 && account.status !== 200) throw new Error(`creating the account failed: ${account.status} ${account.text}`);

    const line = (label: string, t: PhaseTime) => `  ${label.padEnd(31)} ${seconds(t.wallMs).padStart(7)}  ${rate(TOTAL, t.wallMs).padStart(7)}  cpu ${seconds(t.cpuMs)}`;
    const raw1 = await provisionRaw(rawTable(1));
    console.log(line('raw #1  submitTransaction', raw1));
    const failures: Failures = { count: 0 };
    const apiRun = await provisionThroughApi(api, failures);
    console.log(line('api     createOrUpdateNumbers', apiRun));
    if (failures.count > 0) {
      console.error(`${failures.count} of ${TOTAL / BATCH} API batches failed; first: ${failures.first ?? ''}`);
      return 1;
    }
    const raw2Client = rawTable(2);
    const raw2 = await provisionRaw(raw2Client);
    console.log(line('raw #2  submitTransaction', raw2));
    const apiMs = apiRun.wallMs;
    const rawMs = (raw1.wallMs + raw2.wallMs) / 2;
    const ratio = apiMs / rawMs;
    const cpuRatio = apiRun.cpuMs / ((raw1.cpuMs + raw2.cpuMs) / 2);
    console.log(line('raw baseline (mean of 2)', { wallMs: rawMs, cpuMs: (raw1.cpuMs + raw2.cpuMs) / 2 }));
    console.log(`  ratio api / raw  ${ratio.toFixed(2)}x  (vs raw #1 ${(apiMs / raw1.wallMs).toFixed(2)}x, vs raw #2 ${(apiMs / raw2.wallMs).toFixed(2)}x); cpu ratio ${cpuRatio.toFixed(2)}x`);

    // Single-number latency on the provisioned account, sequential so each sample is one request alone.
    const latencyFailures: Failures = { count: 0 };
    const get = await latencies(async (index) => {
      const n = numberAt(index);
      const { status, text } = await call(api, 'GET', `/accounts/${ACCOUNT}/numbers/${encodeURIComponent(n)}`);
      if (status !== 200) noteFailure(latencyFailures, `GET ${n}`, status, text);
    });
    // Every PUT changes the header (provisioned 'bench', then alternating), so each is a real update.
    const put = await latencies(async (index, seq) => {
      const n = numberAt(index);
      const header = seq % 2 === 0 ? 'bench-a' : 'bench-b';
      const { status, text } = await call(api, 'PUT', `/accounts/${ACCOUNT}/numbers/${encodeURIComponent(n)}`, numberBody(index, header));
      if (status !== 200) noteFailure(latencyFailures, `PUT ${n}`, status, text);
    });
    const point = await latencies(async (index) => {
      await raw2Client.getEntity(ACCOUNT, numberAt(index));
    });
    console.log(`latency, ${LATENCY_REQUESTS} sequential requests each`);
    console.log(`  api GET number                  ${latencySummary(get)}`);
    console.log(`  api PUT number                  ${latencySummary(put)}`);
    console.log(`  raw getEntity (baseline)        ${latencySummary(point)}`);
    if (latencyFailures.count > 0) {
      console.error(`${latencyFailures.count} single-number requests failed; first: ${latencyFailures.first ?? ''}`);
      return 1;
    }

    console.log(`provision: api ${seconds(apiMs)} raw ${seconds(rawMs)} ratio ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x), cpu ratio ${cpuRatio.toFixed(2)}x`);
    return 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench:provision failed:', err);
    process.exit(1);
  },
);
