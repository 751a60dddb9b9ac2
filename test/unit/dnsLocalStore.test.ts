/**
 * The local DNS store against in-process Azurite. The storage settings must be in the environment
 * before config() is first read, so they are set in beforeAll and the config cache is reset.
 */
import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite';
import { resetConfigForTests } from '../../shared/config';
import { DnsError, type DnsPort } from '../../shared/flowthrough/dns/port';
import { desiredTxtRecords, subdomainStatusOf } from '../../shared/flowthrough/dns/records';
import { alterLocalDnsRecord, createLocalDnsStore, listLocalDnsRecords, LOCAL_DNS_TABLE } from '../../shared/flowthrough/dns/localDnsStore';
import { dnsRecordRows, resetLocalDnsTableForTests } from '../../shared/store/localDnsRecords';
import { dnsPortFromEnv } from '../../shared/flowthrough/dns/dnsConfig';

const BASE = 'gw.example.com';
const PREFIX = 'tdns' + Math.random().toString(36).slice(2, 8).replace(/[^a-z]/g, 'x');
let azurite: RunningAzurite;
let dns: DnsPort;
const saved = { TABLES_CONNECTION_STRING: process.env.TABLES_CONNECTION_STRING, TABLE_PREFIX: process.env.TABLE_PREFIX, TABLES_ENDPOINT: process.env.TABLES_ENDPOINT };

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
  process.env.TABLES_CONNECTION_STRING = azurite.connectionString;
  process.env.TABLE_PREFIX = PREFIX;
  delete process.env.TABLES_ENDPOINT;
  resetConfigForTests();
  resetLocalDnsTableForTests();
  dns = createLocalDnsStore();
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfigForTests();
  await azurite.stop();
});

describe('local DNS store', () => {
  it('keeps its records in <TABLE_PREFIX>dnsrecords, keyed by the lower-case name', async () => {
    await dns.upsert({ fqdn: 'Row.1R1.gw.example.com.', value: 'MS=ms1' });
    const table = TableClient.fromConnectionString(azurite.connectionString, `${PREFIX}${LOCAL_DNS_TABLE}`, { allowInsecureConnection: true });
    const row = await table.getEntity<{ values: string }>('row.1r1.gw.example.com', '');
    expect(JSON.parse(row.values)).toEqual(['MS=ms1']);
  });

  it('publishes, reads back and reports provisioned', async () => {
    const desired = desiredTxtRecords('contoso', { region1Token: 'MS=ms1', region2Token: 'MS=ms2' }, BASE);
    for (const record of desired) await dns.upsert(record);
    const published = await dns.read(desired.map((r) => r.fqdn));
    expect(published).toEqual(new Map([['contoso.1r1.gw.example.com', ['MS=ms1']], ['contoso.1r2.gw.example.com', ['MS=ms2']]]));
    expect(subdomainStatusOf(desired, published)).toBe('provisioned');
  });

  it('leaves missing names out of a read, keyed by the names as the caller spelled them', async () => {
    await dns.upsert({ fqdn: 'spelled.1r1.gw.example.com', value: 'v' });
    const published = await dns.read(['Spelled.1r1.GW.example.com', 'absent.1r1.gw.example.com']);
    expect([...published.entries()]).toEqual([['Spelled.1r1.GW.example.com', ['v']]]);
  });

  it('replaces whatever is published at the name with exactly the one value', async () => {
    const fqdn = 'replace.1r1.gw.example.com';
    await alterLocalDnsRecord(fqdn, ['a', 'b']);
    await dns.upsert({ fqdn, value: 'c' });
    await dns.upsert({ fqdn, value: 'c' });
    expect((await dns.read([fqdn])).get(fqdn)).toEqual(['c']);
  });

  it('removes idempotently: a second remove and a remove of a never-published name succeed', async () => {
    const fqdn = 'gone.1r1.gw.example.com';
    await dns.upsert({ fqdn, value: 'x' });
    await dns.remove(fqdn);
    await dns.remove(fqdn);
    await dns.remove('never.1r1.gw.example.com');
    expect((await dns.read([fqdn])).has(fqdn)).toBe(false);
  });

  it('lets a test change a record behind the worker\'s back, which the status then shows', async () => {
    const desired = desiredTxtRecords('tampered', { region1Token: 't1', region2Token: 't2' }, BASE);
    for (const record of desired) await dns.upsert(record);
    const [r1, r2] = desired.map((r) => r.fqdn) as [string, string];

    await alterLocalDnsRecord(r2, ['someone-else']);
    expect(subdomainStatusOf(desired, await dns.read([r1, r2]))).toBe('inconsistent');

    await alterLocalDnsRecord(r1, undefined);
    await alterLocalDnsRecord(r2, undefined);
    expect(subdomainStatusOf(desired, await dns.read([r1, r2]))).toBe('notProvisioned');

    await alterLocalDnsRecord(r1, []);
    expect((await dns.read([r1])).has(r1)).toBe(false);
  });

  it('lists everything published', async () => {
    await dns.upsert({ fqdn: 'listed.1r1.gw.example.com', value: 'L' });
    expect((await listLocalDnsRecords()).get('listed.1r1.gw.example.com')).toEqual(['L']);
  });

  it('refuses a name that is not a DNS name before any I/O', async () => {
    await expect(dns.upsert({ fqdn: 'bad/name.gw.example.com', value: 'x' })).rejects.toThrow(/not a DNS name/);
    await expect(dns.read(['a..b'])).rejects.toThrow(/not a DNS name/);
  });

  it('reports a corrupt row as a permanent DnsError instead of guessing', async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, `${PREFIX}${LOCAL_DNS_TABLE}`, { allowInsecureConnection: true });
    await table.upsertEntity({ partitionKey: 'corrupt.1r1.gw.example.com', rowKey: '', values: 'not json' }, 'Replace');
    const failure = await dns.read(['corrupt.1r1.gw.example.com']).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DnsError);
    expect(failure).toMatchObject({ kind: 'permanent', code: 'LocalDnsRecordCorrupt' });
  });

  it('is what dnsPortFromEnv returns by default, sharing the same table', async () => {
    const port = dnsPortFromEnv({});
    await port.upsert({ fqdn: 'fromenv.1r1.gw.example.com', value: 'E' });
    expect((await dns.read(['fromenv.1r1.gw.example.com'])).get('fromenv.1r1.gw.example.com')).toEqual(['E']);
  });
});

describe('local DNS store when storage is down', () => {
  it('reports a transient DnsError the worker can reschedule on', async () => {
    const unreachable = TableClient.fromConnectionString(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;',
      'dnsrecords',
      { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
    );
    const down = createLocalDnsStore(async () => dnsRecordRows(unreachable));
    await expect(down.upsert({ fqdn: 'x.1r1.gw.example.com', value: 'v' })).rejects.toMatchObject({ kind: 'transient', code: 'LocalDnsStoreUnavailable' });
  });
});
