/**
 * Is Table Storage reachable with this app's credentials? One read of at most one row of the
 * accounts table (the first call also creates the tables, as every other first use does).
 */
import { tables } from '../store/tables';
import { cachedProbe, type ProbeResult } from './cachedProbe';

/** Reuse a result this long: cheap under frequent polling, yet an outage shows within seconds. */
const STORAGE_PROBE_TTL_MS = 1_500;
const STORAGE_PROBE_TIMEOUT_MS = 2_000;

async function readOneRow(signal: AbortSignal): Promise<void> {
  const t = await tables();
  const pages = t.accounts.listEntities({ abortSignal: signal }).byPage({ maxPageSize: 1 });
  await pages.next();
}

export const probeStorage: () => Promise<ProbeResult> = cachedProbe(readOneRow, { ttlMs: STORAGE_PROBE_TTL_MS, timeoutMs: STORAGE_PROBE_TIMEOUT_MS });
