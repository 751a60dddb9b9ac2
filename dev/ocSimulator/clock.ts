/**
 * Virtual time. Everything time-dependent in the simulator (order progress, token expiry, throttle
 * refill, fault windows, list lag) reads this clock, so a test in `manual` mode decides exactly when
 * things happen, and `real` mode (optionally sped up) behaves like a live service.
 */

export type ClockMode = 'manual' | 'real';

export class VirtualClock {
  private offsetMs = 0;
  private readonly realStart: number;

  /**
   * @param startAt virtual epoch ms at creation
   * @param timeScale virtual ms per real ms in `real` mode
   * @param realNow monotonic real time in ms (injectable for tests)
   */
  constructor(
    readonly mode: ClockMode,
    private readonly startAt: number,
    readonly timeScale = 1,
    private readonly realNow: () => number = () => performance.now(),
  ) {
    if (!(Number.isFinite(timeScale) && timeScale > 0)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    this.realStart = realNow();
  }

  /** Virtual epoch milliseconds (whole ms, never decreasing). */
  now(): number {
    const elapsed = this.mode === 'real' ? (this.realNow() - this.realStart) * this.timeScale : 0;
    return Math.floor(this.startAt + elapsed + this.offsetMs);
  }

  /** Moves virtual time forward in either mode. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`advance() takes a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  /** How long a client has to wait in real time for `virtualMs` to pass (Retry-After). */
  toRealMs(virtualMs: number): number {
    return this.mode === 'real' ? virtualMs / this.timeScale : virtualMs;
  }
}
