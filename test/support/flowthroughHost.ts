/**
 * The local host with flow-through switched on: the Operator Connect simulator (real clock, short
 * order times), the OC client pointed at it, the in-process queue in front of the worker function,
 * and the local DNS store. One per test file, like startLocalHost.
 */
import { installFlowthroughQueue, type InProcessQueue } from '../../dev/host/queue';
import { runTimer } from '../../dev/host/timers';
import { startOcSimulator, type OcSimulator } from '../../dev/ocSimulator';
import { simulatorClientEnv } from '../../dev/ocSimulator/clientEnv';
import { setKickTransport } from '../../shared/flowthrough/kicks';
import { startLocalHost, type LocalHost } from './localHost';

export interface FlowthroughHost extends LocalHost {
  readonly sim: OcSimulator;
  readonly queue: InProcessQueue;
  /** Runs the sweeper timer now (resolves when it has finished). */
  sweep(): Promise<void>;
}

export interface FlowthroughOptions {
  /** Extra settings (e.g. FLOWTHROUGH_* knobs). */
  readonly env?: Record<string, string>;
  readonly orderTimes?: { pendingMs: number; completeMs: number };
  readonly maxDeliveryCount?: number;
}

export const FAST_FLOWTHROUGH_ENV: Record<string, string> = {
  FLOWTHROUGH_FOLLOW_UP_MS: '250',
  FLOWTHROUGH_AMBIGUOUS_GRACE_MS: '1500',
  FLOWTHROUGH_STUCK_AFTER_MS: '2000',
  OC_RETRY_MAX_ATTEMPTS: '2',
  OC_RETRY_MAX_WAIT_MS: '500',
  OC_RETRY_BASE_DELAY_MS: '20',
  OC_RETRY_MAX_DELAY_MS: '100',
  OC_CALL_TIMEOUT_MS: '1000',
};

let started: Promise<FlowthroughHost> | undefined;

async function start(options: FlowthroughOptions): Promise<FlowthroughHost> {
  const sim = await startOcSimulator({ port: 0, clock: 'real', orderTimes: options.orderTimes ?? { pendingMs: 30, completeMs: 120 }, throttlePerMinute: null, seed: true });
  const env: Record<string, string> = {
    ...simulatorClientEnv(sim),
    DNS_BACKEND: 'local',
    ...FAST_FLOWTHROUGH_ENV,
    ...(options.env ?? {}),
  };
  const host = await startLocalHost(env);
  const queue = installFlowthroughQueue({ maxDeliveryCount: options.maxDeliveryCount ?? 10, redeliveryDelayMs: 20 });
  return {
    ...host,
    sim,
    queue,
    sweep: () => runTimer('sweeper'),
    async stop() {
      queue.stop();
      // Let runs in flight finish before their storage and simulator go away.
      await Promise.race([queue.whenIdle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      setKickTransport(undefined);
      await host.stop();
      await sim.close();
    },
  };
}

export function startFlowthroughHost(options: FlowthroughOptions = {}): Promise<FlowthroughHost> {
  started ??= start(options);
  return started;
}

/** Polls until `check` returns a value (not undefined); fails with the last seen state after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, describe?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${describe ? `: ${await describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
