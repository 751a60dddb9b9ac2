/**
 * Per-app token bucket on the virtual clock (docs/oc-simulator.md, "Throttling"): `perMinute`
 * tokens, refilled continuously. Kept in integer units (1 token = 60 000 units, +perMinute units per
 * ms) so refill is exact and a test can predict the ms a call becomes allowed again.
 */

const UNITS_PER_TOKEN = 60_000;

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export class TokenBucketThrottle {
  private readonly buckets = new Map<string, { units: number; updatedAt: number }>();

  take(appId: string, nowMs: number, perMinute: number | null): ThrottleDecision {
    if (perMinute === null) return { allowed: true };
    const rate = Math.max(1, Math.round(perMinute));
    const capacity = rate * UNITS_PER_TOKEN;
    const bucket = this.buckets.get(appId) ?? { units: capacity, updatedAt: nowMs };
    bucket.units = Math.min(capacity, bucket.units + Math.max(0, nowMs - bucket.updatedAt) * rate);
    bucket.updatedAt = nowMs;
    this.buckets.set(appId, bucket);
    if (bucket.units >= UNITS_PER_TOKEN) {
      bucket.units -= UNITS_PER_TOKEN;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((UNITS_PER_TOKEN - bucket.units) / rate) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
