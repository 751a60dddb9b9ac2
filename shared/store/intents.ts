/**
 * Intents: a write-ahead note of every multi-step number write, kept in the account's own partition
 * of the accounts table (PartitionKey = account, RowKey = `intent:` + transaction id; the account
 * itself is RowKey ''). Deleted when the write completes; a note that outlives a crash says exactly
 * which numbers to reconcile from the authoritative account partition. Living beside the account row,
 * the notes come back with it in one partition query (readAccountWithIntents), which is how a reader
 * learns, without another round trip, that a write was left unfinished (docs/storage.md).
 *
 * Intent rows carry none of the account columns, so every column-filtered query of the accounts table
 * skips them; a query by key alone must say which rows it wants (ACCOUNT_ROWS / INTENT_ROWS).
 */
import { readJson } from './json';
import type { Row } from './query';
import { isNotFound } from './storageErrors';
import { tables } from './tables';

export interface Intent {
  readonly accountName: string;
  readonly txn: string;
  readonly numbers: readonly string[];
  readonly createdAt: Date;
}

const INTENT_PREFIX = 'intent:';
/** Filter: the intent rows of the accounts table (`;` is the character after `:`). */
export const INTENT_ROWS = `RowKey ge '${INTENT_PREFIX}' and RowKey lt 'intent;'`;
/** Filter: the account rows of the accounts table. */
export const ACCOUNT_ROWS = `RowKey eq ''`;

export function isIntentRow(row: Row): boolean {
  return String(row.rowKey).startsWith(INTENT_PREFIX);
}

export function intentFromRow(row: Row): Intent {
  return {
    accountName: String(row.partitionKey),
    txn: String(row.rowKey).slice(INTENT_PREFIX.length),
    numbers: readJson<string[]>(row.numbers, []),
    createdAt: new Date(String(row.createdAt)),
  };
}

export async function recordIntent(intent: Intent): Promise<void> {
  const t = await tables();
  await t.accounts.createEntity({
    partitionKey: intent.accountName,
    rowKey: INTENT_PREFIX + intent.txn,
    numbers: JSON.stringify(intent.numbers),
    createdAt: intent.createdAt.toISOString(),
  });
}

export async function clearIntent(accountName: string, txn: string): Promise<void> {
  const t = await tables();
  try {
    await t.accounts.deleteEntity(accountName, INTENT_PREFIX + txn);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Whether the writer of this intent may still be running: younger than the stale bound. */
export function isOpen(intent: Intent, staleAfterMs: number, now = Date.now()): boolean {
  return now - intent.createdAt.getTime() <= staleAfterMs;
}

/** Intents older than the given age, of every account: writers that died mid-way. */
export async function staleIntents(olderThanMs: number, now = Date.now()): Promise<Intent[]> {
  const t = await tables();
  const cutoff = new Date(now - olderThanMs).toISOString();
  const out: Intent[] = [];
  const rows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `${INTENT_ROWS} and createdAt lt '${cutoff}'` } });
  for await (const row of rows) out.push(intentFromRow(row as Row));
  return out;
}
