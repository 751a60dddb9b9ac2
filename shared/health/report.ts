/**
 * What `GET /health` says: whether storage and the flow-through queue are reachable and how far
 * behind the lookup's view and its change-feed reader are. Only states and durations: no
 * provisioning data, so the endpoint can stay anonymous.
 */
import { appFunctions, type FunctionGroup } from '../appFunctions';
import { lookupService, STALENESS_BOUND_MS } from '../lookup/lookupService';
import type { ProbeResult } from './cachedProbe';
import { queueHealth, type QueueHealth } from './queueProbe';
import { probeStorage } from './storageProbe';

export interface LookupReport {
  readonly status: 'up' | 'degraded';
  /** How long ago the view last reflected every acknowledged write (bound: STALENESS_BOUND_MS). */
  readonly viewStalenessMs: number;
  readonly stalenessBoundMs: number;
  /** The change-feed reader: whether its last poll succeeded, and how many in a row failed. */
  readonly changeFeed: { readonly healthy: boolean; readonly consecutiveFailures: number };
}

export interface HealthReport {
  readonly status: 'healthy' | 'unhealthy';
  /** The parts that fail; empty when healthy. */
  readonly failing: readonly string[];
  readonly functions: readonly FunctionGroup[];
  readonly storage: ProbeResult;
  /** Only in apps that send or receive kicks (api, worker). */
  readonly queue?: QueueHealth;
  /** Only in the app that serves the lookup. */
  readonly lookup?: LookupReport;
}

function lookupReport(): LookupReport {
  const service = lookupService();
  // Starts the change-feed reader if no call has yet (a fresh instance after a restart), so the
  // health check itself warms the view's feed; a catch-up poll it may return is not awaited.
  void service.freshness()?.catch(() => undefined);
  const health = service.health();
  const feed = service.follower.health;
  return {
    status: health.degraded ? 'degraded' : 'up',
    viewStalenessMs: health.stalenessMs,
    stalenessBoundMs: STALENESS_BOUND_MS,
    changeFeed: { healthy: feed.healthy, consecutiveFailures: feed.consecutiveFailures },
  };
}

export async function healthReport(): Promise<HealthReport> {
  const groups = appFunctions();
  const usesQueue = groups.has('api') || groups.has('worker');
  const [storage, queue] = await Promise.all([probeStorage(), usesQueue ? queueHealth() : Promise.resolve(undefined)]);
  const lookup = groups.has('lookup') ? lookupReport() : undefined;
  const failing: string[] = [];
  if (storage.status !== 'up') failing.push('storage');
  if (queue !== undefined && (queue.status === 'down' || queue.status === 'not-configured')) failing.push('queue');
  if (lookup !== undefined && lookup.status !== 'up') failing.push('lookup');
  return {
    status: failing.length === 0 ? 'healthy' : 'unhealthy',
    failing,
    functions: [...groups],
    storage,
    ...(queue !== undefined ? { queue } : {}),
    ...(lookup !== undefined ? { lookup } : {}),
  };
}
