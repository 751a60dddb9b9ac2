/**
 * The table queries the flow-through sweeper runs (shared/flowthrough/sweeper.ts), here so only
 * shared/store touches tables: what is pending since when, and which Direct Routing accounts to
 * audit against DNS.
 */
import { SERVICES, type ServiceName } from '../domain/services';
import { accountFromRow, type AccountRecord } from './accountStore';
import type { Row } from './query';
import { tables } from './tables';

/** A pending change: an account (no `services`) or a number with the services it has enabled. */
export interface PendingChange {
  readonly accountName: string;
  readonly lastModified: unknown;
  readonly services?: readonly ServiceName[];
}

/** Every pending change with its account: accounts themselves, then their numbers (from the projection). */
export async function* pendingChanges(): AsyncGenerator<PendingChange> {
  const t = await tables();
  const accountRows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `status eq 'pending'`, select: ['PartitionKey', 'lastModified'] } });
  for await (const row of accountRows) yield { accountName: String(row.partitionKey), lastModified: row.lastModified };
  // The service columns too: the sweeper reports pending numbers per service (docs/observability.md).
  const numberRows = t.numberindex.listEntities<Record<string, unknown>>({ queryOptions: { filter: `status eq 'pending' and state eq 'active'`, select: ['accountName', 'lastModified', ...SERVICES] } });
  for await (const row of numberRows) yield { accountName: String(row.accountName), lastModified: row.lastModified, services: SERVICES.filter((s) => row[s] === true) };
}

/** Accounts with Teams Direct Routing whose backend work is not pending (their DNS records should stand). */
export async function* settledDirectRoutingAccounts(): AsyncGenerator<AccountRecord> {
  const t = await tables();
  const rows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `teamsDirectRouting eq true and status ne 'pending'` } });
  for await (const row of rows) yield accountFromRow(row as Row);
}
