/**
 * `GET /teamsRequestsForInformation` (filter pushed down to the table whole, key-ordered paging with
 * an opaque key-position token, count after filter) and `GET /teamsRequestsForInformation/{tenantId}`.
 */
import { evaluatePreconditions, type Preconditions } from '../contract/conditional';
import { ErrorCode, notFound } from '../contract/errors';
import { parseFilter, toTableFilter } from '../contract/filter';
import { nextLinkFor, pageLimit, type ListQuery } from '../contract/paging';
import type { ListPage } from '../provisioning/lists';
import { and, countRows, keyAfter, queryPage, type Row } from '../store/query';
import { RFI_FILTER_FIELDS, rfiFromRow } from './rfiRecord';
import { representRfi, type RfiRepresentation } from './rfiRepresentation';
import { readRfi, rfiTable } from './rfiStore';

export function rfiNotFound(tenantId: string) {
  return notFound(ErrorCode.RequestForInformationNotFound, `No request for information exists for Teams tenant ${tenantId}.`, 'tenantId');
}

export async function listRfis(url: URL, query: ListQuery): Promise<ListPage> {
  const filter = query.filter === undefined ? undefined : toTableFilter(parseFilter(query.filter, RFI_FILTER_FIELDS));
  const table = await rfiTable();
  const count = query.countRecords ? await countRows(table, filter) : undefined;
  const limit = pageLimit(query);
  if (limit === 0) return { value: [], ...(count !== undefined ? { count } : {}) };
  const page = await queryPage(table, {
    filter: and(query.after !== undefined ? keyAfter(query.after) : undefined, filter),
    skip: query.after !== undefined ? 0 : query.skip,
    limit,
  });
  const value = page.rows.map((row) => representRfi(rfiFromRow(row as Row)).body);
  const last = page.rows[page.rows.length - 1];
  const remaining = query.top === undefined ? Infinity : query.top - value.length;
  const nextLink = page.more && last !== undefined && remaining > 0 ? nextLinkFor(url, query, { pk: String(last.partitionKey), rk: String(last.rowKey) }, value.length) : undefined;
  return { value, ...(nextLink !== undefined ? { nextLink } : {}), ...(count !== undefined ? { count } : {}) };
}

export async function getRfi(tenantId: string, preconditions: Preconditions): Promise<{ notModified: boolean; representation: RfiRepresentation }> {
  const record = await readRfi(tenantId);
  if (record === undefined) throw rfiNotFound(tenantId);
  const representation = representRfi(record);
  const outcome = evaluatePreconditions(preconditions, representation, true);
  return { notModified: outcome === 'notModified', representation };
}
