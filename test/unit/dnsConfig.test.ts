import { loadDnsConfig, dnsPortFromEnv } from '../../shared/flowthrough/dns/dnsConfig';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const AZURE: NodeJS.ProcessEnv = {
  DNS_BACKEND: 'azure',
  DNS_ZONE_SUBSCRIPTION_ID: SUBSCRIPTION,
  DNS_ZONE_RESOURCE_GROUP: 'rg-voice-dns',
  DNS_ZONE_NAME: 'voice.example.com',
  DR_BASE_DOMAIN: 'gw1.voice.example.com',
  AZURE_CLIENT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

describe('loadDnsConfig', () => {
  it('defaults to the local backend, which needs no other setting', () => {
    expect(loadDnsConfig({})).toEqual({ backend: 'local' });
    expect(loadDnsConfig({ DNS_BACKEND: ' Local ' })).toEqual({ backend: 'local' });
  });

  it('reads the Azure zone, the base domain and the managed identity', () => {
    expect(loadDnsConfig(AZURE)).toEqual({
      backend: 'azure',
      zone: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-voice-dns', zoneName: 'voice.example.com' },
      baseDomain: 'gw1.voice.example.com',
      managedIdentityClientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
  });

  it('accepts a zone equal to the base domain, in any case and with a root dot', () => {
    const config = loadDnsConfig({ ...AZURE, DNS_ZONE_NAME: 'GW1.voice.example.com.', DR_BASE_DOMAIN: 'gw1.voice.example.com' });
    expect(config.backend === 'azure' && config.zone.zoneName).toBe('gw1.voice.example.com');
  });

  it('refuses a zone that is not the base domain or a parent of it', () => {
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_NAME: 'other.example.com' })).toThrow(/DNS_ZONE_NAME=other.example.com must equal DR_BASE_DOMAIN/);
    // A suffix match is not enough: the zone must be a whole parent label.
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_NAME: 'ice.example.com' })).toThrow(/must equal DR_BASE_DOMAIN/);
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_NAME: 'sub.gw1.voice.example.com' })).toThrow(/must equal DR_BASE_DOMAIN/);
  });

  it.each(['DNS_ZONE_SUBSCRIPTION_ID', 'DNS_ZONE_RESOURCE_GROUP', 'DNS_ZONE_NAME', 'DR_BASE_DOMAIN'])('names %s when it is missing', (name) => {
    expect(() => loadDnsConfig({ ...AZURE, [name]: '' })).toThrow(new RegExp(`${name} is required when DNS_BACKEND=azure`));
  });

  it('refuses an unknown backend and malformed zone settings, naming the setting', () => {
    expect(() => loadDnsConfig({ DNS_BACKEND: 'route53' })).toThrow(/DNS_BACKEND=route53 is not supported/);
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_SUBSCRIPTION_ID: 'my-subscription' })).toThrow(/DNS_ZONE_SUBSCRIPTION_ID=my-subscription/);
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_RESOURCE_GROUP: 'rg.' })).toThrow(/DNS_ZONE_RESOURCE_GROUP=rg\./);
    expect(() => loadDnsConfig({ ...AZURE, DNS_ZONE_NAME: 'not a zone' })).toThrow(/DNS_ZONE_NAME=not a zone is not a DNS name/);
  });

  it('leaves the managed identity out when AZURE_CLIENT_ID is unset (DefaultAzureCredential is used)', () => {
    const config = loadDnsConfig({ ...AZURE, AZURE_CLIENT_ID: undefined });
    expect(config.backend === 'azure' && 'managedIdentityClientId' in config).toBe(false);
  });
});

describe('dnsPortFromEnv', () => {
  it('fails fast on a bad setting, before any I/O', () => {
    expect(() => dnsPortFromEnv({ ...AZURE, DNS_ZONE_NAME: 'other.example.com' })).toThrow(/DNS configuration/);
  });

  it('builds an Azure port without touching the network', () => {
    const port = dnsPortFromEnv(AZURE);
    expect(typeof port.read).toBe('function');
    expect(typeof port.upsert).toBe('function');
    expect(typeof port.remove).toBe('function');
  });
});
