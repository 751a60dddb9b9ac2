/**
 * The list operations: filter parsed once, pushed down to the table whole (keys included), paged in
 * key order with an opaque key-position token, counted on request (after filter, before paging).
 */
import { ErrorCode, notFound } from '../contract/errors';
import { evaluateFilter, parseFilter, toTableFilter, type FilterFields, type FilterNode } from '../contract/filter';
import { nextLinkFor, pageLimit, type ListQuery } from '../contract/paging';
import { ACCOUNT_FILTER_FIELDS, accountFromRow, readAccount } from '../store/accountStore';
import { ACCOUNT_ROWS, INTENT_ROWS, intentFromRow, isIntentRow } from '../store/intents';
import { bucketOf, INDEX_BUCKET_LENGTH, indexRowFrom, isStale } from '../store/numberIndex';
import { readPartitionNumber } from '../store/numberPartition';
import { INDEX_NUMBER_FILTER_FIELDS, numberColumns, numberFromRow, PARTITION_NUMBER_FILTER_FIELDS } from '../store/numberRecords';
import { and, countRows, keyAfter, odataString, queryPage, type Row } from '../store/query';
import { tables, type TableName } from '../store/tables';
import { representAccount, representNumber } from './representations';
import { readAccountRepaired, repairAccountIntents, repairListedIntents } from './repair';

export interface ListPage {
  readonly value: unknown[];
  readonly nextLink?: string;
  readonly count?: number;
}

export interface ListPlan {
  readonly table: TableName;
  /** Always applied (e.g. the account partition); not part of the client's filter. */
  readonly scope?: string;
  readonly fields: FilterFields;
  /** The rows that are items (and counted), when the table holds other rows too. */
  readonly itemRows?: string;
  /** Extra rows to read whatever the filter says, then decide in memory (pending index rows). */
  readonly alsoRead?: string;
  /** Rows past the page's limit that still belong to its last row (read with it, no item of their own). */
  readonly belongsToLast?: (row: Row, last: Row) => boolean;
  /** Sees the whole page before any item is made (e.g. to repair what the page's extra rows reveal). */
  readonly beforeItems?: (rows: readonly Row[]) => Promise<void>;
  /** Key bounds implied by the filter, for tables whose PartitionKey is derived from a filtered field. */
  readonly derivedBounds?: (node: FilterNode) => string | undefined;
  readonly toItem: (row: Row, node: FilterNode | undefined) => Promise<unknown | undefined>;
}

/** One page of any key-ordered table list: filter pushed down whole, count after filter, D13 paging. */
export async function listPage(url: URL, query: ListQuery, plan: ListPlan): Promise<ListPage> {
  const node = query.filter === undefined ? undefined : parseFilter(query.filter, plan.fields);
  const userFilter = node === undefined ? undefined : toTableFilter(node);
  const bounds = node === undefined ? undefined : plan.derivedBounds?.(node);
  const items = and(plan.itemRows, userFilter);
  const selection = plan.alsoRead === undefined ? items : userFilter !== undefined ? `(${items}) or (${plan.alsoRead})` : undefined;
  const limit = pageLimit(query);
  const client = (await tables())[plan.table];
  const count = query.countRecords ? await countRows(client, and(plan.scope, bounds, items)) : undefined;
  if (limit === 0) return { value: [], ...(count !== undefined ? { count } : {}) };

  const page = await queryPage(client, {
    filter: and(plan.scope, bounds, query.after ? keyAfter(query.after) : undefined, selection),
    skip: query.after ? 0 : query.skip,
    limit,
    ...(plan.belongsToLast !== undefined ? { belongsToLast: plan.belongsToLast } : {}),
  });
  await plan.beforeItems?.(page.rows);
  const value: unknown[] = [];
  for (const row of page.rows) {
    const item = await plan.toItem(row, node);
    if (item !== undefined) value.push(item);
  }
  const last = page.rows[page.rows.length - 1];
  const remaining = query.top === undefined ? Infinity : query.top - value.length;
  const nextLink = page.more && last !== undefined && remaining > 0 ? nextLinkFor(url, query, { pk: String(last.partitionKey), rk: String(last.rowKey) }, value.length) : undefined;
  return { value, ...(nextLink !== undefined ? { nextLink } : {}), ...(count !== undefined ? { count } : {}) };
}

