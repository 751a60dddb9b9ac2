/**
 * D13 paging over a list held in memory (a pass-through of an Operator Connect list): key order,
 * `skip` on the first page, `top` across pages, `maxpagesize` per page, and a nextLink whose opaque
 * token is the key of the last item, so pages stay stable when items are added or removed.
 */
import { parseFilter } from '../contract/filter';
import { nextLinkFor, pageLimit, type ListQuery } from '../contract/paging';
import type { ListPage } from '../provisioning/lists';

/** D1 names no filterable fields for these lists, so any `filter` is answered 400 InvalidFilter. */
export function rejectFilter(query: ListQuery): void {
  if (query.filter !== undefined) parseFilter(query.filter, {});
}

export function pageInMemory<T>(url: URL, query: ListQuery, items: readonly T[], keyOf: (item: T) => string): ListPage {
  rejectFilter(query);
  // Code-unit order, the order Table Storage keys use elsewhere in the API.
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const count = query.countRecords ? sorted.length : undefined;
  const after = query.after;
  const start = after === undefined ? Math.min(query.skip, sorted.length) : sorted.findIndex((item) => keyOf(item) > after.rk);
  const from = start < 0 ? sorted.length : start;
  const limit = pageLimit(query);
  const value = sorted.slice(from, from + limit);
  const last = value[value.length - 1];
  const more = from + value.length < sorted.length;
  const remaining = query.top === undefined ? Infinity : query.top - value.length;
  const nextLink = more && last !== undefined && remaining > 0 ? nextLinkFor(url, query, { pk: '', rk: keyOf(last) }, value.length) : undefined;
  return { value, ...(nextLink !== undefined ? { nextLink } : {}), ...(count !== undefined ? { count } : {}) };
}
