/** `GET /accounts/{a}/teamsCivicAddresses[/{id}]`: the tenant's addresses read through from Operator Connect. */
import { etagOf, evaluatePreconditions, type Preconditions } from '../contract/conditional';
import { ApiError, ErrorCode, notFound } from '../contract/errors';
import type { ListQuery } from '../contract/paging';
import type { ListPage } from '../provisioning/lists';
import { civicAddressFromOc, type TeamsCivicAddress } from './civicAddressShape';
import { pageInMemory } from './memoryPaging';
import { askOperatorConnect } from './ocFailures';
import { consentNotFound, teamsTenantOf } from './teamsTenant';

export async function listTeamsCivicAddresses(accountName: string, url: URL, query: ListQuery): Promise<ListPage> {
  const tenantId = await teamsTenantOf(accountName);
  const addresses = await askOperatorConnect((oc) => oc.listCivicAddresses(tenantId), consentNotFound(tenantId));
  const shaped = addresses.map((address) => civicAddressFromOc(address, tenantId)).filter((a): a is TeamsCivicAddress => a !== undefined);
  return pageInMemory(url, query, shaped, (address) => address.id);
}

/**
 * Conditional on `If-Match` / `If-None-Match` only: the ETag is a hash of the address, and Operator
 * Connect does not say when an address changed, so the date conditions have nothing to compare with.
 */
export async function getTeamsCivicAddress(
  accountName: string,
  civicAddressId: string,
  preconditions: Pick<Preconditions, 'ifMatch' | 'ifNoneMatch'>,
): Promise<{ notModified: boolean; body: TeamsCivicAddress; etag: string }> {
  const tenantId = await teamsTenantOf(accountName);
  const missing = { code: ErrorCode.CivicAddressNotFound, message: `Civic address ${civicAddressId} does not exist in Teams tenant ${tenantId}.` };
  const address = await askOperatorConnect((oc) => oc.getCivicAddress(tenantId, civicAddressId), missing);
  if (address === undefined) throw notFound(missing.code, missing.message, 'civicAddressId');
  const shaped = civicAddressFromOc(address, tenantId);
  if (shaped === undefined) {
    throw new ApiError(409, ErrorCode.CivicAddressWithoutDefaultLocation, `Civic address ${civicAddressId} has no default location in Teams; the customer must set one in the Teams admin center.`, {
      target: 'civicAddressId',
    });
  }
  const etag = etagOf(shaped);
  // lastModified is never compared: the date conditions are not passed in.
  const outcome = evaluatePreconditions(preconditions, { etag, lastModified: new Date(0) }, true);
  return { notModified: outcome === 'notModified', body: shaped, etag };
}
