/**
 * Environment → typed, validated, frozen configuration. Read once per process (lazily, so the local
 * host and tests can set the environment before the first request) and fail fast on bad settings.
 */
export interface StorageConfig {
  /** Local/Azurite: a connection string. Cloud: endpoint + managed identity (never keys). */
  readonly connectionString?: string;
  readonly tablesEndpoint?: string;
  readonly managedIdentityClientId?: string;
  /** Prefix of every table name: isolates test runs and side-by-side deployments. */
  readonly tablePrefix: string;
}

export interface AppConfig {
  readonly storage: StorageConfig;
  /** Base domain of the Direct Routing customer subdomains: `<label>.1r<n>.<baseDomain>`. */
  readonly drBaseDomain: string;
  /** Largest accepted request body. A full batch of 100 numbers is ~60 KB. */
  readonly maxBodyBytes: number;
  /** How long Repeatability-Request-IDs are remembered (D17: 15 minutes). */
  readonly repeatabilityWindowSeconds: number;
}

import { currentSettings, setCurrentSettings } from './settings/current';
import { intSetting, readSetting, SettingProblems, type Env } from './settings/parse';

export const DEFAULT_DR_BASE_DOMAIN = 'example.commsgw.azure.com';
const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,20}$/;
const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Reads the app settings, recording every bad one in `problems` (defaults stand in for them). */
export function appConfigFrom(env: Env, problems: SettingProblems): AppConfig {
  const connectionString = readSetting(env, 'TABLES_CONNECTION_STRING');
  const tablesEndpoint = readSetting(env, 'TABLES_ENDPOINT');
  if (connectionString === undefined && tablesEndpoint === undefined) {
    problems.add('TABLES_CONNECTION_STRING', 'Configuration: set TABLES_CONNECTION_STRING (local) or TABLES_ENDPOINT (Azure, managed identity).');
  }
  if (connectionString !== undefined && tablesEndpoint !== undefined) {
    problems.add('TABLES_ENDPOINT', 'Configuration: TABLES_CONNECTION_STRING and TABLES_ENDPOINT are both set; choose one.');
  }
  if (tablesEndpoint !== undefined && !/^https:\/\//.test(tablesEndpoint)) {
    problems.add('TABLES_ENDPOINT', 'Configuration: TABLES_ENDPOINT must be an https URL (token credentials refuse plain http).');
  }
  const tablePrefix = env.TABLE_PREFIX ?? '';
  if (tablePrefix !== '' && !TABLE_PREFIX.test(tablePrefix)) {
    problems.add('TABLE_PREFIX', `Configuration: TABLE_PREFIX=${tablePrefix} must be letters/digits, starting with a letter, at most 21 characters.`);
  }
  const drBaseDomain = env.DR_BASE_DOMAIN || DEFAULT_DR_BASE_DOMAIN;
  if (!DOMAIN.test(drBaseDomain)) problems.add('DR_BASE_DOMAIN', `Configuration: DR_BASE_DOMAIN=${drBaseDomain} is not a DNS name.`);
  const managedIdentityClientId = readSetting(env, 'AZURE_CLIENT_ID');

  const storage: StorageConfig = {
    tablePrefix,
    ...(connectionString !== undefined ? { connectionString } : {}),
    ...(tablesEndpoint !== undefined ? { tablesEndpoint } : {}),
    ...(managedIdentityClientId !== undefined ? { managedIdentityClientId } : {}),
  };
  return Object.freeze({
    storage: Object.freeze(storage),
    drBaseDomain: drBaseDomain.toLowerCase(),
    maxBodyBytes: problems.take(env, 'MAX_BODY_BYTES', intSetting(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024), 1024 * 1024),
    repeatabilityWindowSeconds: problems.take(env, 'REPEATABILITY_WINDOW_SECONDS', intSetting(env, 'REPEATABILITY_WINDOW_SECONDS', 15 * 60, 300, 24 * 3600), 15 * 60),
  });
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems = new SettingProblems();
  const loaded = appConfigFrom(env, problems);
  if (!problems.empty) throw new Error(problems.describe());
  return loaded;
}

let cached: AppConfig | undefined;
/** The process-wide configuration, loaded on first use. */
export function config(): AppConfig {
  const current = currentSettings();
  if (current !== undefined) return current.app;
  cached ??= loadConfig();
  return cached;
}
/** Tests that change the environment between hosts call this. */
export function resetConfigForTests(): void {
  cached = undefined;
  setCurrentSettings(undefined);
}
