/**
 * `GET /teamsRequestsForInformation` (filter pushed down to the table whole, key-ordered paging with
 * an opaque key-position token, count after filter) and `GET /teamsRequestsForInformation/{tenantId}`.
 */
import { evaluatePreconditions, type Preconditions } from '../contract/conditional';
import { ErrorCode, notFound } from '../contract/errors';
import type { ListQuery } from '../contract/paging';
import { listPage, type ListPage } from '../provisioning/lists';
import { readRfi, RFI_FILTER_FIELDS, rfiFromRow } from '../store/rfiStore';
import { representRfi, type RfiRepresentation } from './rfiRepresentation';

export function rfiNotFound(tenantId: string) {
  return notFound(ErrorCode.RequestForInformationNotFound, `No request for information exists for Teams tenant ${tenantId}.`, 'tenantId');
}

export async function listRfis(url: URL, query: ListQuery): Promise<ListPage> {
  return listPage(url, query, {
    table: 'rfis',
    fields: RFI_FILTER_FIELDS,
    toItem: async (row) => representRfi(rfiFromRow(row)).body,
  });
}

export async function getRfi(tenantId: string, preconditions: Preconditions): Promise<{ notModified: boolean; representation: RfiRepresentation }> {
  const record = await readRfi(tenantId);
  if (record === undefined) throw rfiNotFound(tenantId);
  const representation = representRfi(record);
  const outcome = evaluatePreconditions(preconditions, representation, true);
  return { notModified: outcome === 'notModified', representation };
}
