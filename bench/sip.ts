/**
 * `npm run bench:sip`: calls (INVITE → 200 → ACK → BYE) through Kamailio running sip/kamailio.cfg,
 * at rising call rates, in one run:
 *   (a) static   Kamailio routes without asking (-A STATIC_ROUTE): the baseline
 *   (b) lookup   every initial INVITE asks the lookup; answers reused for their ttlSeconds (the product)
 *   (c) no reuse every initial INVITE asks the lookup over HTTP
 * The lookup is the real app behind the local HTTP host in this process (in-memory Azurite, 100,000
 * provisioned numbers in 100 accounts, the view warmed first); calls come from the operator network's
 * fixed trunk, 90 % to provisioned numbers (Direct Routing, Operator Connect, Teams Phone Mobile, Zoom,
 * Call Protection), 10 % to unprovisioned ones. SIPp answers on every trunk.
 * Prints per mode the highest rate with 0 failed calls, INVITE→final-response p50/p99 (SIPp
 * -trace_rtt: whole ms, in steps of its 4 ms clock here; the half-rate comparison reads SIPp's
 * message trace instead, µs timestamps), the CPU of Kamailio, of this process (lookup + Azurite) and of SIPp,
 * and the ratios against the targets: (b) ≥ 0.8 × (a) calls/s; lookup-added p99 ≤ 5 ms at half of
 * (b)'s highest rate. Loopback only; bounded: each step BENCH_SIP_STEP_S (5) seconds, rates
 * BENCH_SIP_RATES (comma list), a failing step is retried once, a mode stops at its first failing rate.
 */
import '../dev/host/install'; // first: the app's app.http() registrations must reach the fake core
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite } from '../dev/azurite';
import { closeHttpServer, serveHttp } from '../dev/host/httpServer';
import { startKamailio, trunkPortsFrom, TRUNK_PORT_NAMES, type RoutingMode, type RunningKamailio, type TrunkPorts } from '../dev/sip/kamailio';
import { freeUdpPorts } from '../dev/sip/ports';
import { scenarioPath, startPeer, type SippPeer } from '../dev/sip/sipp';
import { readSipTrace } from '../dev/sip/sipTrace';
import { findSipTools } from '../dev/sip/tools';
import type { NumberDoc } from '../shared/domain/types';
import { putAccount } from '../shared/provisioning/accounts';
import { accountDocFrom as parseAccountBody } from '../shared/operations/accounts';
import { upsertNumberBatch, type BatchItem } from '../shared/provisioning/numbers';
import { lookupService } from '../shared/lookup/lookupService';
import { questionFromQuery } from '../shared/lookup/question';
import { startBenchAuth } from './benchAuth';
import { elapsedMs, percentile, pool, seconds } from './stats';
import { accountBody, numberAt, numberDoc as numberDocOf, prng, unknownAt, type AccountPlan } from './provisionedNumbers';

const ACCOUNTS = 100;
/** BENCH_NUMBERS_PER_ACCOUNT shrinks the run for a smoke test; the figures are for the default. */
const PER_ACCOUNT = Number(process.env.BENCH_NUMBERS_PER_ACCOUNT ?? 1_000);
const TOTAL = ACCOUNTS * PER_ACCOUNT;
const UNKNOWN = TOTAL / 10;
const BATCH = 100;
const CSV_ROWS = 20_000;
const STEP_S = Number(process.env.BENCH_SIP_STEP_S ?? 5);
const RATES = (process.env.BENCH_SIP_RATES ?? '50,100,150,200,250,300,400,500,600,800')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const CHILDREN = 4;
const TARGET_RATIO = 0.8;
const TARGET_ADDED_P99_MS = 5;
const FAR_END = '+33123456789';
const BASE_DOMAIN = 'sbc.example.net';


/** Ten kinds of account, repeated: small partitions seed fast (Azurite's batch cost grows with partition size). */
const KINDS: ReadonlyArray<Omit<AccountPlan, 'name' | 'subdomain'> & { dr?: true }> = [
  { service: 'teamsDirectRouting', callProtection: true, dr: true },
  { service: 'teamsDirectRouting', callProtection: false, dr: true },
  { service: 'teamsOperatorConnect', callProtection: false },
  { service: 'teamsOperatorConnect', callProtection: true },
  { service: 'teamsOperatorConnect', callProtection: false },
  { service: 'teamsPhoneMobile', callProtection: false },
  { service: 'teamsPhoneMobile', callProtection: true },
  { service: 'zoomPhoneCloudPeering', callProtection: false },
  { service: 'zoomPhoneCloudPeering', callProtection: true },
  { service: 'zoomPhoneCloudPeering', callProtection: false },
];
const PLANS: AccountPlan[] = Array.from({ length: ACCOUNTS }, (_, a) => {
  const kind = KINDS[a % KINDS.length] as (typeof KINDS)[number];
  return { name: `sipbench-${a}`, service: kind.service, callProtection: kind.callProtection, ...(kind.dr ? { subdomain: `sipbench${a}` } : {}) };
});
const planOf = (i: number) => PLANS[Math.floor(i / PER_ACCOUNT)] as AccountPlan;

