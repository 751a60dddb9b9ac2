/**
 * The app's metrics (docs/observability.md has the table), on @opentelemetry/api only: without a
 * registered SDK (local runs, most tests) every instrument is a no-op. The API has no proxy meter,
 * so the instruments are (re)built whenever the global meter provider changes: a provider
 * registered after these modules loaded (functions/telemetry.ts, test/support/telemetry.ts) is used.
 */
import { metrics, type Counter, type Histogram, type MeterProvider, type ObservableGauge } from '@opentelemetry/api';
import { TELEMETRY_NAME } from './names';

interface Instruments {
  readonly lookupAnswers: Counter;
  readonly lookupDuration: Histogram;
  readonly provisioningRequests: Counter;
  readonly provisioningDuration: Histogram;
  readonly reconcileRuns: Counter;
  readonly reconcileDuration: Histogram;
  readonly ocCalls: Counter;
  readonly ocThrottles: Counter;
  readonly ocErrors: Counter;
  readonly kicksDeadLettered: Counter;
  readonly pending: ObservableGauge;
  readonly pendingOldestAge: ObservableGauge;
}

/** What the last sweep found pending, per service (the gauges report it until the next sweep). */
export interface PendingByService {
  readonly [service: string]: { readonly count: number; readonly oldestAgeSeconds: number };
}

let lastPending: PendingByService = {};
let built: { provider: MeterProvider; instruments: Instruments } | undefined;

function build(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(TELEMETRY_NAME);
  const ms = { unit: 'ms' };
  const instruments: Instruments = {
    lookupAnswers: meter.createCounter('lookup.answers', { description: 'Lookup answers (count) by action, destination and reason' }),
    lookupDuration: meter.createHistogram('lookup.duration', { description: 'Lookup answer time (ms)', ...ms }),
    provisioningRequests: meter.createCounter('provisioning.requests', { description: 'Provisioning API requests (count) by operation and HTTP status' }),
    provisioningDuration: meter.createHistogram('provisioning.duration', { description: 'Provisioning API request time (ms)', ...ms }),
    reconcileRuns: meter.createCounter('reconcile.runs', { description: 'Flow-through runs (count) by kind, kick reason and outcome' }),
    reconcileDuration: meter.createHistogram('reconcile.duration', { description: 'Flow-through run time (ms)', ...ms }),
    ocCalls: meter.createCounter('oc.calls', { description: 'Operator Connect HTTP attempts (count) by operation and status' }),
    ocThrottles: meter.createCounter('oc.throttles', { description: 'Operator Connect throttle answers (count): 429, or 503 with Retry-After' }),
    ocErrors: meter.createCounter('oc.errors', { description: 'Failed Operator Connect attempts (count) by kind' }),
    kicksDeadLettered: meter.createCounter('kicks.deadlettered', { description: 'Dead-lettered kicks the sweeper took (count) by reason' }),
    pending: meter.createObservableGauge('numbers.pending', { description: 'Numbers pending in the backend at the last sweep (count), per service' }),
    pendingOldestAge: meter.createObservableGauge('numbers.pending.oldest_age', { description: 'Age of the oldest pending number at the last sweep (s), per service', unit: 's' }),
  };
  instruments.pending.addCallback((result) => {
    for (const [service, { count }] of Object.entries(lastPending)) result.observe(count, { service });
  });
  instruments.pendingOldestAge.addCallback((result) => {
    for (const [service, { oldestAgeSeconds }] of Object.entries(lastPending)) result.observe(oldestAgeSeconds, { service });
  });
  return instruments;
}

function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (built?.provider !== provider) built = { provider, instruments: build(provider) };
  return built.instruments;
}

/** One lookup answer. `reason`: the reject code, else the default rule, else `provisioned`. */
export function recordLookupAnswer(answer: { readonly action: string; readonly destination?: string; readonly reason?: string; readonly defaultedBy?: string | null }, durationMs: number): void {
  const i = instruments();
  const reason = answer.reason ?? answer.defaultedBy ?? 'provisioned';
  i.lookupAnswers.add(1, { action: answer.action, destination: answer.destination ?? 'none', reason });
  i.lookupDuration.record(durationMs, { action: answer.action });
}

/** One Provisioning API request, every outcome (`operation` is `unknown` when no operation matched). */
export function recordProvisioningRequest(operation: string, status: number, durationMs: number): void {
  const i = instruments();
  const attributes = { operation, status: String(status) };
  i.provisioningRequests.add(1, attributes);
  i.provisioningDuration.record(durationMs, attributes);
}

/** One flow-through run; `outcome` is the run's outcome, or `error` when it threw. */
export function recordReconcileRun(kind: string, reason: string, outcome: string, durationMs: number): void {
  const i = instruments();
  i.reconcileRuns.add(1, { kind, reason, outcome });
  i.reconcileDuration.record(durationMs, { kind, outcome });
}

export type OcErrorKind = 'http4xx' | 'http5xx' | 'network' | 'timeout';

/**
 * One Operator Connect HTTP attempt: `status` is the HTTP status, or undefined when no answer came
 * (`failure` says why). 429, and 503 with Retry-After, count as throttles too.
 */
export function recordOcAttempt(operation: string, status: number | undefined, failure?: 'network' | 'timeout', retryAfter = false): void {
  const i = instruments();
  i.ocCalls.add(1, { operation, status: status === undefined ? 'network' : String(status) });
  if (status === 429 || (status === 503 && retryAfter)) i.ocThrottles.add(1, { operation });
  const kind: OcErrorKind | undefined = status === undefined ? (failure ?? 'network') : status >= 500 ? 'http5xx' : status >= 400 ? 'http4xx' : undefined;
  if (kind !== undefined) i.ocErrors.add(1, { operation, kind });
}

export function recordDeadLetteredKick(reason: string): void {
  instruments().kicksDeadLettered.add(1, { reason });
}

/** The sweeper's latest view of pending numbers; the gauges report it until the next sweep. */
export function setPendingNumbers(byService: PendingByService): void {
  lastPending = byService;
  instruments(); // the gauges exist (and report) from the first sweep on
}
