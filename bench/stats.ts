/** Small helpers for the benchmarks: percentiles, timing and number formatting. */

/** Nearest-rank percentile (p in 0..100) of samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Milliseconds since `start` (a performance.now() reading). */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

/** Wall and CPU time of one phase. */
export interface PhaseTime {
  readonly wallMs: number;
  /**
   * This process's CPU (user + system) over the phase. On a shared machine other processes stretch
   * wall time but hardly this, so a CPU ratio between phases moves less than a wall-time ratio.
   */
  readonly cpuMs: number;
}

export async function timed(phase: () => Promise<void>): Promise<PhaseTime> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  await phase();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: elapsedMs(wallStart), cpuMs: (cpu.user + cpu.system) / 1000 };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function millis(ms: number): string {
  return `${ms.toFixed(2)}ms`;
}

export function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000))}/s`;
}

/** "p50 1.23ms p99 4.56ms" for a set of latency samples. */
export function latencySummary(samples: readonly number[]): string {
  return `p50 ${millis(percentile(samples, 50))} p99 ${millis(percentile(samples, 99))}`;
}

/** Runs task(0..count-1) with at most `concurrency` in flight; resolves when all are done. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
