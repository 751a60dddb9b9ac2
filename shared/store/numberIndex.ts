/**
 * numberindex table: the number-keyed projection. PartitionKey = the number's first 9 characters
 * ('+' and 8 digits: a range of consecutive numbers shares a partition, so a batch claims them in
 * one or two transactions), RowKey = the number. One point read answers "which account, which
 * services, which header" for the lookup, and the row is the claim that makes a number belong to at
 * most one account (creating it fails if it exists).
 *
 * A row is `active` (mirrors the committed number) or `pending` (a writer holds it while changing
 * the account partition; readers resolve pending rows from the partition, which is authoritative).
 */
import { odata, type TransactionAction } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { step, type StepName } from './steps';
import { numberColumns, numberFromRow, type NumberRecord } from './numberRecords';
import type { Row } from './query';
import { tables } from './tables';

export const INDEX_BUCKET_LENGTH = 9;
/** A pending claim older than this belongs to a writer that died; it may be repaired and taken over. */
export const STALE_CLAIM_MS = 30_000;

export function bucketOf(telephoneNumber: string): string {
  return telephoneNumber.slice(0, INDEX_BUCKET_LENGTH);
}

export interface IndexRow {
  readonly telephoneNumber: string;
  readonly accountName: string;
  readonly state: 'active' | 'pending';
  readonly txn: string;
  readonly since: Date;
  /** The committed number as last mirrored; absent on a fresh claim. */
  readonly record?: NumberRecord;
  readonly etag: string;
}

export function indexRowFrom(row: Row): IndexRow {
  return {
    telephoneNumber: String(row.rowKey),
    accountName: String(row.accountName),
    state: row.state === 'active' ? 'active' : 'pending',
    txn: String(row.txn ?? ''),
    since: new Date(String(row.since ?? 0)),
    ...(typeof row.doc === 'string' && row.doc !== '' ? { record: numberFromRow(row) } : {}),
    etag: String(row.etag),
  };
}

export function isStale(row: IndexRow, now = Date.now()): boolean {
  return row.state === 'pending' && now - row.since.getTime() > STALE_CLAIM_MS;
}

function groupByBucket<T>(items: readonly T[], numberOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const bucket = bucketOf(numberOf(item));
    const group = groups.get(bucket);
    if (group) group.push(item);
    else groups.set(bucket, [item]);
  }
  return groups;
}

/** Index rows of these numbers: one ranged query per bucket (a batch of a number range is 1–2). */
export async function readIndexRows(numbers: readonly string[]): Promise<Map<string, IndexRow>> {
  const t = await tables();
  const found = new Map<string, IndexRow>();
  const wanted = new Set(numbers);
  await Promise.all(
    [...groupByBucket(numbers, (n) => n)].map(async ([bucket, group]) => {
      const sorted = [...group].sort();
      const filter =
        group.length === 1
          ? odata`PartitionKey eq ${bucket} and RowKey eq ${sorted[0] as string}`
          : odata`PartitionKey eq ${bucket} and RowKey ge ${sorted[0] as string} and RowKey le ${sorted[sorted.length - 1] as string}`;
      for await (const row of t.numberindex.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        if (wanted.has(String(row.rowKey))) found.set(String(row.rowKey), indexRowFrom(row as Row));
      }
    }),
  );
  return found;
}

export interface Claim {
  readonly telephoneNumber: string;
  /** The row before the claim (undefined = the number was unclaimed). */
  readonly previous?: IndexRow;
}

export interface HeldClaim extends Claim {
  readonly etag: string;
}

async function submitByBucket<T>(
  items: readonly T[],
  numberOf: (item: T) => string,
  action: (item: T) => TransactionAction,
  stepName: StepName,
): Promise<Map<string, string>> {
  const t = await tables();
  const etags = new Map<string, string>();
  for (const [bucket, group] of groupByBucket(items, numberOf)) {
    void bucket;
    step(stepName);
    const response = await t.numberindex.submitTransaction(group.map(action));
    for (const item of group) {
      const etag = response.getResponseForEntity(numberOf(item))?.etag;
      if (etag !== undefined) etags.set(numberOf(item), etag);
    }
  }
  return etags;
}

/**
 * Claims numbers for an account: creates unclaimed rows, marks owned rows pending, both conditional
 * (create fails on an existing row; updates carry the row's ETag). Each bucket is one transaction;
 * if a later bucket fails the earlier ones are released before the error propagates.
 */
export async function claimNumbers(accountName: string, claims: readonly Claim[], txn: string, now: Date): Promise<HeldClaim[]> {
  const held: HeldClaim[] = [];
  const groups = groupByBucket(claims, (c) => c.telephoneNumber);
  try {
    for (const group of groups.values()) {
      const etags = await submitByBucket(
        group,
        (c) => c.telephoneNumber,
        (c): TransactionAction => {
          const marker = { partitionKey: bucketOf(c.telephoneNumber), rowKey: c.telephoneNumber, accountName, state: 'pending', txn, since: now.toISOString() };
          return c.previous === undefined ? ['create', marker] : ['update', marker, 'Merge', { etag: c.previous.etag }];
        },
        'index.claim',
      );
      for (const c of group) held.push({ ...c, etag: etags.get(c.telephoneNumber) ?? '*' });
    }
    return held;
  } catch (err) {
    await releaseClaims(held).catch(() => undefined);
    throw err;
  }
}

/** Undoes claims whose partition write did not happen: new rows go, previous rows come back. */
export async function releaseClaims(held: readonly HeldClaim[]): Promise<void> {
  if (held.length === 0) return;
  await submitByBucket(
    held,
    (c) => c.telephoneNumber,
    (c): TransactionAction => {
      const key = { partitionKey: bucketOf(c.telephoneNumber), rowKey: c.telephoneNumber };
      if (c.previous === undefined) return ['delete', key];
      const restored = { ...key, accountName: c.previous.accountName, state: c.previous.state, txn: c.previous.txn, since: c.previous.since.toISOString() };
      return ['update', restored, 'Merge', { etag: c.etag }];
    },
    'index.settle',
  );
}

/** After the partition commit: upserted numbers become active mirrors, deleted ones disappear. */
export async function settleClaims(held: readonly HeldClaim[], committed: ReadonlyMap<string, NumberRecord>): Promise<void> {
  if (held.length === 0) return;
  await submitByBucket(
    held,
    (c) => c.telephoneNumber,
    (c): TransactionAction => {
      const key = { partitionKey: bucketOf(c.telephoneNumber), rowKey: c.telephoneNumber };
      const record = committed.get(c.telephoneNumber);
      if (record === undefined) return ['delete', key];
      const entity = { ...key, ...numberColumns(record), state: 'active', txn: '', since: record.lastModified.toISOString() };
      return ['update', entity, 'Replace', { etag: c.etag }];
    },
    'index.settle',
  );
}

export function newTxnId(): string {
  return randomUUID();
}
