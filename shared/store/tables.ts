/**
 * Table clients, created once per process. Locally a connection string (Azurite's public key);
 * in Azure the Tables endpoint with the managed identity — never an account key.
 */
import { TableClient, type TableEntity } from '@azure/data-tables';
import { ManagedIdentityCredential } from '@azure/identity';
import { config } from '../config';

export const TABLE_NAMES = ['accounts', 'numbers', 'numberindex', 'subdomains', 'changes', 'repeatability', 'flowstate', 'rfis'] as const;
export type TableName = (typeof TABLE_NAMES)[number];
export type Tables = Readonly<Record<TableName, TableClient>>;

/** A client of the table with this full name (prefix included), by the app's storage settings. */
export function tableClient(name: string): TableClient {
  const storage = config().storage;
  if (storage.connectionString !== undefined) {
    const insecure = /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;/i.test(storage.connectionString);
    return TableClient.fromConnectionString(storage.connectionString, name, { allowInsecureConnection: insecure });
  }
  const credential = new ManagedIdentityCredential(storage.managedIdentityClientId !== undefined ? { clientId: storage.managedIdentityClientId } : {});
  return new TableClient(storage.tablesEndpoint as string, name, credential);
}

let ready: Promise<Tables> | undefined;

/** All tables, created on first use (createTable is idempotent). */
export function tables(): Promise<Tables> {
  ready ??= (async () => {
    const prefix = config().storage.tablePrefix;
    const entries = TABLE_NAMES.map((name) => [name, tableClient(`${prefix}${name}`)] as const);
    await Promise.all(entries.map(([, client]) => client.createTable()));
    return Object.freeze(Object.fromEntries(entries)) as Tables;
  })().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/**
 * Creates every table again (idempotent). For a local storage that restarted from an older snapshot
 * (dev/storageSupervisor.ts), which may predate the tables this process created on first use.
 */
export async function recreateTables(): Promise<void> {
  const t = await tables();
  await Promise.all(Object.values(t).map((client) => client.createTable()));
}

/** Entities as read back, with the system properties the SDK adds. */
export type StoredEntity<T extends object> = TableEntity<T> & { etag: string; timestamp?: string };
