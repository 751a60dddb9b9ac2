/**
 * The number operations: Accounts_ListNumbers, Accounts_GetNumber, Accounts_CreateOrReplaceNumber,
 * Accounts_DeleteNumber and the gateway-wide ListNumbers.
 */
import { evaluatePreconditions } from '../contract/conditional';
import { ErrorCode, notFound, type ErrorDetail } from '../contract/errors';
import { emptyResponse, jsonResponse } from '../contract/http';
import { numberInputSchema } from '../contract/resources';
import { normaliseNumber } from '../domain/numbers';
import { readAccount } from '../store/accountStore';
import { listAccountNumbers, listAllNumbers } from '../provisioning/lists';
import { deleteNumbersOfAccount, getNumber, putNumber } from '../provisioning/numbers';
import { representNumber } from '../provisioning/representations';
import { anyHeaders, anyQuery, conditionalHeaders, defineOperation, noPath } from './operation';
import { accountPath, listQuery, numberPath } from './parameters';
import { numberResourceSchema, pagedAccountNumbersSchema, pagedNumbersSchema } from './representationSchemas';
import { JSON_BODY } from './requestBody';
import { listResponse, resourceHeaders } from './responses';

/** A number body, normalised as the domain defines (also each item of a batch). */
export const numberDocSchema = numberInputSchema.transform((input) => normaliseNumber(input));

export const listAccountNumbersOperation = defineOperation({
  operationId: 'Accounts_ListNumbers',
  method: 'GET',
  route: 'accounts/{accountName}/numbers',
  repeatable: false,
  success: [200],
  returns: pagedAccountNumbersSchema,
  input: { path: accountPath, headers: anyHeaders, query: listQuery },
  command: ({ path, query }) => ({ accountName: path.accountName, ...query }),
  run: async ({ accountName, url, list }) => listResponse(await listAccountNumbers(accountName, url, list)),
});

export const getNumberOperation = defineOperation({
  operationId: 'Accounts_GetNumber',
  method: 'GET',
  route: 'accounts/{accountName}/numbers/{telephoneNumber}',
  repeatable: false,
  success: [200, 304],
  returns: numberResourceSchema,
  input: { path: numberPath, headers: conditionalHeaders, query: anyQuery },
  command: ({ path, headers }) => ({ ...path, preconditions: headers }),
  run: async ({ accountName, telephoneNumber, preconditions }) => {
    const record = await getNumber(accountName, telephoneNumber);
    if (record === undefined) {
      if ((await readAccount(accountName)) === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} does not exist.`, 'accountName');
      throw notFound(ErrorCode.NumberNotFound, `Number ${telephoneNumber} does not exist in account ${accountName}.`, 'telephoneNumber');
    }
    const representation = representNumber(record);
    if (evaluatePreconditions(preconditions, representation, true) === 'notModified') return emptyResponse(304, resourceHeaders(representation));
    return jsonResponse(200, representation.body, resourceHeaders(representation));
  },
});

/** The body's number and account must be the path's (D8). */
function numberAgreement(path: { accountName: string; telephoneNumber: string }, doc: { accountName: string; telephoneNumber: string }): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (doc.telephoneNumber !== path.telephoneNumber) {
    details.push({ code: ErrorCode.InvalidRequestContent, message: `telephoneNumber '${doc.telephoneNumber}' does not match '${path.telephoneNumber}' in the path.`, target: 'telephoneNumber' });
  }
  if (doc.accountName !== path.accountName) {
    details.push({ code: ErrorCode.InvalidRequestContent, message: `accountName '${doc.accountName}' does not match '${path.accountName}' in the path.`, target: 'accountName' });
  }
  return details;
}

export const putNumberOperation = defineOperation({
  operationId: 'Accounts_CreateOrReplaceNumber',
  method: 'PUT',
  route: 'accounts/{accountName}/numbers/{telephoneNumber}',
  repeatable: true,
  success: [200, 201],
  returns: numberResourceSchema,
  input: {
    path: numberPath,
    headers: conditionalHeaders,
    query: anyQuery,
    body: { schema: numberDocSchema, intake: JSON_BODY },
    agreement: ({ path, body }) => numberAgreement(path, body),
  },
  command: ({ path, headers, body }) => ({ accountName: path.accountName, doc: body, preconditions: headers }),
  run: async ({ accountName, doc, preconditions }) => {
    const { created, representation } = await putNumber(accountName, doc, preconditions);
    return jsonResponse(created ? 201 : 200, representation.body, resourceHeaders(representation));
  },
});

export const deleteNumberOperation = defineOperation({
  operationId: 'Accounts_DeleteNumber',
  method: 'DELETE',
  route: 'accounts/{accountName}/numbers/{telephoneNumber}',
  repeatable: true,
  success: [204],
  input: { path: numberPath, headers: conditionalHeaders, query: anyQuery },
  command: ({ path, headers }) => ({ ...path, preconditions: headers }),
  run: async ({ accountName, telephoneNumber, preconditions }) => {
    await deleteNumbersOfAccount(accountName, [telephoneNumber], preconditions);
    return emptyResponse(204);
  },
});

export const listNumbersOperation = defineOperation({
  operationId: 'ListNumbers',
  method: 'GET',
  route: 'numbers',
  repeatable: false,
  success: [200],
  returns: pagedNumbersSchema,
  input: { path: noPath, headers: anyHeaders, query: listQuery },
  command: ({ query }) => query,
  run: async ({ url, list }) => listResponse(await listAllNumbers(url, list)),
});
