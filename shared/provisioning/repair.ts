/**
 * Reconciles the number-keyed projection and the counts with the authoritative account partition,
 * after a writer died between steps (docs/storage.md "Crash repair"): from the sweeper, at start-up,
 * and on read. Idempotent: running it on a healthy number changes nothing.
 */
import { readAccount, readAccountWithIntents, setCounts, type AccountRecord } from '../store/accountStore';
import { appendChange } from '../store/changeFeed';
import { clearIntent, isOpen, staleIntents, type Intent } from '../store/intents';
import { indexRowFrom, isStale, readIndexRows, settleClaims, STALE_CLAIM_MS, type HeldClaim } from '../store/numberIndex';
import { countPartitionServices, readPartitionNumber } from '../store/numberPartition';
import type { NumberRecord } from '../store/numberRecords';
import type { Row } from '../store/query';
import { isNotFound, isPreconditionFailed } from '../store/storageErrors';
import { tables } from '../store/tables';

export async function repairNumbers(accountName: string, numbers: readonly string[]): Promise<void> {
  const rows = await readIndexRows(numbers);
  const held: HeldClaim[] = [];
  const committed = new Map<string, NumberRecord>();
  for (const n of numbers) {
    const row = rows.get(n);
    if (row === undefined || row.accountName !== accountName || row.state !== 'pending') continue;
    const record = await readPartitionNumber(accountName, n);
    if (record !== undefined) committed.set(n, record);
    held.push({ telephoneNumber: n, previous: row, etag: row.etag });
  }
  for (const claim of held) {
    try {
      await settleClaims([claim], committed);
    } catch (err) {
      // Someone else repaired or re-claimed it first: theirs is newer.
      if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
    }
  }
  await setCounts(accountName, await countPartitionServices(accountName), new Date());
  await appendChange('numbers', accountName, numbers);
}

/** Finishes these writes (their writers are gone) and removes their notes. */
async function finishIntents(intents: readonly Intent[]): Promise<void> {
  for (const intent of intents) {
    await repairNumbers(intent.accountName, intent.numbers);
    await clearIntent(intent.accountName, intent.txn);
  }
}

/** Sweeper step: finishes every number write whose writer stopped before clearing its intent. */
export async function repairStaleIntents(olderThanMs = STALE_CLAIM_MS): Promise<number> {
  const intents = await staleIntents(olderThanMs);
  await finishIntents(intents);
  return intents.length;
}

/**
 * Repair on read: the account as a client may see it. The account and its intent notes come in one
 * query; only when a note is older than the stale bound (its writer died: the same rule as the
 * sweeper's and a writer's, so a live writer's half-done write is never "finished" under it) is the
 * write finished and the account read again. The common path costs what a point read costs.
 */
export async function readAccountRepaired(name: string): Promise<AccountRecord | undefined> {
  const { account, intents } = await readAccountWithIntents(name);
  const stale = intents.filter((i) => !isOpen(i, STALE_CLAIM_MS));
  if (stale.length === 0) return account;
  await finishIntents(stale);
  return readAccount(name);
}

/** Repair on read, from a stale pending index row: finishes that account's dead writes. */
export async function repairAccountIntents(name: string): Promise<void> {
  const { intents } = await readAccountWithIntents(name);
  await finishIntents(intents.filter((i) => !isOpen(i, STALE_CLAIM_MS)));
}

/** Intents seen on a page of the accounts table: finishes the stale ones; returns their accounts. */
export async function repairListedIntents(intents: readonly Intent[]): Promise<Set<string>> {
  const stale = intents.filter((i) => !isOpen(i, STALE_CLAIM_MS));
  await finishIntents(stale);
  return new Set(stale.map((i) => i.accountName));
}

export interface StartUpRepair {
  readonly intents: number;
  readonly pendingRows: number;
}

/**
 * Before an app serves its first request: finishes interrupted writes. `noLiveWriters` (the caller
 * knows every earlier writer is dead, e.g. `npm start` holding its data folder) finishes every intent
 * and settles every pending index row whatever their age; otherwise only those past the stale bound.
 */
export async function repairAtStartUp(options: { noLiveWriters: boolean }): Promise<StartUpRepair> {
  const intents = await repairStaleIntents(options.noLiveWriters ? 0 : STALE_CLAIM_MS);
  // A pending row without an intent: a writer died while releasing a failed write's claims.
  const orphans = new Map<string, string[]>();
  const t = await tables();
  const now = Date.now();
  for await (const row of t.numberindex.listEntities<Record<string, unknown>>({ queryOptions: { filter: `state eq 'pending'` } })) {
    const indexRow = indexRowFrom(row as Row);
    if (!options.noLiveWriters && !isStale(indexRow, now)) continue;
    orphans.set(indexRow.accountName, [...(orphans.get(indexRow.accountName) ?? []), indexRow.telephoneNumber]);
  }
  let pendingRows = 0;
  for (const [accountName, numbers] of orphans) {
    await repairNumbers(accountName, numbers);
    pendingRows += numbers.length;
  }
  return { intents, pendingRows };
}
