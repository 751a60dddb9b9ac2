/**
 * Which failed Operator Connect attempts may be tried again. How long to wait, and when to stop, is
 * the shared outbound policy (../outboundHttp/retryPolicy.ts); this file only says what a failure means.
 */

/**
 * `idempotent`: reads, PATCHes and read-like POSTs; repeating them changes nothing.
 * `order`: upload/release/unassign submissions. OC has no public idempotency key (B13 in
 * docs/oc-simulator.md), so a second POST could create a second order: re-sent only when the first was refused unprocessed.
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
