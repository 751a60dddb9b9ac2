/** Key-ordered, filter-pushed-down paging over a table: the one place list queries are built. */
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { KeyPosition } from '../contract/paging';

/**
 * Every filter literal is quoted by the SDK's `odata` template (it doubles `'`): write a whole
 * filter as odata`PartitionKey eq ${name}`. This is the same quoting for a literal on its own, for
 * callers that still splice literals into a string (the template quotes a value after a space).
 */
export function odataString(value: string): string {
  return odata` ${value}`.slice(1);
}

export function and(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return present.map((p) => `(${p})`).join(' and ');
}

/** Entities strictly after a key position, in (PartitionKey, RowKey) order. */
export function keyAfter(position: KeyPosition): string {
  return odata`(PartitionKey gt ${position.pk}) or (PartitionKey eq ${position.pk} and RowKey gt ${position.rk})`;
}

export type Row = TableEntityResult<Record<string, unknown>>;

export interface PageRequest {
  readonly filter?: string;
  readonly skip: number;
  readonly limit: number;
  readonly select?: string[];
  /** Rows past the limit that still belong to the last row are read too (they make no item). */
  readonly belongsToLast?: (row: Row, last: Row) => boolean;
}

export interface PageResult {
  readonly rows: Row[];
  /** True when at least one more matching row exists after the last one returned. */
  readonly more: boolean;
}

/** Reads skip + limit + 1 matching rows at most, streaming, so nothing past the page is kept. */
export async function queryPage(client: TableClient, request: PageRequest): Promise<PageResult> {
  const rows: Row[] = [];
  let skipped = 0;
  const iterator = client.listEntities<Record<string, unknown>>({
    queryOptions: { ...(request.filter !== undefined ? { filter: request.filter } : {}), ...(request.select ? { select: request.select } : {}) },
  });
  for await (const row of iterator) {
    if (skipped < request.skip) {
      skipped++;
      continue;
    }
    if (rows.length >= request.limit) {
      const last = rows[rows.length - 1];
      if (last === undefined || request.belongsToLast?.(row, last) !== true) return { rows, more: true };
    }
    rows.push(row);
  }
  return { rows, more: false };
}

/** Number of rows matching a filter (x-ms-record-count); reads keys only. */
export async function countRows(client: TableClient, filter: string | undefined): Promise<number> {
  let count = 0;
  const pages = client
    .listEntities({ queryOptions: { ...(filter !== undefined ? { filter } : {}), select: ['PartitionKey'] } })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages) count += page.length;
  return count;
}
