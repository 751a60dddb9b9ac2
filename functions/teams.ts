/**
 * The Teams operations: civic addresses, capability plans and available capabilities read through
 * from Operator Connect for the account's Teams tenant, and requests for information (consents pulled
 * into the `rfis` table; customer-relationship changes pushed by the flow-through worker).
 * Importing this module registers the consent puller (sweeper) and the RFI push (worker).
 */
import { app } from '@azure/functions';
import { readPreconditions } from '../shared/contract/conditional';
import { ApiError, ErrorCode } from '../shared/contract/errors';
import { emptyResponse, jsonResponse, type ApiRequest } from '../shared/contract/http';
import { readListQuery } from '../shared/contract/paging';
import { type Operation, operation as op } from '../shared/contract/pipeline';
import { GUID } from '../shared/contract/resources';
import { methodNotAllowed, unknownRoute } from '../shared/contract/routing';
import { setConsentPuller } from '../shared/flowthrough/sweeper';
import { setRfiHandler } from '../shared/flowthrough/worker';
import { parseNumberIdentifiers, teamsAvailableCapabilities, teamsCapabilityPlans } from '../shared/teams/capabilities';
import { getTeamsCivicAddress, listTeamsCivicAddresses } from '../shared/teams/civicAddresses';
import { pullConsents } from '../shared/teams/consentPuller';
import { getRfi, listRfis } from '../shared/teams/rfiReads';
import { parseRfiPatch, patchRfi } from '../shared/teams/rfiPatch';
import { pushCustomerRelationship } from '../shared/teams/rfiPush';
import { apiHandler } from './httpAdapter';
import { accountNameParam, jsonBody } from './params';
import { listResponse, resourceHeaders } from './responses';

setConsentPuller(() => pullConsents());
setRfiHandler(pushCustomerRelationship);


function tenantIdParam(value: string | undefined): string {
  if (value === undefined || value.length > 36 || !GUID.test(value)) {
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'tenantId must be a GUID.', { target: 'tenantId' });
  }
  return value.toLowerCase();
}

function civicAddressIdParam(value: string | undefined): string {
  if (value === undefined || value === '') throw new ApiError(400, ErrorCode.InvalidRequestContent, 'civicAddressId must not be empty.', { target: 'civicAddressId' });
  return value;
}

/** Conditional GET of a read-through resource: ETag only (OC does not say when an address changed). */
function etagPreconditions(req: ApiRequest) {
  const { ifMatch, ifNoneMatch } = readPreconditions(req.headers);
  return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
}

function civicAddresses(req: ApiRequest): Operation {
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
  if (req.params.civicAddressId === undefined) {
    return op('Accounts_ListTeamsCivicAddresses', false, async () =>
      listResponse(await listTeamsCivicAddresses(accountNameParam(req.params.accountName), req.url, readListQuery(req.url))),
    );
  }
  return op('Accounts_GetTeamsCivicAddress', false, async () => {
    const accountName = accountNameParam(req.params.accountName);
    const civicAddressId = civicAddressIdParam(req.params.civicAddressId);
    const { notModified, body, etag } = await getTeamsCivicAddress(accountName, civicAddressId, etagPreconditions(req));
    if (notModified) return emptyResponse(304, { ETag: etag });
    return jsonResponse(200, body, { ETag: etag });
  });
}

/**
 * `:getTeamsCapabilityPlans` / `:getTeamsAvailableCapabilities` on `accounts/{accountName}`: the
 * account function resolves the route (POST, action split off) and delegates here.
 */
export function teamsAccountAction(req: ApiRequest, name: string, action: string): Operation {
  switch (action) {
    case 'getTeamsCapabilityPlans':
      return op('Accounts_GetTeamsCapabilityPlans', true, async () => {
        const accountName = accountNameParam(name);
        // No body in the contract; an empty body, `{}` or any JSON object is accepted and ignored.
        await jsonBody(req, ['application/json'], false);
        return jsonResponse(200, await teamsCapabilityPlans(accountName));
      });
    case 'getTeamsAvailableCapabilities':
      return op('Accounts_GetTeamsAvailableCapabilities', true, async () => {
        const accountName = accountNameParam(name);
        const telephoneNumbers = parseNumberIdentifiers(await jsonBody(req));
        return jsonResponse(200, await teamsAvailableCapabilities(accountName, telephoneNumbers));
      });
    default:
      throw unknownRoute(req.url.pathname);
  }
}

function mergePatchBody(req: ApiRequest): Promise<unknown> {
  return jsonBody(req, ['application/merge-patch+json']);
}

function requestsForInformation(req: ApiRequest): Operation {
  if (req.params.tenantId === undefined) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    return op('TeamsRequestsForInformation_List', false, async () => listResponse(await listRfis(req.url, readListQuery(req.url))));
  }
  if (req.method === 'GET') {
    return op('TeamsRequestsForInformation_GetRequestForInformation', false, async () => {
      const { notModified, representation } = await getRfi(tenantIdParam(req.params.tenantId), readPreconditions(req.headers));
      if (notModified) return emptyResponse(304, resourceHeaders(representation));
      return jsonResponse(200, representation.body, resourceHeaders(representation));
    });
  }
  if (req.method === 'PATCH') {
    return op('TeamsRequestsForInformation_CreateOrUpdateRequestForInformation', true, async () => {
      const tenantId = tenantIdParam(req.params.tenantId);
      const preconditions = readPreconditions(req.headers);
      const patch = parseRfiPatch(await mergePatchBody(req));
      const representation = await patchRfi(tenantId, patch, preconditions);
      return jsonResponse(200, representation.body, resourceHeaders(representation));
    });
  }
  throw methodNotAllowed(req.method, ['GET', 'PATCH']);
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as never;
app.http('teamsCivicAddresses', { route: 'accounts/{accountName}/teamsCivicAddresses', methods, authLevel: 'anonymous', handler: apiHandler(civicAddresses) });
app.http('teamsCivicAddress', { route: 'accounts/{accountName}/teamsCivicAddresses/{civicAddressId}', methods, authLevel: 'anonymous', handler: apiHandler(civicAddresses) });
app.http('teamsRequestsForInformation', { route: 'teamsRequestsForInformation', methods, authLevel: 'anonymous', handler: apiHandler(requestsForInformation) });
app.http('teamsRequestForInformation', { route: 'teamsRequestsForInformation/{tenantId}', methods, authLevel: 'anonymous', handler: apiHandler(requestsForInformation) });
