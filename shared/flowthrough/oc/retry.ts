/**
 * When an Operator Connect call may be tried again, and how long to wait first. Pure functions: the
 * HTTP layer feeds them what happened and sleeps (or gives up) as told.
 */

export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number;
  /** Total time one call may spend sleeping between attempts (Retry-After waits included). */
  readonly maxTotalWaitMs: number;
  /** First backoff ceiling; doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * `idempotent`: reads, PATCHes and read-like POSTs; repeating them changes nothing.
 * `order`: upload/release/unassign submissions. OC has no public idempotency key (operator-connect.md
 * B13), so a second POST could create a second order: re-sent only when the first was refused unprocessed.
 */
export type CallSafety = 'idempotent' | 'order';

export type AttemptFailure =
  | { readonly type: 'status'; readonly status: number }
  /** Our deadline fired: the request may have been received and processed. */
  | { readonly type: 'timeout' }
  /** `sent: false` when the connection was never established, so no byte of the request left. */
  | { readonly type: 'connection'; readonly sent: boolean };

export type Verdict = 'retry' | 'reauthenticate' | 'ambiguous' | 'permanent' | 'configuration';

const RETRYABLE_SERVER_STATUSES = new Set([500, 502, 503, 504]);

export function verdictFor(failure: AttemptFailure, safety: CallSafety): Verdict {
  if (failure.type === 'connection' && !failure.sent) return 'retry';
  if (failure.type !== 'status') return safety === 'idempotent' ? 'retry' : 'ambiguous';
  const { status } = failure;
  if (status === 401) return 'reauthenticate';
  if (status === 403) return 'configuration';
  // 408 and 429 say the request was refused before processing (RFC 9110 §15.5.9, RFC 6585 §4): safe for orders too.
  if (status === 408 || status === 429) return 'retry';
  if (status >= 500) {
    // A 5xx on an order, 503 included, may come from a gateway after the backend accepted the order.
    if (safety === 'order') return 'ambiguous';
    return RETRYABLE_SERVER_STATUSES.has(status) ? 'retry' : 'permanent';
  }
  return 'permanent';
}

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Server-directed wait in milliseconds: `retry-after-ms` / `x-ms-retry-after-ms` (Azure conventions),
 * else `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Unparseable → undefined.
 */
export function parseRetryAfter(headers: HeaderSource, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  }
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Every HTTP-date form names the month; without this, Date.parse reads "-5" as a year.
  const at = /[A-Za-z]{3}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter (a uniform wait below the ceiling) so retrying workers spread out. */
export function backoffDelayMs(retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

export type RetryPlan =
  | { readonly retry: true; readonly waitMs: number }
  /** `retryAfterMs` only when the server named a wait: the caller reschedules with it instead of sleeping. */
  | { readonly retry: false; readonly reason: 'attempts' | 'budget'; readonly retryAfterMs?: number };

export interface RetryState {
  /** Attempts that failed so far in this call, the latest included. */
  readonly failedAttempts: number;
  /** Time already slept in this call. */
  readonly waitedMs: number;
}

export function planRetry(policy: RetryPolicy, state: RetryState, serverDelayMs: number | undefined, random: () => number): RetryPlan {
  const withHint = serverDelayMs === undefined ? {} : { retryAfterMs: serverDelayMs };
  if (state.failedAttempts >= policy.maxAttempts) return { retry: false, reason: 'attempts', ...withHint };
  const remainingMs = Math.max(0, policy.maxTotalWaitMs - state.waitedMs);
  if (serverDelayMs !== undefined) {
    // Sleeping past the budget would hold a queue message's lock; hand the wait back to the caller instead.
    if (serverDelayMs > remainingMs) return { retry: false, reason: 'budget', retryAfterMs: serverDelayMs };
    return { retry: true, waitMs: serverDelayMs };
  }
  // Our own backoff is only a suggestion, so it shrinks to what is left of the budget.
  return { retry: true, waitMs: Math.min(backoffDelayMs(state.failedAttempts, policy, random), remainingMs) };
}
