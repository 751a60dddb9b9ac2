/**
 * flowstate table: the flow-through worker's own memory of what it has put into the backends, so it
 * can withdraw it later (a deleted number or account is gone from the API tables, but its Operator
 * Connect upload and DNS records are not). PartitionKey = account name;
 * RowKey `n|<number>` = one number we uploaded (or are uploading / withdrawing) to Operator Connect,
 * RowKey `account` = account-level memory (published DNS names, last run).
 * Rows are written *before* the backend call they describe (write-ahead), so a crash between the
 * two leaves a row whose outcome is read back from the backend on the next reconcile.
 */
import { odata, type TransactionAction } from '@azure/data-tables';
import type { ErrorDetail } from '../contract/errors';
import { readJson } from './json';
import type { Row } from './query';
import { isNotFound } from './storageErrors';
import { tables } from './tables';

/**
 * - `uploading`/`unassigning`/`releasing`: an order was (or may have been) submitted; `orderId` is
 *   empty while the submission's outcome is unknown (crash or ambiguous failure).
 * - `present`: the number is in the tenant with the settings `pushedKey`.
 * - `failed`: Operator Connect refused the upload of `pushedKey`; not retried until the desired
 *   settings change. Nothing is in the backend.
 */
export type ManagedPhase = 'uploading' | 'present' | 'unassigning' | 'releasing' | 'failed';

export interface ManagedNumber {
  readonly telephoneNumber: string;
  readonly tenantId: string;
  readonly service: 'teamsOperatorConnect' | 'teamsPhoneMobile';
  readonly phase: ManagedPhase;
  readonly orderId: string;
  readonly submittedAt: string;
  readonly pushedKey: string;
  readonly errors: readonly ErrorDetail[];
  /** A present number whose in-place update to these settings was refused (not retried until they change). */
  readonly failedKey?: string;
}

export interface AccountFlowMemory {
  /** DNS names we have published (or may have) for this account. */
  readonly dnsNames: readonly string[];
  /**
   * Start of the last reconcile that finished (and scheduled its own follow-up if work remained):
   * kicks due before it are already covered.
   */
  readonly lastRunStartedAt: string;
}

const numberKey = (n: string) => `n|${n}`;
const ACCOUNT_KEY = 'account';

function managedFromRow(row: Row): ManagedNumber {
  return {
    telephoneNumber: String(row.rowKey).slice(2),
    tenantId: String(row.tenantId ?? ''),
    service: row.service === 'teamsPhoneMobile' ? 'teamsPhoneMobile' : 'teamsOperatorConnect',
    phase: String(row.phase) as ManagedPhase,
    orderId: String(row.orderId ?? ''),
    submittedAt: String(row.submittedAt ?? ''),
    pushedKey: String(row.pushedKey ?? ''),
    errors: readJson<ErrorDetail[]>(row.errors, []),
    ...(typeof row.failedKey === 'string' && row.failedKey !== '' ? { failedKey: row.failedKey } : {}),
  };
}

function managedEntity(accountName: string, m: ManagedNumber): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: accountName,
    rowKey: numberKey(m.telephoneNumber),
    tenantId: m.tenantId,
    service: m.service,
    phase: m.phase,
    orderId: m.orderId,
    submittedAt: m.submittedAt,
    pushedKey: m.pushedKey,
    errors: JSON.stringify(m.errors),
    failedKey: m.failedKey ?? '',
  };
}

export async function readManagedNumbers(accountName: string): Promise<Map<string, ManagedNumber>> {
  const t = await tables();
  const out = new Map<string, ManagedNumber>();
  const filter = odata`PartitionKey eq ${accountName} and RowKey ge ${'n|'} and RowKey lt ${'n}'}`;
  for await (const row of t.flowstate.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const m = managedFromRow(row as Row);
    out.set(m.telephoneNumber, m);
  }
  return out;
}

/** Upserts and removes rows in transactions of ≤100 (one partition, so each chunk is atomic). */
export async function writeManagedNumbers(accountName: string, upserts: readonly ManagedNumber[], removals: readonly string[] = []): Promise<void> {
  const actions: TransactionAction[] = [
    ...upserts.map((m): TransactionAction => ['upsert', managedEntity(accountName, m), 'Replace']),
    ...removals.map((n): TransactionAction => ['delete', { partitionKey: accountName, rowKey: numberKey(n) }]),
  ];
  const t = await tables();
  for (let i = 0; i < actions.length; i += 100) {
    const chunk = actions.slice(i, i + 100);
    try {
      await t.flowstate.submitTransaction(chunk);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // A removal of a row already gone fails the whole chunk: apply one by one, ignoring those.
      for (const action of chunk) {
        const [kind, entity] = action;
        if (kind === 'delete') await t.flowstate.deleteEntity(entity.partitionKey as string, entity.rowKey as string).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
        else await t.flowstate.upsertEntity(entity, 'Replace');
      }
    }
  }
}

export async function readAccountMemory(accountName: string): Promise<AccountFlowMemory> {
  const t = await tables();
  try {
    const row = await t.flowstate.getEntity<Record<string, unknown>>(accountName, ACCOUNT_KEY);
    return { dnsNames: readJson<string[]>(row.dnsNames, []), lastRunStartedAt: String(row.lastRunStartedAt ?? '') };
  } catch (err) {
    if (isNotFound(err)) return { dnsNames: [], lastRunStartedAt: '' };
    throw err;
  }
}

export async function writeAccountMemory(accountName: string, memory: AccountFlowMemory): Promise<void> {
  const t = await tables();
  await t.flowstate.upsertEntity(
    { partitionKey: accountName, rowKey: ACCOUNT_KEY, dnsNames: JSON.stringify(memory.dnsNames), lastRunStartedAt: memory.lastRunStartedAt },
    'Replace',
  );
}

export async function forgetAccount(accountName: string): Promise<void> {
  const t = await tables();
  await t.flowstate.deleteEntity(accountName, ACCOUNT_KEY).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
}

/** Accounts with any flow-through memory (the sweeper's view of unfinished withdrawals). */
export async function accountsWithMemory(): Promise<string[]> {
  const t = await tables();
  const names = new Set<string>();
  for await (const row of t.flowstate.listEntities({ queryOptions: { select: ['PartitionKey'] } })) names.add(String(row.partitionKey));
  return [...names];
}