const numberDoc = (i: number): NumberDoc => numberDocOf(i, planOf(i));

// ---- CPU accounting -----------------------------------------------------------------------------

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a process, seconds (0 once it is gone). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

const cpuOf = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

// ---- One load step ------------------------------------------------------------------------------

interface StepResult {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  /** SIPp's own figure of the call rate it achieved. */
  achievedRate: number;
  p50: number;
  p99: number;
  /** CPU share during the step, in % of one core. */
  kamailioCpu: number;
  lookupCpu: number;
  sippCpu: number;
  ok: boolean;
}

function lastStatRow(file: string): Record<string, string> {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = (lines[0] ?? '').split(';');
  const values = (lines[lines.length - 1] ?? '').split(';');
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

/**
 * INVITE sent → first final response received, per call, from SIPp's message trace (µs
 * timestamps; its -trace_rtt figures have the 4 ms granularity of its clock here).
 */
function traceLatencies(file: string): number[] {
  const invites = new Map<string, number>();
  const latencies: number[] = [];
  for (const m of readSipTrace(file)) {
    if (m.direction === 'sent' && m.method === 'INVITE' && !invites.has(m.callId)) invites.set(m.callId, m.at);
    else if (m.direction === 'received' && m.cseqMethod === 'INVITE' && (m.status ?? 0) >= 200) {
      const sent = invites.get(m.callId);
      if (sent !== undefined) {
        latencies.push(m.at - sent);
        invites.delete(m.callId);
      }
    }
  }
  return latencies;
}

async function runStep(kamailio: RunningKamailio, peerPids: readonly number[], csv: string, rate: number, stepS: number, traced = false): Promise<StepResult> {
  const tools = findSipTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sip-'));
  const calls = Math.max(1, Math.round(rate * stepS));
  const args = [
    `127.0.0.1:${kamailio.settings.ports.fromOperatorFixed}`,
    '-sf', scenarioPath('uac-load'),
    '-inf', csv,
    '-i', '127.0.0.1',
    '-r', String(rate),
    '-m', String(calls),
    '-l', String(Math.max(100, rate * 4)),
    '-nostdin',
    '-trace_rtt', '-rtt_freq', '1',
    '-trace_stat', '-stf', path.join(dir, 'stat.csv'), '-fd', '1',
    '-recv_timeout', '4000',
    '-timeout', `${stepS + 20}s`,
    ...(traced ? ['-trace_msg', '-message_file', path.join(dir, 'uac.msg')] : []),
  ];
  const kamailioPids = kamailio.processIds();
  const cpuBefore = { kamailio: cpuOf(kamailioPids), own: ownCpuSeconds(), peers: cpuOf(peerPids) };
  const start = performance.now();
  const child = spawn(tools.sipp, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let uacCpu = 0;
  const sampler = setInterval(() => {
    uacCpu = Math.max(uacCpu, processCpuSeconds(child.pid as number));
  }, 200);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(sampler);
  const wallS = elapsedMs(start) / 1000;
  const cpu = { kamailio: cpuOf(kamailioPids) - cpuBefore.kamailio, own: ownCpuSeconds() - cpuBefore.own, peers: cpuOf(peerPids) - cpuBefore.peers };

  const stat = fs.existsSync(path.join(dir, 'stat.csv')) ? lastStatRow(path.join(dir, 'stat.csv')) : {};
  const successful = Number(stat['SuccessfulCall(C)'] ?? 0);
  const failed = Number(stat['FailedCall(C)'] ?? 0);
  const rttFile = fs.readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  const samples = traced
    ? traceLatencies(path.join(dir, 'uac.msg'))
    : rttFile === undefined
      ? []
      : fs.readFileSync(path.join(dir, rttFile), 'utf8').split('\n').slice(1).map((line) => Number(line.split(';')[1])).filter((n) => Number.isFinite(n));
  fs.rmSync(dir, { recursive: true, force: true });
  if (exitCode !== 0 && exitCode !== 1) console.log(`    (SIPp exit ${exitCode}: ${stderr.trim().split('\n').slice(-2).join(' / ')})`);
  return {
    rate,
    calls,
    successful,
    failed,
    achievedRate: Number(stat['CallRate(C)'] ?? 0),
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    kamailioCpu: (cpu.kamailio / wallS) * 100,
    lookupCpu: (cpu.own / wallS) * 100,
    sippCpu: ((cpu.peers + uacCpu) / wallS) * 100,
    ok: exitCode === 0 && failed === 0 && successful === calls,
  };
}

const ms = (value: number) => `${Number.isInteger(value) ? value : value.toFixed(2)} ms`;

function stepLine(label: string, r: StepResult): string {
  return (
    `  ${label.padEnd(9)} ${String(r.rate).padStart(5)}/s  ${r.ok ? 'ok  ' : 'FAIL'} ${String(r.successful).padStart(6)} ok ${String(r.failed).padStart(5)} failed` +
    `  (SIPp rate ${r.achievedRate.toFixed(0)}/s)  p50 ${ms(r.p50)} p99 ${ms(r.p99)}` +
    `  cpu: kamailio ${r.kamailioCpu.toFixed(0)}%  lookup+azurite ${r.lookupCpu.toFixed(0)}%  sipp ${r.sippCpu.toFixed(0)}%`
  );
}

// ---- Main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const tools = findSipTools();
  console.log(`bench:sip  ${TOTAL} numbers in ${ACCOUNTS} accounts + ${UNKNOWN} unprovisioned; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the figures)`);
  console.log(`  kamailio ${tools.kamailio}, sipp ${tools.sipp}; steps of ${STEP_S} s at ${RATES.join(', ')} calls/s; Kamailio ${CHILDREN} workers per socket`);

  const azurite = await startAzurite({ port: 0 });
  const auth = await startBenchAuth(['Lookup.Query']);
  delete process.env.TABLES_ENDPOINT;
  delete process.env.AUTH_TENANT_ID;
  Object.assign(process.env, {
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: `sipb${randomBytes(4).toString('hex')}`,
    ...auth.env,
    DR_BASE_DOMAIN: BASE_DOMAIN,
    LOOKUP_TRUNK_DEFAULTS: 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile',
    LOOKUP_TTL_SECONDS: '1',
  });
  await import('../functions/index');
  const { server, url } = await serveHttp(0);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
    lookupService().stop();
    await Promise.race([Promise.all([closeHttpServer(server), azurite.stop(), auth.close()]), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  };

  try {
    let start = performance.now();
    for (const plan of PLANS) await putAccount(plan.name, parseAccountBody(plan.name, accountBody(plan)), {});
    await pool(TOTAL / BATCH, 4, async (b) => {
      const items: BatchItem[] = Array.from({ length: BATCH }, (_, j) => ({ index: j, doc: numberDoc(b * BATCH + j) }));
      await upsertNumberBatch(planOf(b * BATCH).name, items);
    });
    console.log(`  seed      ${seconds(elapsedMs(start))}`);

    // The calls: 90 % provisioned, 10 % not, in a fixed pseudo-random order.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sip-run-'));
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const csv = path.join(dir, 'calls.csv');
    const random = prng(7);
    const rows = Array.from({ length: CSV_ROWS }, () => (random() < 0.9 ? numberAt(Math.floor(random() * TOTAL)) : unknownAt(Math.floor(random() * UNKNOWN))));
    fs.writeFileSync(csv, `SEQUENTIAL\n${rows.map((to) => `${to};${FAR_END};`).join('\n')}\n`);

    // Warm the lookup's view with every number the calls use (the steady state the SIP layer meets;
    // cold misses cost a storage read each and are bench:lookup's subject).
    const service = lookupService();
    const question = (to: string) => questionFromQuery(new URLSearchParams({ direction: 'fromOperator', from: FAR_END, to, trunk: 'operator-fixed' }));
    await service.answer(question(unknownAt(UNKNOWN + 1)));
    await service.follower.poll();
    start = performance.now();
    let unavailable = 0;
    const called = [...new Set(rows)];
    await pool(called.length, 16, async (i) => {
      const to = called[i] as string;
      for (let attempt = 0; attempt < 50; attempt++) {
        const answer = await service.answer(question(to));
        if (answer.reason !== 'ProvisioningDataUnavailable') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      unavailable++;
    });
    if (unavailable > 0) throw new Error(`${unavailable} numbers could not be warmed (storage unavailable)`);
    console.log(`  warm      ${seconds(elapsedMs(start))}  view: ${service.view.stats().numbers} numbers`);

    const ports: TrunkPorts = trunkPortsFrom(await freeUdpPorts(TRUNK_PORT_NAMES.length));
    const peers: SippPeer[] = [];
    for (const [name, port] of [
      ['operator', ports.toOperator],
      ['directRouting', ports.toDirectRouting],
      ['operatorConnect', ports.toOperatorConnect],
      ['teamsPhoneMobile', ports.toTeamsPhoneMobile],
      ['zoom', ports.toZoom],
    ] as const) {
      peers.push(await startPeer({ name, scenario: 'uas', port, dir, trace: false }));
    }
    peers.push(await startPeer({ name: 'callProtection', scenario: 'uas-copy', port: ports.toCallProtection, dir, trace: false }));
    for (const peer of peers) stops.push(() => peer.stop());
    const peerPids = peers.map((p) => p.pid);
    const lookupUrl = `${url.replace(/\/$/, '')}/lookup/v1/route`;

    const results = new Map<RoutingMode, StepResult[]>();
    const best = new Map<RoutingMode, StepResult | undefined>();
    const labels: Record<RoutingMode, string> = { static: '(a) static', lookup: '(b) reuse', lookupNoReuse: '(c) no reuse' };
    // A few calls first: each Kamailio worker opens its connection to the lookup on its first call.
    const warmUp = async (kamailio: RunningKamailio) => {
      await runStep(kamailio, peerPids, csv, 20, 2);
    };
    const warmedStep = async (kamailio: RunningKamailio, rate: number, stepS: number, traced: boolean) => {
      await warmUp(kamailio);
      return runStep(kamailio, peerPids, csv, rate, stepS, traced);
    };
    const withKamailio = async <T>(mode: RoutingMode, run: (k: RunningKamailio) => Promise<T>): Promise<T> => {
      const kamailio = await startKamailio({ ports, lookupUrl, lookupToken: auth.token, drBaseDomain: BASE_DOMAIN, children: CHILDREN, mode });
      try {
        return await run(kamailio);
      } finally {
        await kamailio.stop();
      }
    };

    for (const mode of ['static', 'lookup', 'lookupNoReuse'] as const) {
      console.log(`${labels[mode]}`);
      const steps: StepResult[] = [];
      await withKamailio(mode, async (kamailio) => {
        await warmUp(kamailio);
        for (const rate of RATES) {
          let step = await runStep(kamailio, peerPids, csv, rate, STEP_S);
          console.log(stepLine(labels[mode].slice(0, 3), step));
          if (!step.ok) {
            // One retry: on a shared machine a single lost datagram or a stall elsewhere fails a step.
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            step = await runStep(kamailio, peerPids, csv, rate, STEP_S);
            console.log(stepLine('  retry', step));
          }
          steps.push(step);
          if (!step.ok) break;
          await new Promise((resolve) => setTimeout(resolve, 1_000)); // let retransmission timers drain
        }
      });
      results.set(mode, steps);
      best.set(mode, [...steps].reverse().find((s) => s.ok));
    }

    // Latency the lookup adds, at half of (b)'s highest rate: (a) and (b) measured back to back.
    const bestB = best.get('lookup');
    let half: { a: StepResult; b: StepResult } | undefined;
    if (bestB !== undefined) {
      const rate = Math.max(1, Math.round(bestB.rate / 2));
      console.log(`latency at half of (b)'s highest rate: ${rate} calls/s, ${STEP_S * 2} s each, from SIPp's message trace (µs timestamps)`);
      const a = await withKamailio('static', (k) => warmedStep(k, rate, STEP_S * 2, true));
      console.log(stepLine('(a)', a));
      const b = await withKamailio('lookup', (k) => warmedStep(k, rate, STEP_S * 2, true));
      console.log(stepLine('(b)', b));
      half = { a, b };
    }

    console.log('summary (highest rate with 0 failed calls; INVITE→final response):');
    for (const mode of ['static', 'lookup', 'lookupNoReuse'] as const) {
      const b = best.get(mode);
      const last = results.get(mode)?.at(-1);
      const limit = last !== undefined && !last.ok ? `first failure at ${last.rate}/s` : `no failure up to ${last?.rate ?? 0}/s (the highest rate tried)`;
      console.log(`  ${labels[mode].padEnd(13)} ${b === undefined ? 'none' : `${b.rate} calls/s  p50 ${ms(b.p50)} p99 ${ms(b.p99)}  kamailio ${b.kamailioCpu.toFixed(0)}% lookup+azurite ${b.lookupCpu.toFixed(0)}% sipp ${b.sippCpu.toFixed(0)}%`}  (${limit})`);
    }
    const bestA = best.get('static');
    if (bestA !== undefined && bestB !== undefined) {
      console.log(`  (b)/(a) calls/s ratio ${(bestB.rate / bestA.rate).toFixed(2)} (target ≥ ${TARGET_RATIO})`);
    }
    if (half !== undefined) {
      console.log(
        `  at ${half.b.rate} calls/s: p99 (a) ${ms(half.a.p99)}, (b) ${ms(half.b.p99)} → added by the lookup ${ms(half.b.p99 - half.a.p99)} (target ≤ ${TARGET_ADDED_P99_MS} ms); ` +
          `p50 (a) ${ms(half.a.p50)}, (b) ${ms(half.b.p50)}`,
      );
    }
    return 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench:sip failed:', err);
    process.exit(1);
  },
);
