/**
 * A probe whose result is reused for a short while: health checks arrive from several pollers, and
 * one storage or Service Bus round trip per second or two is enough to know whether it is up.
 * Concurrent callers share the probe in flight; a probe never rejects.
 */
export interface ProbeResult {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

export function cachedProbe(probe: (signal: AbortSignal) => Promise<void>, options: { readonly ttlMs: number; readonly timeoutMs: number }): () => Promise<ProbeResult> {
  let last: { readonly at: number; readonly result: Promise<ProbeResult> } | undefined;
  return () => {
    const now = performance.now();
    if (last !== undefined && now - last.at < options.ttlMs) return last.result;
    const result = run(probe, options.timeoutMs);
    last = { at: now, result };
    return result;
  };
}

async function run(probe: (signal: AbortSignal) => Promise<void>, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([probe(controller.signal), deadline]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The error's kind and message, without anything that could carry provisioning data. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : `${err.name}: ${err.message.slice(0, 200)}`;
}
