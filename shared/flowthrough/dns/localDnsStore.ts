/**
 * DNS backend for development and tests: the "published" TXT record sets live in a Table Storage
 * table `<TABLE_PREFIX>dnsrecords` (PartitionKey = FQDN in lower case, RowKey = '', `values` = JSON
 * array of strings). Same storage settings as the provisioning tables (shared/config.ts), own client,
 * because shared/store/tables.ts has a fixed list of tables.
 *
 * Writes are unconditional on purpose: this table stands in for a DNS zone, whose record-set PUT and
 * DELETE replace whatever is there, and the worker re-reads and converges (level-triggered).
 */
import { TableClient } from '@azure/data-tables';
import { ManagedIdentityCredential } from '@azure/identity';
import { config } from '../../config';
import { isNotFound, storageStatus } from '../../store/storageErrors';
import { DnsError, normaliseFqdn, type DnsPort, type TxtRecord } from './port';

export const LOCAL_DNS_TABLE = 'dnsrecords';

// Characters Table Storage refuses in keys (/ \ # ?) can never appear in a valid name.
const DNS_NAME = /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/;

function rowKeyOf(fqdn: string): string {
  const name = normaliseFqdn(fqdn);
  if (name.length > 253 || !DNS_NAME.test(name)) throw new Error(`DNS: ${JSON.stringify(fqdn)} is not a DNS name.`);
  return name;
}

function createClient(): TableClient {
  const storage = config().storage;
  const name = `${storage.tablePrefix}${LOCAL_DNS_TABLE}`;
  if (storage.connectionString !== undefined) {
    const insecure = /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;/i.test(storage.connectionString);
    return TableClient.fromConnectionString(storage.connectionString, name, { allowInsecureConnection: insecure });
  }
  const credential = new ManagedIdentityCredential(storage.managedIdentityClientId !== undefined ? { clientId: storage.managedIdentityClientId } : {});
  return new TableClient(storage.tablesEndpoint as string, name, credential);
}

let ready: Promise<TableClient> | undefined;

/** The table, created on first use (createTable is idempotent); one client per process. */
export function localDnsTable(): Promise<TableClient> {
  ready ??= (async () => {
    const client = createClient();
    await client.createTable();
    return client;
  })().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** Tests that switch TABLE_PREFIX or storage between cases (after resetConfigForTests) call this. */
export function resetLocalDnsTableForTests(): void {
  ready = undefined;
}

/** Storage trouble reaches the worker as a DnsError like any backend's. */
function unavailable(err: unknown): DnsError {
  const message = err instanceof Error ? err.message : String(err);
  return new DnsError('transient', storageStatus(err), 'LocalDnsStoreUnavailable', `Local DNS store: ${message}`);
}

function parseValues(raw: unknown, name: string): string[] {
  let values: unknown;
  try {
    values = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
    throw new DnsError('permanent', undefined, 'LocalDnsRecordCorrupt', `Local DNS store: the row of ${name} has no string array in "values".`);
  }
  return values;
}

async function readOne(table: TableClient, name: string): Promise<string[] | undefined> {
  try {
    const row = await table.getEntity<{ values: string }>(name, '');
    return parseValues(row.values, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err instanceof DnsError ? err : unavailable(err);
  }
}

async function writeValues(table: TableClient, name: string, values: readonly string[]): Promise<void> {
  try {
    await table.upsertEntity({ partitionKey: name, rowKey: '', values: JSON.stringify(values) }, 'Replace');
  } catch (err) {
    throw unavailable(err);
  }
}

async function deleteRow(table: TableClient, name: string): Promise<void> {
  try {
    await table.deleteEntity(name, '');
  } catch (err) {
    if (!isNotFound(err)) throw unavailable(err);
  }
}

async function open(table: () => Promise<TableClient>): Promise<TableClient> {
  try {
    return await table();
  } catch (err) {
    throw unavailable(err);
  }
}

export function createLocalDnsStore(table: () => Promise<TableClient> = localDnsTable): DnsPort {
  return {
    async read(fqdns) {
      const names = fqdns.map((fqdn) => [fqdn, rowKeyOf(fqdn)] as const);
      const client = await open(table);
      const published = new Map<string, string[]>();
      const found = await Promise.all(names.map(([, name]) => readOne(client, name)));
      names.forEach(([fqdn], i) => {
        const values = found[i];
        if (values !== undefined && values.length > 0) published.set(fqdn, values);
      });
      return published;
    },
    async upsert(record: TxtRecord) {
      const name = rowKeyOf(record.fqdn);
      await writeValues(await open(table), name, [record.value]);
    },
    async remove(fqdn) {
      const name = rowKeyOf(fqdn);
      await deleteRow(await open(table), name);
    },
  };
}

/**
 * For tests (and a developer poking at the local system): change what is published behind the
 * worker's back. `values` replaces the record set (several values or an empty set are allowed, as in
 * a real zone edited by hand); `undefined` removes it.
 */
export async function alterLocalDnsRecord(fqdn: string, values: readonly string[] | undefined): Promise<void> {
  const name = rowKeyOf(fqdn);
  const client = await open(localDnsTable);
  if (values === undefined) await deleteRow(client, name);
  else await writeValues(client, name, values);
}

/** Everything the local store publishes, by name: what a test or `npm start` user can inspect. */
export async function listLocalDnsRecords(): Promise<Map<string, string[]>> {
  const client = await open(localDnsTable);
  const all = new Map<string, string[]>();
  try {
    for await (const row of client.listEntities<{ values: string }>()) {
      const name = row.partitionKey ?? '';
      all.set(name, parseValues(row.values, name));
    }
  } catch (err) {
    throw err instanceof DnsError ? err : unavailable(err);
  }
  return all;
}
