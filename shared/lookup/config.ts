/**
 * Lookup settings: environment → typed, validated, frozen (fail fast at start-up, like shared/config.ts).
 * The Direct Routing base domain is the app's (`DR_BASE_DOMAIN`), so Contact hosts and the DNS
 * records the platform publishes always agree.
 */
import { config } from '../config';
import { currentSettings } from '../settings/current';
import { boolSetting, intSetting, listSetting, SettingProblems, type Env } from '../settings/parse';
import { E164, TRUNK_NAME } from './question';
import type { RoutingSettings, Service, TrunkDefault } from './types';

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

/** Every service a deployment can offer, in the order the settings and the summary list them. */
export const ALL_SERVICES: readonly Service[] = Object.freeze([
  'teamsDirectRouting',
  'teamsOperatorConnect',
  'teamsPhoneMobile',
  'zoomPhoneCloudPeering',
  'azureOperatorCallProtection',
]);
const TRUNK_DEFAULTS: readonly TrunkDefault[] = ['teamsOperatorConnect', 'teamsPhoneMobile', 'none'];

// A SIP header name is an RFC 3261 token (so ACG's own example `custom_header` is one); 64 is our bound.
const HEADER_NAME = /^[A-Za-z0-9.!%*_+`'~-]{1,64}$/;
const MOBILE_PREFIX = /^\+[1-9]\d{0,14}$/;

function fail(message: string): never {
  throw new Error(`Configuration: ${message}`);
}

function headerName(env: Env): string {
  const raw = env.LOOKUP_HEADER_NAME?.trim();
  if (raw === undefined || raw === '') return DEFAULT_HEADER_NAME;
  if (!HEADER_NAME.test(raw)) {
    fail(`LOOKUP_HEADER_NAME=${raw} is not a SIP header name (an RFC 3261 token: letters, digits and - . ! % * _ + \` ' ~, at most 64).`);
  }
  return raw;
}

function mobilePrefixes(env: Env): readonly string[] {
  const prefixes = listSetting(env, 'LOOKUP_MOBILE_PREFIXES');
  for (const prefix of prefixes) {
    if (!MOBILE_PREFIX.test(prefix)) fail(`LOOKUP_MOBILE_PREFIXES contains '${prefix}': each prefix is '+' and 1-15 digits, the first not 0.`);
  }
  return Object.freeze([...new Set(prefixes)]);
}

function services(env: Env): Readonly<Record<Service, boolean>> {
  const listed = listSetting(env, 'LOOKUP_SERVICES');
  for (const name of listed) {
    if (!(ALL_SERVICES as readonly string[]).includes(name)) fail(`LOOKUP_SERVICES contains '${name}': each item is one of ${ALL_SERVICES.join(', ')}.`);
  }
  // Unset (or empty): every service, as before the setting existed.
  const offered = (service: Service) => listed.length === 0 || listed.includes(service);
  return Object.freeze(Object.fromEntries(ALL_SERVICES.map((service) => [service, offered(service)])) as Record<Service, boolean>);
}

function trunkDefaults(env: Env): ReadonlyMap<string, TrunkDefault> {
  const map = new Map<string, TrunkDefault>();
  for (const item of listSetting(env, 'LOOKUP_TRUNK_DEFAULTS')) {
    const [trunk = '', service = '', ...rest] = item.split('=').map((part) => part.trim());
    if (rest.length > 0 || !TRUNK_NAME.test(trunk) || !(TRUNK_DEFAULTS as readonly string[]).includes(service)) {
      fail(`LOOKUP_TRUNK_DEFAULTS contains '${item}': each item is trunkName=service, the name 1-64 letters, digits, '.', '_' or '-', the service one of ${TRUNK_DEFAULTS.join(', ')}.`);
    }
    if (map.has(trunk)) fail(`LOOKUP_TRUNK_DEFAULTS names trunk '${trunk}' more than once.`);
    map.set(trunk, service as TrunkDefault);
  }
  return map;
}

function zoomVerificationNumbers(env: Env): ReadonlySet<string> {
  const numbers = listSetting(env, 'LOOKUP_ZOOM_VERIFICATION_NUMBERS');
  for (const n of numbers) {
    if (!E164.test(n)) fail(`LOOKUP_ZOOM_VERIFICATION_NUMBERS contains '${n}': each item is an E.164 number ('+', a non-zero digit, at most 15 digits).`);
  }
  return new Set(numbers);
}

