/**
 * changes table: the change feed the lookup consumes to invalidate its in-memory view.
 * PartitionKey = UTC minute (yyyyMMddHHmm), RowKey = zero-padded epoch ms + '-' + a unique id, so a
 * reader polls "this minute (and the previous one) after my last RowKey" with one ranged query.
 * Entries are written after the authoritative write; a crash before it is covered by the sweeper,
 * which writes the entry when it repairs the write.
 */
import { randomUUID } from 'node:crypto';
import { tables } from './tables';
import { readJson } from './json';
import { odataString } from './query';

export type ChangeKind = 'account' | 'numbers';

export interface Change {
  readonly kind: ChangeKind;
  readonly accountName: string;
  readonly numbers: readonly string[];
  readonly at: Date;
  readonly position: string;
}

export function minuteBucket(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

export async function appendChange(kind: ChangeKind, accountName: string, numbers: readonly string[], at = new Date()): Promise<void> {
  const t = await tables();
  await t.changes.createEntity({
    partitionKey: minuteBucket(at),
    rowKey: `${String(at.getTime()).padStart(15, '0')}-${randomUUID()}`,
    kind,
    accountName,
    numbers: JSON.stringify(numbers),
  });
}

/** Changes in one minute bucket after a RowKey position (exclusive). */
export async function readChanges(bucket: string, afterRowKey = ''): Promise<Change[]> {
  const t = await tables();
  const out: Change[] = [];
  const filter = `PartitionKey eq ${odataString(bucket)} and RowKey gt ${odataString(afterRowKey)}`;
  for await (const row of t.changes.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    out.push({
      kind: row.kind === 'account' ? 'account' : 'numbers',
      accountName: String(row.accountName),
      numbers: readJson<string[]>(row.numbers, []),
      at: new Date(Number(String(row.rowKey).slice(0, 15))),
      position: String(row.rowKey),
    });
  }
  return out;
}
