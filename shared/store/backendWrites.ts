/**
 * The flow-through worker's result writes (architecture invariant 5: never overwrite newer intent).
 * A result is written only while the resource still holds the desired document that was
 * reconciled: numbers are ETag-matched against the partition row that was read, accounts are
 * re-read and compared (their ETag also moves with number counts, which is not new intent).
 */
import { odata, type TransactionAction } from '@azure/data-tables';
import type { AccountDoc, BackendState } from '../domain/types';
import { readAccount, type SubdomainStatus } from './accountStore';
import { bucketOf, readIndexRows } from './numberIndex';
import { numberFromRow, type NumberRecord } from './numberRecords';
import type { Row } from './query';
import { isNotFound, isPreconditionFailed } from './storageErrors';
import { tables } from './tables';

export interface StoredNumber {
  readonly record: NumberRecord;
  readonly etag: string;
}

/** Every number of an account with its partition ETag (the worker's snapshot of desired state). */
export async function readAccountNumbers(accountName: string): Promise<Map<string, StoredNumber>> {
  const t = await tables();
  const out = new Map<string, StoredNumber>();
  const rows = t.numbers.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${accountName}` } });
  for await (const row of rows) out.set(String(row.rowKey), { record: numberFromRow(row as Row), etag: String(row.etag) });
  return out;
}

function backendColumns(backend: BackendState, at: Date): Record<string, unknown> {
  return {
    status: backend.status,
    errors: JSON.stringify(backend.errors),
    readBack: backend.readBack === undefined ? '' : JSON.stringify(backend.readBack),
    lastModified: at.toISOString(),
  };
}

export interface NumberResult {
  readonly stored: StoredNumber;
  readonly backend: BackendState;
}

/**
 * Writes backend results to the partition (ETag-matched) and mirrors them into the number-keyed
 * projection. Returns the numbers written; a number changed since it was read is skipped (its own
 * write sent a kick that reconciles it again).
 */
export async function writeNumberResults(accountName: string, results: readonly NumberResult[], at = new Date()): Promise<string[]> {
  if (results.length === 0) return [];
  const t = await tables();
  const written: string[] = [];
  for (let i = 0; i < results.length; i += 100) {
    const chunk = results.slice(i, i + 100);
    const actions = chunk.map(
      (r): TransactionAction => ['update', { partitionKey: accountName, rowKey: r.stored.record.doc.telephoneNumber, ...backendColumns(r.backend, at) }, 'Merge', { etag: r.stored.etag }],
    );
    try {
      await t.numbers.submitTransaction(actions);
      written.push(...chunk.map((r) => r.stored.record.doc.telephoneNumber));
    } catch (err) {
      if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
      // Some number changed or went: write the others one by one.
      for (const r of chunk) {
        try {
          await t.numbers.updateEntity({ partitionKey: accountName, rowKey: r.stored.record.doc.telephoneNumber, ...backendColumns(r.backend, at) }, 'Merge', { etag: r.stored.etag });
          written.push(r.stored.record.doc.telephoneNumber);
        } catch (e) {
          if (!isPreconditionFailed(e) && !isNotFound(e)) throw e;
        }
      }
    }
  }
  await mirrorIntoIndex(accountName, results, new Set(written), at);
  return written;
}

/**
 * The projection mirrors the partition; a row held by a writer (pending) is left to that writer.
 * Rows of one index bucket go in one transaction (ETag-matched); if any of them changed meanwhile,
 * that bucket falls back to row-by-row so the others still land.
 */
async function mirrorIntoIndex(accountName: string, results: readonly NumberResult[], written: ReadonlySet<string>, at: Date): Promise<void> {
  const t = await tables();
  const mine = results.filter((r) => written.has(r.stored.record.doc.telephoneNumber));
  const rows = await readIndexRows(mine.map((r) => r.stored.record.doc.telephoneNumber));
  const buckets = new Map<string, { n: string; etag: string; columns: Record<string, unknown> }[]>();
  for (const r of mine) {
    const n = r.stored.record.doc.telephoneNumber;
    const row = rows.get(n);
    if (row === undefined || row.state !== 'active' || row.accountName !== accountName) continue;
    if (JSON.stringify(row.record?.doc) !== JSON.stringify(r.stored.record.doc)) continue;
    const bucket = buckets.get(bucketOf(n)) ?? [];
    bucket.push({ n, etag: row.etag, columns: backendColumns(r.backend, at) });
    buckets.set(bucketOf(n), bucket);
  }
  for (const [bucket, updates] of buckets) {
    for (let i = 0; i < updates.length; i += 100) {
      const chunk = updates.slice(i, i + 100);
      try {
        await t.numberindex.submitTransaction(chunk.map((u): TransactionAction => ['update', { partitionKey: bucket, rowKey: u.n, ...u.columns }, 'Merge', { etag: u.etag }]));
      } catch (err) {
        if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
        for (const u of chunk) {
          try {
            await t.numberindex.updateEntity({ partitionKey: bucket, rowKey: u.n, ...u.columns }, 'Merge', { etag: u.etag });
          } catch (e) {
            if (!isPreconditionFailed(e) && !isNotFound(e)) throw e;
          }
        }
      }
    }
  }
}

export interface AccountResult {
  readonly backend: BackendState;
  readonly subdomainStatus: SubdomainStatus;
}

/** Writes an account's backend result if the account still holds `reconciled`; false otherwise. */
export async function writeAccountResult(reconciled: AccountDoc, result: AccountResult, at = new Date()): Promise<boolean> {
  const t = await tables();
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await readAccount(reconciled.name);
    if (current === undefined || JSON.stringify(current.doc) !== JSON.stringify(reconciled)) return false;
    const same =
      current.backend.status === result.backend.status &&
      JSON.stringify(current.backend.errors) === JSON.stringify(result.backend.errors) &&
      current.subdomainStatus === result.subdomainStatus;
    if (same) return true;
    try {
      await t.accounts.updateEntity(
        {
          partitionKey: reconciled.name,
          rowKey: '',
          status: result.backend.status,
          errors: JSON.stringify(result.backend.errors),
          subdomainStatus: result.subdomainStatus,
          lastModified: at.toISOString(),
        },
        'Merge',
        { etag: current.etag },
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!isPreconditionFailed(err)) throw err;
    }
  }
  return false;
}
