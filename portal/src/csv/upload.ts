/**
 * Sends validated numbers in batches of 100 (the API's batch bound, one atomic transaction each)
 * with at most 4 batches in flight, reports progress, and records a result per number so only the
 * failed ones are retried. Cancelling stops new batches and aborts those in flight.
 */
import type { NumberInput } from '../../../shared/contract/resources';
import type { ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import { numbers as numbersApi } from '../api/resources';

export const BATCH_SIZE = 100;
export const CONCURRENCY = 4;
/** The message of rows that were fine but shared an atomic batch with a refused one. */
export const NOT_WRITTEN_WITH_BATCH = 'Not written: another number in the same batch was refused.';

export type RowOutcome = { state: 'sent' } | { state: 'failed'; message: string } | { state: 'cancelled' };

export interface UploadProgress {
  readonly done: number;
  readonly total: number;
}

/** `numbers[3].serviceDetails...` → the item index 3. */
function itemIndex(target: string | undefined): number | undefined {
  const match = target === undefined ? null : /^numbers\[(\d+)\]/.exec(target);
  return match ? Number(match[1]) : undefined;
}

function batchFailure(batch: readonly NumberInput[], err: unknown): RowOutcome[] {
  if (err instanceof DOMException && err.name === 'AbortError') return batch.map(() => ({ state: 'cancelled' }));
  if (err instanceof ApiProblem) {
    const perItem = new Map<number, string[]>();
    // A single refused item may come as the error's own target (e.g. 409 NumberInOtherAccount).
    const top = itemIndex(err.target);
    if (err.details.length === 0 && top !== undefined) perItem.set(top, [`${err.code}: ${err.message}`]);
    for (const detail of err.details) {
      const index = itemIndex(detail.target);
      if (index !== undefined) perItem.set(index, [...(perItem.get(index) ?? []), detail.message]);
    }
    // The batch is atomic: when some items are bad, the others were not written either.
    return batch.map((_, i) => ({
      state: 'failed',
      message: perItem.get(i)?.join(' ') ?? (perItem.size > 0 ? NOT_WRITTEN_WITH_BATCH : `${err.code}: ${err.message}`),
    }));
  }
  return batch.map(() => ({ state: 'failed', message: err instanceof Error ? err.message : String(err) }));
}

export async function uploadNumbers(
  api: ApiClient,
  accountName: string,
  items: readonly NumberInput[],
  onProgress: (progress: UploadProgress, outcomes: ReadonlyMap<string, RowOutcome>) => void,
  signal: AbortSignal,
): Promise<Map<string, RowOutcome>> {
  const outcomes = new Map<string, RowOutcome>();
  const batches: NumberInput[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const batch = batches[next++];
      if (batch === undefined) return;
      let results: RowOutcome[];
      if (signal.aborted) results = batch.map(() => ({ state: 'cancelled' }));
      else {
        try {
          await numbersApi.createOrUpdate(api, accountName, batch, signal);
          results = batch.map(() => ({ state: 'sent' }));
        } catch (err) {
          results = batchFailure(batch, err);
        }
      }
      batch.forEach((item, i) => outcomes.set(item.telephoneNumber, results[i] as RowOutcome));
      done += batch.length;
      onProgress({ done, total: items.length }, outcomes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
  return outcomes;
}
