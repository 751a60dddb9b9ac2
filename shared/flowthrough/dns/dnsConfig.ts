/**
 * Which DNS backend the worker publishes to, from the environment, validated once and failing fast
 * with the setting's name. Kept here rather than in shared/config.ts: only the flow-through worker
 * needs it, and the API must start even where no DNS zone is configured.
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { createAzureDns, type AzureDnsOptions, type AzureDnsZone } from './azureDns';
import { createLocalDnsStore } from './localDnsStore';
import { normaliseFqdn, type DnsPort } from './port';
import { readSetting, SettingProblems, type Env } from '../../settings/parse';

export const DNS_ENV_NAMES = ['DNS_BACKEND', 'DNS_ZONE_SUBSCRIPTION_ID', 'DNS_ZONE_RESOURCE_GROUP', 'DNS_ZONE_NAME'] as const;

export type DnsConfig =
  | { readonly backend: 'local' }
  | {
      readonly backend: 'azure';
      readonly zone: AzureDnsZone;
      /** DR_BASE_DOMAIN, lower case: every record lives below it, so it must be inside the zone. */
      readonly baseDomain: string;
      /** AZURE_CLIENT_ID: the user-assigned managed identity; absent = DefaultAzureCredential (developer login). */
      readonly managedIdentityClientId?: string;
    };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Azure's rule for resource group names: 1–90 of letters, digits, _ . - ( ), not ending in a dot.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

function fail(message: string): never {
  throw new Error(`DNS configuration: ${message}`);
}

const read = readSetting;

function required(env: Env, name: string): string {
  return read(env, name) ?? fail(`${name} is required when DNS_BACKEND=azure.`);
}

function dnsName(name: string, value: string): string {
  const normalised = normaliseFqdn(value);
  if (!DNS_NAME.test(normalised)) fail(`${name}=${value} is not a DNS name.`);
  return normalised;
}

/** Reads the DNS settings, recording every bad one in `problems`; undefined when any is bad. */
export function dnsConfigFrom(env: Env, problems: SettingProblems): DnsConfig | undefined {
  const backend = (read(env, 'DNS_BACKEND') ?? 'local').toLowerCase();
  if (backend === 'local') return Object.freeze({ backend: 'local' as const });
  if (backend !== 'azure') {
    problems.check(['DNS_BACKEND'], () => fail(`DNS_BACKEND=${env.DNS_BACKEND} is not supported; use local or azure.`));
    return undefined;
  }
  const before = problems.list.length;
  const subscriptionId = problems.check(['DNS_ZONE_SUBSCRIPTION_ID'], () => {
    const value = required(env, 'DNS_ZONE_SUBSCRIPTION_ID');
    if (!GUID.test(value)) fail(`DNS_ZONE_SUBSCRIPTION_ID=${value} is not a subscription GUID.`);
    return value;
  });
  const resourceGroup = problems.check(['DNS_ZONE_RESOURCE_GROUP'], () => {
    const value = required(env, 'DNS_ZONE_RESOURCE_GROUP');
    if (!RESOURCE_GROUP.test(value)) fail(`DNS_ZONE_RESOURCE_GROUP=${value} is not a resource group name.`);
    return value;
  });
  const zoneName = problems.check(['DNS_ZONE_NAME'], () => dnsName('DNS_ZONE_NAME', required(env, 'DNS_ZONE_NAME')));
  // No default here: shared/config.ts falls back to an example domain, which no real zone holds.
  const baseDomain = problems.check(['DR_BASE_DOMAIN'], () => dnsName('DR_BASE_DOMAIN', read(env, 'DR_BASE_DOMAIN') ?? fail('DR_BASE_DOMAIN is required when DNS_BACKEND=azure.')));
  if (zoneName !== undefined && baseDomain !== undefined && baseDomain !== zoneName && !baseDomain.endsWith(`.${zoneName}`)) {
    problems.check(['DNS_ZONE_NAME'], () =>
      fail(`DNS_ZONE_NAME=${zoneName} must equal DR_BASE_DOMAIN=${baseDomain} or be a parent of it (the records are <label>.1r<n>.${baseDomain}).`),
    );
  }
  if (problems.list.length > before || subscriptionId === undefined || resourceGroup === undefined || zoneName === undefined || baseDomain === undefined) return undefined;
  const clientId = read(env, 'AZURE_CLIENT_ID');
  return Object.freeze({
    backend: 'azure' as const,
    zone: Object.freeze({ subscriptionId: subscriptionId.toLowerCase(), resourceGroup, zoneName }),
    baseDomain,
    ...(clientId !== undefined ? { managedIdentityClientId: clientId } : {}),
  });
}

/** Throws naming every bad DNS setting. */
export function loadDnsConfig(env: Env = process.env): DnsConfig {
  const problems = new SettingProblems();
  const config = dnsConfigFrom(env, problems);
  if (config === undefined) throw new Error(problems.describe());
  return config;
}

export interface DnsPortDependencies {
  /** Overrides the credential chosen from AZURE_CLIENT_ID (tests, other clouds). */
  readonly credential?: TokenCredential;
  /** Passed to the Azure adapter: fetch, armEndpoint, sleep, retry bounds. */
  readonly azure?: Omit<AzureDnsOptions, 'zone' | 'credential'>;
}

/** The DNS port the environment asks for. Throws on an invalid setting, before any I/O. */
export function dnsPortFromEnv(env: NodeJS.ProcessEnv = process.env, deps: DnsPortDependencies = {}): DnsPort {
  const dns = loadDnsConfig(env);
  if (dns.backend === 'local') return createLocalDnsStore();
  const credential =
    deps.credential ??
    (dns.managedIdentityClientId !== undefined ? new ManagedIdentityCredential({ clientId: dns.managedIdentityClientId }) : new DefaultAzureCredential());
  return createAzureDns({ ...deps.azure, zone: dns.zone, credential });
}

let cached: DnsPort | undefined;

/** The process-wide port (SDK clients and token caches are created once per process). */
export function dnsPort(): DnsPort {
  cached ??= dnsPortFromEnv();
  return cached;
}

export function resetDnsPortForTests(): void {
  cached = undefined;
}
