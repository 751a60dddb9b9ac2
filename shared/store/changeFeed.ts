/**
 * changes table: the change feed the lookup consumes to invalidate its in-memory view.
 * PartitionKey = UTC minute (yyyyMMddHHmm), RowKey = zero-padded epoch ms + '-' + a unique id, so a
 * reader polls "this minute (and the previous one) after my last RowKey" with one ranged query.
 * Entries are written after the authoritative write; a crash before it is covered by the sweeper,
 * which writes the entry when it repairs the write.
 */
import { odata } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { tables } from './tables';
import { readJson } from './json';

export type ChangeKind = 'account' | 'numbers';

export interface Change {
  readonly kind: ChangeKind;
  readonly accountName: string;
  readonly numbers: readonly string[];
  /** The writer's clock when it wrote the entry (epoch ms). */
  readonly atMs: number;
  /** The RowKey: unique, ordered by time. */
  readonly position: string;
}

export function minuteBucket(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

export async function appendChange(kind: ChangeKind, accountName: string, numbers: readonly string[], at = new Date()): Promise<void> {
  const t = await tables();
  await t.changes.createEntity({
    partitionKey: minuteBucket(at),
    rowKey: `${positionAt(at.getTime())}-${randomUUID()}`,
    kind,
    accountName,
    numbers: JSON.stringify(numbers),
  });
}

/** The RowKey prefix of entries written at `ms`: epoch ms zero-padded to 15 digits. */
export function positionAt(ms: number): string {
  return String(ms).padStart(15, '0');
}

/**
 * Changes in one minute bucket after a RowKey position (exclusive; `positionAt(ms)` includes the
 * entries written at `ms`). The abort signal bounds the read, SDK retries included.
 */
export async function readChanges(bucket: string, afterRowKey = '', abortSignal?: AbortSignal): Promise<Change[]> {
  const t = await tables();
  const out: Change[] = [];
  const filter = odata`PartitionKey eq ${bucket} and RowKey gt ${afterRowKey}`;
  for await (const row of t.changes.listEntities<Record<string, unknown>>({ queryOptions: { filter }, ...(abortSignal !== undefined ? { abortSignal } : {}) })) {
    const position = String(row.rowKey);
    out.push({
      kind: row.kind === 'account' ? 'account' : 'numbers',
      accountName: String(row.accountName),
      numbers: readJson<string[]>(row.numbers, []),
      atMs: Number(position.slice(0, 15)),
      position,
    });
  }
  return out;
}
