/**
 * `npm run bench:flowthrough`: how fast 10,000 Operator Connect numbers flow through, and how many
 * Operator Connect API calls that costs per number. One process: in-memory Azurite, the app behind
 * the local HTTP host (real bearer tokens), the in-process queue in front of the worker, and the
 * Operator Connect simulator (orders: InProgress after 0.5 s, done after 2 s).
 *   run 1: no added latency       run 2: 50 ms added to every Operator Connect call
 * Each run: a fresh account/tenant; 100 batches of 100 numbers through the API (4 in flight); then
 * wait until all 10,000 are `synced`. Printed: numbers/s from the first request to the last number
 * synced, the tail after the last 2xx, and Operator Connect calls per number (target ≤ 0.05).
 * Exit code 1 when a write is refused or a number ends failed.
 */
import '../dev/host/install';
import { startAzurite } from '../dev/azurite';
import { installFlowthroughQueue } from '../dev/host/queue';
import { closeHttpServer, serveHttp } from '../dev/host/httpServer';
import { startOcSimulator, type OcSimulator } from '../dev/ocSimulator';
import { simulatorClientEnv } from '../dev/ocSimulator/clientEnv';
import { startBenchAuth } from './benchAuth';
import { elapsedMs, pool, rate, seconds } from './stats';

const API_VERSION = '2024-02-29-preview';
/** BENCH_FLOWTHROUGH_NUMBERS (a multiple of 100) shortens a profiling run; the figure is 10,000. */
const TOTAL = Number(process.env.BENCH_FLOWTHROUGH_NUMBERS ?? 10_000);
const BATCH = 100;
const IN_FLIGHT = 4;
const TARGET_CALLS_PER_NUMBER = 0.05;

interface Api {
  base: string;
  headers: Record<string, string>;
}

async function call(api: Api, method: string, path: string, body?: unknown): Promise<{ status: number; text: string; headers: Headers }> {
  const url = `${api.base}${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
  const res = await fetch(url, { method, headers: api.headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function countWithStatus(api: Api, account: string, status: string): Promise<number> {
  const filter = encodeURIComponent(`serviceProvisioningStatus eq '${status}'`);
  const res = await call(api, 'GET', `/accounts/${account}/numbers?filter=${filter}&countRecords=true&top=1`);
  return Number(res.headers.get('x-ms-record-count') ?? NaN);
}

interface RunResult {
  totalMs: number;
  tailMs: number;
  apiCalls: number;
  failed: number;
  refused: number;
}

async function run(api: Api, sim: OcSimulator, label: string, firstNumber: number): Promise<RunResult> {
  const tenantId = sim.addConsent({ consentedCountries: ['US'] });
  const account = `bench-${label}`;
  const accountBody = { name: account, serviceDetails: { teamsTenantId: tenantId, teamsOperatorConnect: { enabled: true, syncEnabled: true } } };
  const put = await call(api, 'PUT', `/accounts/${account}`, accountBody);
  if (put.status !== 201) throw new Error(`account: ${put.status} ${put.text}`);
  // The tenant may set the emergency address itself, so user numbers upload without one.
  const configuration = { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'], allowTenantAddressUpdate: true };
  sim.resetCounters();
  let refused = 0;
  const start = performance.now();
  await pool(TOTAL / BATCH, IN_FLIGHT, async (b) => {
    const numbers = Array.from({ length: BATCH }, (_, j) => ({
      telephoneNumber: `+${firstNumber + b * BATCH + j}`,
      accountName: account,
      serviceDetails: { teamsOperatorConnect: { enabled: true, configuration } },
    }));
    const res = await call(api, 'POST', `/accounts/${account}:createOrUpdateNumbers`, { numbers });
    if (res.status !== 200) {
      refused++;
      if (refused === 1) console.error(`batch ${b}: ${res.status} ${res.text.slice(0, 300)}`);
    }
  });
  const accepted = performance.now();
  let failed = 0;
  for (;;) {
    const synced = await countWithStatus(api, account, 'synced');
    failed = await countWithStatus(api, account, 'failed');
    if (synced + failed >= TOTAL - refused * BATCH) break;
    if (elapsedMs(start) > 20 * 60_000) throw new Error(`${label}: only ${synced} synced after 20 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { totalMs: elapsedMs(start), tailMs: elapsedMs(accepted), apiCalls: sim.counters.apiCalls, failed, refused };
}

function report(label: string, r: RunResult): void {
  const perNumber = r.apiCalls / TOTAL;
  console.log(
    `${label.padEnd(22)} ${TOTAL} numbers synced in ${seconds(r.totalMs)} (${rate(TOTAL, r.totalMs)}), ` +
      `${seconds(r.tailMs)} after the last 2xx; Operator Connect calls ${r.apiCalls} = ${perNumber.toFixed(4)}/number ` +
      `(target ≤ ${TARGET_CALLS_PER_NUMBER}: ${perNumber <= TARGET_CALLS_PER_NUMBER ? 'met' : 'NOT met'})` +
      (r.failed > 0 || r.refused > 0 ? `; ${r.failed} failed, ${r.refused} batches refused` : ''),
  );
}

async function main(): Promise<void> {
  const azurite = await startAzurite({ port: 0 });
  const auth = await startBenchAuth(['ProvisioningAPI.Admin']);
  const sim = await startOcSimulator({ port: 0, clock: 'real', orderTimes: { pendingMs: 500, completeMs: 2_000 }, throttlePerMinute: null, seed: true });
  Object.assign(process.env, {
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'flowbench',
    ...auth.env,
    ...simulatorClientEnv(sim),
    FLOWTHROUGH_FOLLOW_UP_MS: process.env.FLOWTHROUGH_FOLLOW_UP_MS ?? '1000',
  });
  require('../functions/index');
  const queue = installFlowthroughQueue();
  const { server, url } = await serveHttp(0);
  const api: Api = { base: url, headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' } };
  console.log(`bench:flowthrough — ${TOTAL} numbers in batches of ${BATCH}, ${IN_FLIGHT} in flight; simulator orders 0.5 s/2 s; follow-up every ${process.env.FLOWTHROUGH_FOLLOW_UP_MS} ms`);
  let exitCode = 0;
  try {
    const plain = await run(api, sim, 'nolatency', 14_256_000_000);
    report('no added latency', plain);
    sim.setLatency(50);
    const slow = await run(api, sim, 'latency50', 14_257_000_000);
    report('50 ms per OC call', slow);
    if (plain.failed + plain.refused + slow.failed + slow.refused > 0) exitCode = 1;
  } finally {
    queue.stop();
    await closeHttpServer(server);
    await sim.close();
    await auth.close();
    await azurite.stop();
  }
  process.exit(exitCode);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