/** Reads the lookup settings, recording every bad one in `problems` (defaults stand in for them). */
export function lookupSettingsFrom(env: Env, baseDomain: string, problems: SettingProblems): LookupSettings {
  const int = (name: string, fallback: number, min: number, max: number): number => problems.take(env, name, intSetting(env, name, fallback, min, max), fallback);
  const routing: RoutingSettings = Object.freeze({
    headerName: problems.check(['LOOKUP_HEADER_NAME'], () => headerName(env)) ?? DEFAULT_HEADER_NAME,
    customHeaderEnabled: problems.take(env, 'LOOKUP_CUSTOM_HEADER_ENABLED', boolSetting(env, 'LOOKUP_CUSTOM_HEADER_ENABLED', true), true),
    services: problems.check(['LOOKUP_SERVICES'], () => services(env)) ?? services({}),
    trunkDefaults: problems.check(['LOOKUP_TRUNK_DEFAULTS'], () => trunkDefaults(env)) ?? new Map<string, TrunkDefault>(),
    zoomVerificationNumbers: problems.check(['LOOKUP_ZOOM_VERIFICATION_NUMBERS'], () => zoomVerificationNumbers(env)) ?? new Set<string>(),
    baseDomain,
    mobilePrefixes: problems.check(['LOOKUP_MOBILE_PREFIXES'], () => mobilePrefixes(env)) ?? Object.freeze([]),
    // The SBC may reuse an answer this long; it adds to the view's staleness, so keep it short.
    ttlSeconds: int('LOOKUP_TTL_SECONDS', 1, 0, 300),
  });
  return Object.freeze({
    routing,
    cacheMaxNumbers: int('LOOKUP_CACHE_MAX_NUMBERS', 1_000_000, 1, 50_000_000),
    cacheMaxAccounts: int('LOOKUP_CACHE_MAX_ACCOUNTS', 100_000, 1, 10_000_000),
    // ≤ 1000 ms keeps the 2 s staleness bound with room for a slow poll.
    feedPollMs: int('LOOKUP_FEED_POLL_MS', 250, 50, 1000),
    storageTimeoutMs: int('LOOKUP_STORAGE_TIMEOUT_MS', 1000, 50, 10_000),
  });
}

export function loadLookupSettings(env: Env, baseDomain: string): LookupSettings {
  const problems = new SettingProblems();
  const loaded = lookupSettingsFrom(env, baseDomain, problems);
  if (!problems.empty) throw new Error(problems.describe());
  return loaded;
}

/** The routing settings in words, one line each, for the start-up log (and `npm start`'s banner). */
export function describeRoutingSettings(routing: RoutingSettings): string[] {
  const offered = ALL_SERVICES.filter((service) => routing.services[service]);
  const notOffered = (service: Service) => (routing.services[service] ? '' : ' (not offered: such calls are refused)');
  const trunks = [...routing.trunkDefaults].map(([trunk, service]) => `${trunk} → ${service}${service === 'none' ? ' (no default)' : notOffered(service)}`);
  const zoom = [...routing.zoomVerificationNumbers];
  return [
    `Lookup custom SIP header: ${routing.headerName}, ${routing.customHeaderEnabled ? 'on' : 'off (answers never carry one)'}`,
    `Lookup services offered: ${offered.length === 0 ? 'none' : offered.join(', ')}`,
    `Lookup trunk defaults: ${trunks.length === 0 ? 'none (unprovisioned numbers default by prefix)' : trunks.join(', ')}`,
    `Lookup mobile prefixes: ${routing.mobilePrefixes.length === 0 ? 'none (unprovisioned numbers on other trunks default to Operator Connect)' : routing.mobilePrefixes.join(', ')}`,
    `Lookup Zoom verification numbers: ${zoom.length === 0 ? 'none' : zoom.join(', ')}${zoom.length > 0 && !routing.services.zoomPhoneCloudPeering ? ' (ignored: Zoom not offered)' : ''}`,
    `Lookup answer TTL: ${routing.ttlSeconds} s`,
  ];
}

let cached: LookupSettings | undefined;

/** The process-wide lookup settings, loaded on first use. */
export function lookupSettings(): LookupSettings {
  const current = currentSettings()?.lookup;
  if (current !== undefined) return current;
  cached ??= loadLookupSettings(process.env, config().drBaseDomain);
  return cached;
}

/** This process's lookup settings in words, for start-up (functions/lookup.ts logs them once). */
export function lookupStartupSummary(): string[] {
  return describeRoutingSettings(lookupSettings().routing);
}
