/**
 * DNS backend for development and tests: the "published" TXT record sets are rows of the local DNS
 * table (shared/store/localDnsRecords.ts: one row per FQDN in lower case, its values a JSON array of
 * strings), in the same storage as the provisioning tables.
 *
 * Writes are unconditional on purpose: this table stands in for a DNS zone, whose record-set PUT and
 * DELETE replace whatever is there, and the worker re-reads and converges (level-triggered).
 */
import { localDnsRecordRows, type DnsRecordRows } from '../../store/localDnsRecords';
import { storageStatus } from '../../store/storageErrors';
import { DnsError, normaliseFqdn, type DnsPort, type TxtRecord } from './port';

export { LOCAL_DNS_TABLE } from '../../store/localDnsRecords';

// Characters Table Storage refuses in keys (/ \ # ?) can never appear in a valid name.
const DNS_NAME = /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/;

function rowKeyOf(fqdn: string): string {
  const name = normaliseFqdn(fqdn);
  if (name.length > 253 || !DNS_NAME.test(name)) throw new Error(`DNS: ${JSON.stringify(fqdn)} is not a DNS name.`);
  return name;
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

async function readOne(table: DnsRecordRows, name: string): Promise<string[] | undefined> {
  let row: { values: unknown } | undefined;
  try {
    row = await table.read(name);
  } catch (err) {
    throw unavailable(err);
  }
  return row === undefined ? undefined : parseValues(row.values, name);
}

async function writeValues(table: DnsRecordRows, name: string, values: readonly string[]): Promise<void> {
  try {
    await table.replace(name, JSON.stringify(values));
  } catch (err) {
    throw unavailable(err);
  }
}

async function deleteRow(table: DnsRecordRows, name: string): Promise<void> {
  try {
    await table.remove(name);
  } catch (err) {
    throw unavailable(err);
  }
}

async function open(table: () => Promise<DnsRecordRows>): Promise<DnsRecordRows> {
  try {
    return await table();
  } catch (err) {
    throw unavailable(err);
  }
}

export function createLocalDnsStore(table: () => Promise<DnsRecordRows> = localDnsRecordRows): DnsPort {
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
  const client = await open(localDnsRecordRows);
  if (values === undefined) await deleteRow(client, name);
  else await writeValues(client, name, values);
}

/** Everything the local store publishes, by name: what a test or `npm start` user can inspect. */
export async function listLocalDnsRecords(): Promise<Map<string, string[]>> {
  const client = await open(localDnsRecordRows);
  const all = new Map<string, string[]>();
  try {
    for await (const row of client.all()) all.set(row.name, parseValues(row.values, row.name));
  } catch (err) {
    throw err instanceof DnsError ? err : unavailable(err);
  }
  return all;
}
