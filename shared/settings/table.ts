/**
 * Every setting the app (shared/, functions/) reads: name → group, meaning, default. The schema in
 * settings.ts is built from these names, docs/settings.md lists them (test/unit/settings.test.ts
 * keeps the two equal) and the infra drift test checks each is written by infra/main.bicep or
 * listed as optional in infra/README.md.
 */
export interface SettingInfo {
  readonly group: 'storage' | 'api' | 'auth' | 'functions' | 'lookup' | 'flowthrough' | 'dns' | 'operatorConnect' | 'serviceBus' | 'portal' | 'telemetry';
  readonly meaning: string;
  /** What applies when unset, in words; absent: nothing (the setting is optional or required by its group). */
  readonly default?: string;
}

export const SETTINGS = {
  APP_FUNCTIONS: { group: 'functions', meaning: 'Function groups this process registers: `all` or a comma list of `api`, `worker`, `lookup`', default: 'all' },
  TABLES_CONNECTION_STRING: { group: 'storage', meaning: 'Table Storage connection string (local / Azurite); one of this and TABLES_ENDPOINT' },
  TABLES_ENDPOINT: { group: 'storage', meaning: 'Table Storage https endpoint (Azure, managed identity, no keys)' },
  AZURE_CLIENT_ID: { group: 'storage', meaning: 'User-assigned managed identity of the app (storage, DNS, Service Bus, Operator Connect managed-identity mode)' },
  TABLE_PREFIX: { group: 'storage', meaning: 'Prefix of every table name: letters/digits, starting with a letter, at most 21', default: '(none)' },
  DR_BASE_DOMAIN: { group: 'api', meaning: 'Base domain of Direct Routing customer subdomains (FQDN length check, DNS records, Contact hosts)', default: 'example.commsgw.azure.com' },
  MAX_BODY_BYTES: { group: 'api', meaning: 'Largest accepted request body, 1024–104857600', default: '1048576' },
  REPEATABILITY_WINDOW_SECONDS: { group: 'api', meaning: 'How long Repeatability-Request-IDs are remembered, 300–86400', default: '900' },
  AUTH_TENANT_ID: { group: 'auth', meaning: 'Entra ID tenant GUID (derives issuer and JWKS URI)' },
  AUTH_ISSUER: { group: 'auth', meaning: 'Accepted token issuers, comma list (https; http only on loopback)', default: 'from AUTH_TENANT_ID' },
  AUTH_AUDIENCE: { group: 'auth', meaning: 'Accepted token audiences, comma list (required)' },
  AUTH_JWKS_URI: { group: 'auth', meaning: 'Signing keys URL', default: 'from AUTH_TENANT_ID' },
  AUTH_CLOCK_SKEW_SECONDS: { group: 'auth', meaning: 'Clock skew tolerated on token times, 0–300', default: '60' },
  AUTH_ALGORITHMS: { group: 'auth', meaning: 'Accepted signature algorithms (asymmetric only)', default: 'RS256,ES256' },
  AUTH_DISABLED: { group: 'auth', meaning: 'Refused when set: authentication cannot be switched off' },
  LOOKUP_HEADER_NAME: { group: 'lookup', meaning: 'Custom SIP header name (an RFC 3261 token, at most 64)', default: 'X-MS-Operator-Content' },
  LOOKUP_CUSTOM_HEADER_ENABLED: { group: 'lookup', meaning: 'Whether answers carry the custom header: true or false', default: 'true' },
  LOOKUP_SERVICES: { group: 'lookup', meaning: 'Services offered, comma list', default: 'every service' },
  LOOKUP_TRUNK_DEFAULTS: { group: 'lookup', meaning: 'Default service per trunk, comma list of trunkName=service', default: '(none)' },
  LOOKUP_ZOOM_VERIFICATION_NUMBERS: { group: 'lookup', meaning: 'Zoom verification numbers (E.164), comma list', default: '(none)' },
  LOOKUP_MOBILE_PREFIXES: { group: 'lookup', meaning: 'Number prefixes defaulting to Teams Phone Mobile, comma list', default: '(none)' },
  LOOKUP_TTL_SECONDS: { group: 'lookup', meaning: 'How long the SBC may reuse an answer, 0–300', default: '1' },
  LOOKUP_CACHE_MAX_NUMBERS: { group: 'lookup', meaning: 'Cap on cached numbers, 1–50000000', default: '1000000' },
  LOOKUP_CACHE_MAX_ACCOUNTS: { group: 'lookup', meaning: 'Cap on cached accounts and subdomain labels, 1–10000000', default: '100000' },
  LOOKUP_FEED_POLL_MS: { group: 'lookup', meaning: 'Change feed poll period, 50–1000', default: '250' },
  LOOKUP_STORAGE_TIMEOUT_MS: { group: 'lookup', meaning: 'Longest storage read before storage counts as unavailable, 50–10000', default: '1000' },
  FLOWTHROUGH_FOLLOW_UP_MS: { group: 'flowthrough', meaning: 'Delay of the follow-up kick while orders are in flight, 10–3600000', default: '15000' },
  FLOWTHROUGH_MAX_ORDER_SIZE: { group: 'flowthrough', meaning: 'Numbers per upload/release order, 1–10000', default: '1000' },
  FLOWTHROUGH_AMBIGUOUS_GRACE_MS: { group: 'flowthrough', meaning: 'How long an unknown submission outcome waits before it counts as never sent, 0–86400000', default: '120000' },
  FLOWTHROUGH_STUCK_AFTER_MS: { group: 'flowthrough', meaning: 'Pending this long: the sweeper re-kicks, 0–86400000', default: '120000' },
  FLOWTHROUGH_GIVE_UP_AFTER_MS: { group: 'flowthrough', meaning: 'Pending this long: failed (ProvisioningTimedOut), 1000–2592000000', default: '86400000' },
  FLOWTHROUGH_DNS_DRIFT_REPAIR_DELAY_MS: { group: 'flowthrough', meaning: 'DNS drift shown as inconsistent this long before repair, 0–86400000', default: '300000' },
  OC_CALLING_PROFILE_ID: { group: 'flowthrough', meaning: 'Calling profile GUID for uploads', default: 'discovered from Operator Connect' },
  OC_MOBILE_CALLING_PROFILE_ID: { group: 'flowthrough', meaning: 'Calling profile GUID for mobile uploads', default: 'discovered from Operator Connect' },
  DNS_BACKEND: { group: 'dns', meaning: 'Where Direct Routing TXT records go: local or azure', default: 'local' },
  DNS_ZONE_SUBSCRIPTION_ID: { group: 'dns', meaning: 'Azure DNS zone subscription GUID (azure backend)' },
  DNS_ZONE_RESOURCE_GROUP: { group: 'dns', meaning: 'Azure DNS zone resource group (azure backend)' },
  DNS_ZONE_NAME: { group: 'dns', meaning: 'Azure DNS zone: DR_BASE_DOMAIN or a parent of it (azure backend)' },
  OC_API_BASE_URL: { group: 'operatorConnect', meaning: 'Operator Connect API base URL; unset: Operator Connect not configured' },
  OC_SCOPE: { group: 'operatorConnect', meaning: 'Token scope of the Operator Connect API' },
  OC_AUTH_MODE: { group: 'operatorConnect', meaning: 'managed-identity, client-secret, client-certificate or client-secret-form' },
  OC_TOKEN_AUTHORITY: { group: 'operatorConnect', meaning: 'Token authority', default: 'https://login.microsoftonline.com' },
  OC_TENANT_ID: { group: 'operatorConnect', meaning: 'Tenant of the Operator Connect app registration' },
  OC_CLIENT_ID: { group: 'operatorConnect', meaning: 'Client id (app registration or managed identity)' },
  OC_CLIENT_SECRET: { group: 'operatorConnect', meaning: 'Client secret (client-secret modes; a Key Vault reference in Azure)' },
  OC_CLIENT_CERTIFICATE_PATH: { group: 'operatorConnect', meaning: 'Client certificate file (client-certificate mode)' },
  OC_CALL_TIMEOUT_MS: { group: 'operatorConnect', meaning: 'Per-attempt timeout, 10–300000', default: '10000' },
  OC_RETRY_MAX_ATTEMPTS: { group: 'operatorConnect', meaning: 'Attempts per call, 1–10', default: '4' },
  OC_RETRY_MAX_WAIT_MS: { group: 'operatorConnect', meaning: 'Total retry wait per call, 0–300000', default: '20000' },
  OC_RETRY_BASE_DELAY_MS: { group: 'operatorConnect', meaning: 'First backoff ceiling, 0–60000', default: '500' },
  OC_RETRY_MAX_DELAY_MS: { group: 'operatorConnect', meaning: 'Largest backoff ceiling, 0–300000, not below the base', default: '8000' },
  OC_TOKEN_REFRESH_MARGIN_MS: { group: 'operatorConnect', meaning: 'Token refresh before expiry, 0–3600000', default: '300000' },
  OC_CLIENT_LOG: { group: 'operatorConnect', meaning: '`1`: one debug line per Operator Connect attempt', default: 'off' },
  ServiceBusConnection: { group: 'serviceBus', meaning: 'Service Bus connection string (local runs only)' },
  ServiceBusConnection__fullyQualifiedNamespace: { group: 'serviceBus', meaning: 'Service Bus namespace (Azure, managed identity)' },
  ServiceBusConnection__clientId: { group: 'serviceBus', meaning: 'Identity for Service Bus', default: 'AZURE_CLIENT_ID' },
  PORTAL_CLIENT_ID: { group: 'portal', meaning: 'Portal app registration (Entra sign-in)' },
  PORTAL_AUTHORITY: { group: 'portal', meaning: 'Portal sign-in authority', default: 'from AUTH_TENANT_ID' },
  PORTAL_API_SCOPE: { group: 'portal', meaning: 'Delegated scope of the Provisioning API' },
  PORTAL_DEV_SIGN_IN_URL: { group: 'portal', meaning: 'Development sign-in (set by the local host only)' },
  PORTAL_ASSETS_DIR: { group: 'portal', meaning: 'Built portal folder', default: 'dist/portal' },
  APPLICATIONINSIGHTS_CONNECTION_STRING: { group: 'telemetry', meaning: 'Application Insights connection string; set: metrics and traces are exported (docs/observability.md)', default: 'telemetry off' },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: { group: 'telemetry', meaning: 'Entra authentication of the exporter: `ClientId=<identity client id>;Authorization=AAD` (or `Authorization=AAD`)', default: 'no Entra token (only for a resource with local authentication on)' },
} as const satisfies Record<string, SettingInfo>;

export type SettingName = keyof typeof SETTINGS;
