/**
 * The Teams operations: civic addresses, capability plans and available capabilities read through
 * from Operator Connect for the account's Teams tenant, and requests for information (docs/teams.md).
 */
import { z } from 'zod';
import { readPreconditions } from '../contract/conditional';
import { emptyResponse, jsonResponse } from '../contract/http';
import { numberIdentifiersSchema, teamsAvailableCapabilities, teamsCapabilityPlans } from '../teams/capabilities';
import { getTeamsCivicAddress, listTeamsCivicAddresses } from '../teams/civicAddresses';
import { getRfi, listRfis } from '../teams/rfiReads';
import { patchRfi, rfiPatchSchema } from '../teams/rfiPatch';
import { anyHeaders, anyQuery, CONDITIONAL_HEADERS, conditionalHeaders, defineOperation, noPath, reads } from './operation';
import { accountNameParam, accountPath, civicAddressIdParam, listQuery, tenantIdParam } from './parameters';
import { availableCapabilitiesSchema, capabilityPlansSchema, civicAddressSchema, pagedCivicAddressesSchema, pagedRfisSchema, rfiResourceSchema } from './representationSchemas';
import { JSON_BODY } from './requestBody';
import { listResponse, resourceHeaders } from './responses';

export const listCivicAddressesOperation = defineOperation({
  operationId: 'Accounts_ListTeamsCivicAddresses',
  method: 'GET',
  route: 'accounts/{accountName}/teamsCivicAddresses',
  repeatable: false,
  success: [200],
  returns: pagedCivicAddressesSchema,
  input: { path: accountPath, headers: anyHeaders, query: listQuery },
  command: ({ path, query }) => ({ accountName: path.accountName, ...query }),
  run: async ({ accountName, url, list }) => listResponse(await listTeamsCivicAddresses(accountName, url, list)),
});

/** Conditional GET of a read-through resource: ETag only (OC does not say when an address changed). */
const etagHeaders = reads(
  anyHeaders.transform((headers) => {
    const { ifMatch, ifNoneMatch } = readPreconditions(headers);
    return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
  }),
  CONDITIONAL_HEADERS, // all four are accepted; the dates are ignored (no modification time from OC)
);

export const getCivicAddressOperation = defineOperation({
  operationId: 'Accounts_GetTeamsCivicAddress',
  method: 'GET',
  route: 'accounts/{accountName}/teamsCivicAddresses/{civicAddressId}',
  repeatable: false,
  success: [200, 304],
  returns: civicAddressSchema,
  input: { path: z.object({ accountName: accountNameParam, civicAddressId: civicAddressIdParam }), headers: etagHeaders, query: anyQuery },
  command: ({ path, headers }) => ({ ...path, preconditions: headers }),
  run: async ({ accountName, civicAddressId, preconditions }) => {
    const { notModified, body, etag } = await getTeamsCivicAddress(accountName, civicAddressId, preconditions);
    if (notModified) return emptyResponse(304, { ETag: etag });
    return jsonResponse(200, body, { ETag: etag });
  },
});

export const capabilityPlansOperation = defineOperation({
  operationId: 'Accounts_GetTeamsCapabilityPlans',
  method: 'POST',
  route: 'accounts/{accountName}:getTeamsCapabilityPlans',
  repeatable: true,
  success: [200],
  returns: capabilityPlansSchema,
  // No body in the contract; an empty body, `{}` or any JSON is accepted and ignored.
  input: { path: accountPath, headers: anyHeaders, query: anyQuery, body: { schema: z.unknown(), intake: { contentTypes: ['application/json'], required: false } } },
  command: ({ path }) => path,
  run: async ({ accountName }) => jsonResponse(200, await teamsCapabilityPlans(accountName)),
});

export const availableCapabilitiesOperation = defineOperation({
  operationId: 'Accounts_GetTeamsAvailableCapabilities',
  method: 'POST',
  route: 'accounts/{accountName}:getTeamsAvailableCapabilities',
  repeatable: true,
  success: [200],
  returns: availableCapabilitiesSchema,
  input: { path: accountPath, headers: anyHeaders, query: anyQuery, body: { schema: numberIdentifiersSchema, intake: JSON_BODY } },
  // Duplicates removed, order kept.
  command: ({ path, body }) => ({ accountName: path.accountName, telephoneNumbers: [...new Set(body.numbers.map((n) => n.telephoneNumber))] }),
  run: async ({ accountName, telephoneNumbers }) => jsonResponse(200, await teamsAvailableCapabilities(accountName, telephoneNumbers)),
});

export const listRfisOperation = defineOperation({
  operationId: 'TeamsRequestsForInformation_List',
  method: 'GET',
  route: 'teamsRequestsForInformation',
  repeatable: false,
  success: [200],
  returns: pagedRfisSchema,
  input: { path: noPath, headers: anyHeaders, query: listQuery },
  command: ({ query }) => query,
  run: async ({ url, list }) => listResponse(await listRfis(url, list)),
});

const tenantPath = z.object({ tenantId: tenantIdParam });

export const getRfiOperation = defineOperation({
  operationId: 'TeamsRequestsForInformation_GetRequestForInformation',
  method: 'GET',
  route: 'teamsRequestsForInformation/{tenantId}',
  repeatable: false,
  success: [200, 304],
  returns: rfiResourceSchema,
  input: { path: tenantPath, headers: conditionalHeaders, query: anyQuery },
  command: ({ path, headers }) => ({ ...path, preconditions: headers }),
  run: async ({ tenantId, preconditions }) => {
    const { notModified, representation } = await getRfi(tenantId, preconditions);
    if (notModified) return emptyResponse(304, resourceHeaders(representation));
    return jsonResponse(200, representation.body, resourceHeaders(representation));
  },
});

export const patchRfiOperation = defineOperation({
  operationId: 'TeamsRequestsForInformation_CreateOrUpdateRequestForInformation',
  method: 'PATCH',
  route: 'teamsRequestsForInformation/{tenantId}',
  repeatable: true,
  success: [200],
  returns: rfiResourceSchema,
  input: { path: tenantPath, headers: conditionalHeaders, query: anyQuery, body: { schema: rfiPatchSchema, intake: { contentTypes: ['application/merge-patch+json'], required: true } } },
  command: ({ path, headers, body }) => ({ ...path, patch: body, preconditions: headers }),
  run: async ({ tenantId, patch, preconditions }) => {
    const representation = await patchRfi(tenantId, patch, preconditions);
    return jsonResponse(200, representation.body, resourceHeaders(representation));
  },
});
