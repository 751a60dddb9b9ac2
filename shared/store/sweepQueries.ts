/**
 * The table queries the flow-through sweeper runs (shared/flowthrough/sweeper.ts), here so only
 * shared/store touches tables: what is pending since when, and which Direct Routing accounts to
 * audit against DNS.
 */
import { accountFromRow, type AccountRecord } from './accountStore';
import type { Row } from './query';
import { tables } from './tables';

/** Every pending change with its account: accounts themselves, then their numbers (from the projection). */
export async function* pendingChanges(): AsyncGenerator<{ accountName: string; lastModified: unknown }> {
  const t = await tables();
  const accountRows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `status eq 'pending'`, select: ['PartitionKey', 'lastModified'] } });
  for await (const row of accountRows) yield { accountName: String(row.partitionKey), lastModified: row.lastModified };
  const numberRows = t.numberindex.listEntities<Record<string, unknown>>({ queryOptions: { filter: `status eq 'pending' and state eq 'active'`, select: ['accountName', 'lastModified'] } });
  for await (const row of numberRows) yield { accountName: String(row.accountName), lastModified: row.lastModified };
}

/** Accounts with Teams Direct Routing whose backend work is not pending (their DNS records should stand). */
export async function* settledDirectRoutingAccounts(): AsyncGenerator<AccountRecord> {
  const t = await tables();
  const rows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `teamsDirectRouting eq true and status ne 'pending'` } });
  for await (const row of rows) yield accountFromRow(row as Row);
}