/**
 * Accounts with repair on read: an account's intent notes sort right after it in its partition, so
 * the page query returns them with it (also past the page's limit) and a dead writer's unfinished
 * write is finished before the account is shown (repair.ts).
 */
export async function listAccounts(url: URL, query: ListQuery): Promise<ListPage> {
  let repaired = new Set<string>();
  return listPage(url, query, {
    table: 'accounts',
    fields: ACCOUNT_FILTER_FIELDS,
    itemRows: ACCOUNT_ROWS,
    alsoRead: INTENT_ROWS,
    belongsToLast: (row, last) => row.partitionKey === last.partitionKey,
    beforeItems: async (rows) => {
      repaired = await repairListedIntents(rows.filter(isIntentRow).map(intentFromRow));
    },
    toItem: async (row) => {
      if (isIntentRow(row)) return undefined;
      const account = repaired.has(String(row.partitionKey)) ? await readAccount(String(row.partitionKey)) : accountFromRow(row);
      return account === undefined ? undefined : representAccount(account).body;
    },
  });
}

export async function listAccountNumbers(accountName: string, url: URL, query: ListQuery): Promise<ListPage> {
  // Repair on read first: the numbers then agree with the account's counts and the index.
  if ((await readAccountRepaired(accountName)) === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} does not exist.`, 'accountName');
  return listPage(url, query, {
    table: 'numbers',
    scope: `PartitionKey eq ${odataString(accountName)}`,
    fields: PARTITION_NUMBER_FILTER_FIELDS,
    toItem: async (row) => representNumber(numberFromRow(row)).body,
  });
}

function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

/**
 * The projection's PartitionKey is a prefix of the number, so number constraints in the filter
 * bound the partitions to visit: `eq`/`startswith`/ranges on telephoneNumber never scan the table.
 */
export function indexPartitionBounds(node: FilterNode): string | undefined {
  const parts: string[] = [];
  for (const c of conjuncts(node)) {
    if (c.kind === 'compare' && c.column === 'RowKey' && typeof c.value === 'string') {
      const bucket = odataString(bucketOf(c.value));
      if (c.op === 'eq') parts.push(`PartitionKey eq ${bucket}`);
      else if (c.op === 'gt' || c.op === 'ge') parts.push(`PartitionKey ge ${bucket}`);
      else if (c.op === 'lt' || c.op === 'le') parts.push(`PartitionKey le ${bucket}`);
    } else if (c.kind === 'startswith' && c.column === 'RowKey') {
      if (c.prefix.length >= INDEX_BUCKET_LENGTH) parts.push(`PartitionKey eq ${odataString(bucketOf(c.prefix))}`);
      // '~' sorts after every digit, so this bounds all partitions that start with the prefix.
      else if (c.prefix !== '') parts.push(`PartitionKey ge ${odataString(c.prefix)} and PartitionKey lt ${odataString(`${c.prefix}~`)}`);
    }
  }
  return and(...parts);
}

export async function listAllNumbers(url: URL, query: ListQuery): Promise<ListPage> {
  return listPage(url, query, {
    table: 'numberindex',
    fields: INDEX_NUMBER_FILTER_FIELDS,
    alsoRead: `state eq 'pending'`,
    derivedBounds: indexPartitionBounds,
    toItem: async (row, node) => {
      const indexRow = indexRowFrom(row);
      if (indexRow.state === 'active') return indexRow.record === undefined ? undefined : representNumber(indexRow.record).body;
      // A writer holds this number right now (or died holding it): the account partition decides.
      if (isStale(indexRow)) await repairAccountIntents(indexRow.accountName);
      const record = await readPartitionNumber(indexRow.accountName, indexRow.telephoneNumber);
      if (record === undefined) return undefined;
      const columns = { ...numberColumns(record), RowKey: indexRow.telephoneNumber, PartitionKey: bucketOf(indexRow.telephoneNumber) };
      return node === undefined || evaluateFilter(node, columns) ? representNumber(record).body : undefined;
    },
  });
}
