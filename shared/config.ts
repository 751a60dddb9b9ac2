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

const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,20}$/;
const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Configuration ${name}=${raw} is invalid: expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const connectionString = env.TABLES_CONNECTION_STRING || undefined;
  const tablesEndpoint = env.TABLES_ENDPOINT || undefined;
  if (!connectionString && !tablesEndpoint) {
    throw new Error('Configuration: set TABLES_CONNECTION_STRING (local) or TABLES_ENDPOINT (Azure, managed identity).');
  }
  if (connectionString && tablesEndpoint) {
    throw new Error('Configuration: TABLES_CONNECTION_STRING and TABLES_ENDPOINT are both set; choose one.');
  }
  if (tablesEndpoint && !/^https:\/\//.test(tablesEndpoint)) {
    throw new Error('Configuration: TABLES_ENDPOINT must be an https URL (token credentials refuse plain http).');
  }
  const tablePrefix = env.TABLE_PREFIX ?? '';
  if (tablePrefix !== '' && !TABLE_PREFIX.test(tablePrefix)) {
    throw new Error(`Configuration: TABLE_PREFIX=${tablePrefix} must be letters/digits, starting with a letter, at most 21 characters.`);
  }
  const drBaseDomain = env.DR_BASE_DOMAIN || 'example.commsgw.azure.com';
  if (!DOMAIN.test(drBaseDomain)) throw new Error(`Configuration: DR_BASE_DOMAIN=${drBaseDomain} is not a DNS name.`);

  const storage: StorageConfig = {
    tablePrefix,
    ...(connectionString ? { connectionString } : {}),
    ...(tablesEndpoint ? { tablesEndpoint } : {}),
    ...(env.AZURE_CLIENT_ID ? { managedIdentityClientId: env.AZURE_CLIENT_ID } : {}),
  };
  return Object.freeze({
    storage: Object.freeze(storage),
    drBaseDomain: drBaseDomain.toLowerCase(),
    maxBodyBytes: intSetting(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    repeatabilityWindowSeconds: intSetting(env, 'REPEATABILITY_WINDOW_SECONDS', 15 * 60, 300, 24 * 3600),
  });
}

let cached: AppConfig | undefined;
/** The process-wide configuration, loaded on first use. */
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
/** Tests that change the environment between hosts call this. */
export function resetConfigForTests(): void {
  cached = undefined;
}
