/**
 * intents table: a write-ahead note of every multi-step number write (PartitionKey = account,
 * RowKey = transaction id). Deleted when the write completes; a note that outlives a crash tells
 * the sweeper exactly which numbers to reconcile from the authoritative account partition.
 */
import { readJson } from './json';
import { isNotFound } from './storageErrors';
import { tables } from './tables';

export interface Intent {
  readonly accountName: string;
  readonly txn: string;
  readonly numbers: readonly string[];
  readonly createdAt: Date;
}

export async function recordIntent(intent: Intent): Promise<void> {
  const t = await tables();
  await t.intents.createEntity({
    partitionKey: intent.accountName,
    rowKey: intent.txn,
    numbers: JSON.stringify(intent.numbers),
    createdAt: intent.createdAt.toISOString(),
  });
}

export async function clearIntent(accountName: string, txn: string): Promise<void> {
  const t = await tables();
  try {
    await t.intents.deleteEntity(accountName, txn);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Intents older than the given age: writers that died mid-way. */
export async function staleIntents(olderThanMs: number, now = Date.now()): Promise<Intent[]> {
  const t = await tables();
  const cutoff = new Date(now - olderThanMs).toISOString();
  const out: Intent[] = [];
  for await (const row of t.intents.listEntities<Record<string, unknown>>({ queryOptions: { filter: `createdAt lt '${cutoff}'` } })) {
    out.push({
      accountName: String(row.partitionKey),
      txn: String(row.rowKey),
      numbers: readJson<string[]>(row.numbers, []),
      createdAt: new Date(String(row.createdAt)),
    });
  }
  return out;
}
