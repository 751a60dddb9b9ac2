/**
 * numbers table: PartitionKey = account name, RowKey = telephone number. An account's numbers are
 * one key range (listing is ranged and paged), and a batch of ≤100 is one entity-group transaction.
 */
import { odata, type TransactionAction } from '@azure/data-tables';
import { SERVICES, zeroCounts, type ServiceCounts } from '../domain/services';
import { step } from './steps';
import { numberFromRow, partitionEntity, type NumberRecord } from './numberRecords';
import type { Row } from './query';
import { isNotFound } from './storageErrors';
import { tables } from './tables';

export async function readPartitionNumber(accountName: string, telephoneNumber: string): Promise<NumberRecord | undefined> {
  const t = await tables();
  try {
    return numberFromRow((await t.numbers.getEntity<Record<string, unknown>>(accountName, telephoneNumber)) as Row);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * All upserts and deletes of one account in one atomic transaction (Table Storage's limit is 100
 * operations, the contract's batch limit). Callers hold the numbers' index claims, which serialise
 * writers of a number, so rows are replaced rather than ETag-matched here.
 */
export async function commitPartition(accountName: string, upserts: readonly NumberRecord[], deletes: readonly string[]): Promise<void> {
  if (upserts.length + deletes.length === 0) return;
  const actions: TransactionAction[] = [
    ...upserts.map((r): TransactionAction => ['upsert', partitionEntity(r), 'Replace']),
    ...deletes.map((n): TransactionAction => ['delete', { partitionKey: accountName, rowKey: n }]),
  ];
  const t = await tables();
  step('numbers.transaction');
  await t.numbers.submitTransaction(actions);
}

/** Which of these numbers have a row in the account partition (one ranged query). */
export async function existingInPartition(accountName: string, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const sorted = [...numbers].sort();
  const t = await tables();
  const wanted = new Set(numbers);
  const found = new Set<string>();
  const filter = odata`PartitionKey eq ${accountName} and RowKey ge ${sorted[0] as string} and RowKey le ${sorted[sorted.length - 1] as string}`;
  for await (const row of t.numbers.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
    if (wanted.has(String(row.rowKey))) found.add(String(row.rowKey));
  }
  return found;
}

/** The first numbers of an account in key order (DELETE account works through them in chunks). */
export async function firstNumbers(accountName: string, limit: number): Promise<string[]> {
  const t = await tables();
  const out: string[] = [];
  const pages = t.numbers
    .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${accountName}`, select: ['RowKey'] } })
    .byPage({ maxPageSize: limit });
  for await (const page of pages) {
    for (const row of page) out.push(String(row.rowKey));
    break;
  }
  return out.slice(0, limit);
}

/** Exact per-service counts of an account, from its partition (used only when repairing). */
export async function countPartitionServices(accountName: string): Promise<ServiceCounts> {
  const t = await tables();
  const counts = zeroCounts();
  const rows = t.numbers.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${accountName}`, select: [...SERVICES] } });
  for await (const row of rows) for (const s of SERVICES) if (row[s] === true) counts[s]++;
  return counts;
}
