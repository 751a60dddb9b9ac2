/**
 * Accounts_ListNumbers, Accounts_GetNumber, Accounts_CreateOrReplaceNumber, Accounts_DeleteNumber
 * and the gateway-wide ListNumbers, on the contract's routes.
 */
import { app } from '@azure/functions';
import { evaluatePreconditions, readPreconditions } from '../shared/contract/conditional';
import { ErrorCode, notFound } from '../shared/contract/errors';
import { emptyResponse, jsonResponse, type ApiRequest } from '../shared/contract/http';
import { readListQuery } from '../shared/contract/paging';
import { type Operation, operation as op } from '../shared/contract/pipeline';
import { methodNotAllowed } from '../shared/contract/routing';
import { readAccount } from '../shared/store/accountStore';
import { combinedDetailsError } from '../shared/provisioning/errors';
import { listAccountNumbers, listAllNumbers } from '../shared/provisioning/lists';
import { deleteNumbersOfAccount, getNumber, parseNumberBody, putNumber, representNumber } from '../shared/provisioning/numbers';
import { apiHandler } from './httpAdapter';
import { accountNameParam, jsonBody, telephoneNumberParam } from './params';
import { listResponse, resourceHeaders } from './responses';


function numberOperation(req: ApiRequest): Operation {
  switch (req.method) {
    case 'GET':
      return op('Accounts_GetNumber', false, async () => {
        const accountName = accountNameParam(req.params.accountName);
        const telephoneNumber = telephoneNumberParam(req.params.telephoneNumber);
        const preconditions = readPreconditions(req.headers);
        const record = await getNumber(accountName, telephoneNumber);
        if (record === undefined) {
          if ((await readAccount(accountName)) === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} does not exist.`, 'accountName');
          throw notFound(ErrorCode.NumberNotFound, `Number ${telephoneNumber} does not exist in account ${accountName}.`, 'telephoneNumber');
        }
        const representation = representNumber(record);
        if (evaluatePreconditions(preconditions, representation, true) === 'notModified') return emptyResponse(304, resourceHeaders(representation));
        return jsonResponse(200, representation.body, resourceHeaders(representation));
      });
    case 'PUT':
      return op('Accounts_CreateOrReplaceNumber', true, async () => {
        const accountName = accountNameParam(req.params.accountName);
        const telephoneNumber = telephoneNumberParam(req.params.telephoneNumber);
        const preconditions = readPreconditions(req.headers);
        const { doc, details } = parseNumberBody(await jsonBody(req), '');
        if (doc !== undefined && doc.telephoneNumber !== telephoneNumber) {
          details.push({ code: ErrorCode.InvalidRequestContent, message: `telephoneNumber '${doc.telephoneNumber}' does not match '${telephoneNumber}' in the path.`, target: 'telephoneNumber' });
        }
        if (doc !== undefined && doc.accountName !== accountName) {
          details.push({ code: ErrorCode.InvalidRequestContent, message: `accountName '${doc.accountName}' does not match '${accountName}' in the path.`, target: 'accountName' });
        }
        if (doc === undefined || details.length > 0) throw combinedDetailsError(details);
        const { created, representation } = await putNumber(accountName, doc, preconditions);
        return jsonResponse(created ? 201 : 200, representation.body, resourceHeaders(representation));
      });
    case 'DELETE':
      return op('Accounts_DeleteNumber', true, async () => {
        const accountName = accountNameParam(req.params.accountName);
        const telephoneNumber = telephoneNumberParam(req.params.telephoneNumber);
        await deleteNumbersOfAccount(accountName, [telephoneNumber], readPreconditions(req.headers));
        return emptyResponse(204);
      });
    default:
      throw methodNotAllowed(req.method, ['GET', 'PUT', 'DELETE']);
  }
}

export function resolveAccountNumbersRoute(req: ApiRequest): Operation {
  if (req.params.telephoneNumber !== undefined) return numberOperation(req);
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
  return op('Accounts_ListNumbers', false, async () =>
    listResponse(await listAccountNumbers(accountNameParam(req.params.accountName), req.url, readListQuery(req.url))),
  );
}

export function resolveNumbersRoute(req: ApiRequest): Operation {
  if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
  return op('ListNumbers', false, async () => listResponse(await listAllNumbers(req.url, readListQuery(req.url))));
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];
app.http('accountNumbers', { route: 'accounts/{accountName}/numbers', methods: [...methods] as never, authLevel: 'anonymous', handler: apiHandler(resolveAccountNumbersRoute) });
app.http('accountNumber', {
  route: 'accounts/{accountName}/numbers/{telephoneNumber}',
  methods: [...methods] as never,
  authLevel: 'anonymous',
  handler: apiHandler(resolveAccountNumbersRoute),
});
app.http('numbers', { route: 'numbers', methods: [...methods] as never, authLevel: 'anonymous', handler: apiHandler(resolveNumbersRoute) });
