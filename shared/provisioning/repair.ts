/**
 * Reconciles the number-keyed projection and the counts with the authoritative account partition,
 * after a writer died between steps (docs/storage.md "Crash repair"). Idempotent: running it on a
 * healthy number changes nothing.
 */
import { setCounts } from '../store/accountStore';
import { appendChange } from '../store/changeFeed';
import { clearIntent, staleIntents } from '../store/intents';
import { readIndexRows, settleClaims, STALE_CLAIM_MS, type HeldClaim } from '../store/numberIndex';
import { countPartitionServices, readPartitionNumber } from '../store/numberPartition';
import type { NumberRecord } from '../store/numberRecords';
import { isNotFound, isPreconditionFailed } from '../store/storageErrors';

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

/** Sweeper step: finishes every number write whose writer stopped before clearing its intent. */
export async function repairStaleIntents(olderThanMs = STALE_CLAIM_MS): Promise<number> {
  const intents = await staleIntents(olderThanMs);
  for (const intent of intents) {
    await repairNumbers(intent.accountName, intent.numbers);
    await clearIntent(intent.accountName, intent.txn);
  }
  return intents.length;
}
