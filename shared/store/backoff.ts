/**
 * The one wait between retries of a storage write that lost an optimistic race (412 on an ETag, 409
 * on a claim): a 10 ms floor plus full jitter under a ceiling that grows 20 ms per attempt and stops
 * growing after 8 attempts (so 10–170 ms). The floor lets the winner's write land; the jitter spreads
 * writers that collided so they do not collide again in step; the cap keeps a long retry loop from
 * waiting seconds per attempt.
 */
const FLOOR_MS = 10;
const STEP_MS = 20;
const CAP_STEPS = 8;

/** Milliseconds to wait before retry `attempt` (0-based); `random` is uniform in [0, 1). */
export function writeConflictDelayMs(attempt: number, random: () => number = Math.random): number {
  return FLOOR_MS + random() * STEP_MS * Math.min(attempt + 1, CAP_STEPS);
}

export function writeConflictBackoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, writeConflictDelayMs(attempt)));
}
