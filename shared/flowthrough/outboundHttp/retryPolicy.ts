/**
 * The one retry policy of our outbound calls (Operator Connect, Azure DNS): bounded attempts, a
 * bounded total wait per call, exponential backoff with full jitter, and a server-named wait
 * honoured while it fits the budget (handed back to the caller when it does not). Pure functions:
 * the caller says what happened and sleeps (or gives up) as told. Which failures are worth a retry
 * is the caller's decision (oc/retry.ts for Operator Connect, dns/azureDns.ts for ARM).
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
