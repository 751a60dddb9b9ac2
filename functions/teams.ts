/**
 * The Teams operations (civic addresses, requests for information) are pass-throughs to Operator
 * Connect and arrive with flow-through provisioning; until then their routes answer 501 with an
 * Azure.Core error body, after the usual api-version and authorization checks.
 */
import { app } from '@azure/functions';
import type { ApiRequest } from '../shared/contract/http';
import type { Operation } from '../shared/contract/pipeline';
import { methodNotAllowed, notImplemented } from '../shared/contract/routing';
import { apiHandler } from './httpAdapter';

const pending = (id: string, repeatable = false): Operation => ({
  id,
  repeatable,
  run: async () => {
    throw notImplemented(id);
  },
});

function civicAddresses(req: ApiRequest): Operation {
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
  return pending(req.params.civicAddressId === undefined ? 'Accounts_ListTeamsCivicAddresses' : 'Accounts_GetTeamsCivicAddress');
}

function requestsForInformation(req: ApiRequest): Operation {
  if (req.params.tenantId === undefined) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    return pending('TeamsRequestsForInformation_List');
  }
  if (req.method === 'GET') return pending('TeamsRequestsForInformation_GetRequestForInformation');
  if (req.method === 'PATCH') return pending('TeamsRequestsForInformation_CreateOrUpdateRequestForInformation', true);
  throw methodNotAllowed(req.method, ['GET', 'PATCH']);
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as never;
app.http('teamsCivicAddresses', { route: 'accounts/{accountName}/teamsCivicAddresses', methods, authLevel: 'anonymous', handler: apiHandler(civicAddresses) });
app.http('teamsCivicAddress', { route: 'accounts/{accountName}/teamsCivicAddresses/{civicAddressId}', methods, authLevel: 'anonymous', handler: apiHandler(civicAddresses) });
app.http('teamsRequestsForInformation', { route: 'teamsRequestsForInformation', methods, authLevel: 'anonymous', handler: apiHandler(requestsForInformation) });
app.http('teamsRequestForInformation', { route: 'teamsRequestsForInformation/{tenantId}', methods, authLevel: 'anonymous', handler: apiHandler(requestsForInformation) });
