/**
 * The table behind the local DNS backend (shared/flowthrough/dns/localDnsStore.ts):
 * `<TABLE_PREFIX>dnsrecords`, PartitionKey = record name, RowKey = '', `values` = the record set as
 * JSON. Apart from the provisioning tables (tables.ts) because only DNS_BACKEND=local uses it; created
 * on first use. Rows are written unconditionally: the table stands in for a DNS zone, whose
 * record-set PUT and DELETE replace whatever is there.
 */
import type { TableClient } from '@azure/data-tables';
import { config } from '../config';
import { isNotFound } from './storageErrors';
import { tableClient } from './tables';

export const LOCAL_DNS_TABLE = 'dnsrecords';

/** The rows by name; `values` is the column as stored (the DNS store checks its shape). */
export interface DnsRecordRows {
  /** undefined: no row. */
  read(name: string): Promise<{ values: unknown } | undefined>;
  replace(name: string, valuesJson: string): Promise<void>;
  /** A missing row is no error. */
  remove(name: string): Promise<void>;
  all(): AsyncIterable<{ name: string; values: unknown }>;
}

/** The rows of this table client (tests point one at storage that is down). */
export function dnsRecordRows(client: TableClient): DnsRecordRows {
  return {
    async read(name) {
      try {
        const row = await client.getEntity<{ values: unknown }>(name, '');
        return { values: row.values };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async replace(name, valuesJson) {
      await client.upsertEntity({ partitionKey: name, rowKey: '', values: valuesJson }, 'Replace');
    },
    async remove(name) {
      try {
        await client.deleteEntity(name, '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async *all() {
      for await (const row of client.listEntities<{ values: unknown }>()) yield { name: row.partitionKey ?? '', values: row.values };
    },
  };
}

let ready: Promise<TableClient> | undefined;

function localDnsClient(): Promise<TableClient> {
  ready ??= (async () => {
    const client = tableClient(`${config().storage.tablePrefix}${LOCAL_DNS_TABLE}`);
    await client.createTable();
    return client;
  })().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** The table's rows, the table created on first use (createTable is idempotent); one client per process. */
export async function localDnsRecordRows(): Promise<DnsRecordRows> {
  return dnsRecordRows(await localDnsClient());
}

/** Creates the table again: for a local storage that restarted from an older snapshot (dev/localStorage.ts). */
export async function recreateLocalDnsTable(): Promise<void> {
  await (await localDnsClient()).createTable();
}

/** Tests that switch TABLE_PREFIX or storage between cases (after resetConfigForTests) call this. */
export function resetLocalDnsTableForTests(): void {
  ready = undefined;
}
