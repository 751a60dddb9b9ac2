/**
 * Lookup settings: environment → typed, validated, frozen (fail fast at start-up, like shared/config.ts).
 * The Direct Routing base domain is the app's (`DR_BASE_DOMAIN`), so Contact hosts and the DNS
 * records the platform publishes always agree.
 */
import { config } from '../config';
import type { RoutingSettings } from './types';

export interface LookupSettings {
  /** What `decide` needs. */
  readonly routing: RoutingSettings;
  /** Cap on cached numbers, positive and negative entries together (the memory bound of the view). */
  readonly cacheMaxNumbers: number;
  /** Cap on cached accounts and on cached subdomain labels (each). */
  readonly cacheMaxAccounts: number;
  /** Change feed poll period; with the poll's own duration it sets the staleness of the view. */
  readonly feedPollMs: number;
  /** Longest a storage read may take before the view treats storage as unavailable. */
  readonly storageTimeoutMs: number;
}

export const DEFAULT_HEADER_NAME = 'X-MS-Operator-Content';

// A SIP header name is an RFC 3261 token; we accept the conservative subset a gateway config holds.
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const MOBILE_PREFIX = /^\+[1-9]\d{0,14}$/;

function fail(message: string): never {
  throw new Error(`Configuration: ${message}`);
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(`${name}=${raw} must be an integer from ${min} to ${max}.`);
  return value;
}

function headerName(env: NodeJS.ProcessEnv): string {
  const raw = env.LOOKUP_HEADER_NAME?.trim();
  if (raw === undefined || raw === '') return DEFAULT_HEADER_NAME;
  if (!HEADER_NAME.test(raw)) fail(`LOOKUP_HEADER_NAME=${raw} is not a SIP header name (a letter, then letters, digits or '-', at most 64).`);
  return raw;
}

function mobilePrefixes(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env.LOOKUP_MOBILE_PREFIXES ?? '';
  const prefixes = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const prefix of prefixes) {
    if (!MOBILE_PREFIX.test(prefix)) fail(`LOOKUP_MOBILE_PREFIXES contains '${prefix}': each prefix is '+' and 1-15 digits, the first not 0.`);
  }
  return Object.freeze([...new Set(prefixes)]);
}

export function loadLookupSettings(env: NodeJS.ProcessEnv, baseDomain: string): LookupSettings {
  const routing: RoutingSettings = Object.freeze({
    headerName: headerName(env),
    baseDomain,
    mobilePrefixes: mobilePrefixes(env),
    // The SBC may reuse an answer this long; it adds to the view's staleness, so keep it short.
    ttlSeconds: intSetting(env, 'LOOKUP_TTL_SECONDS', 1, 0, 300),
  });
  return Object.freeze({
    routing,
    cacheMaxNumbers: intSetting(env, 'LOOKUP_CACHE_MAX_NUMBERS', 1_000_000, 1, 50_000_000),
    cacheMaxAccounts: intSetting(env, 'LOOKUP_CACHE_MAX_ACCOUNTS', 100_000, 1, 10_000_000),
    // ≤ 1000 ms keeps the 2 s staleness bound with room for a slow poll.
    feedPollMs: intSetting(env, 'LOOKUP_FEED_POLL_MS', 250, 50, 1000),
    storageTimeoutMs: intSetting(env, 'LOOKUP_STORAGE_TIMEOUT_MS', 1000, 50, 10_000),
  });
}

let cached: LookupSettings | undefined;

/** The process-wide lookup settings, loaded on first use. */
export function lookupSettings(): LookupSettings {
  cached ??= loadLookupSettings(process.env, config().drBaseDomain);
  return cached;
}
