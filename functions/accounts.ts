/**
 * Accounts_List, Accounts_Get, Accounts_CreateOrReplace, Accounts_Delete and the account actions
 * (:createOrUpdateNumbers, :deleteNumbers, the Teams queries) on the contract's routes.
 */
import { app } from '@azure/functions';
import { readPreconditions } from '../shared/contract/conditional';
import { ErrorCode, type ErrorDetail } from '../shared/contract/errors';
import { emptyResponse, jsonResponse, type ApiRequest } from '../shared/contract/http';
import { readListQuery } from '../shared/contract/paging';
import { type Operation, operation as op } from '../shared/contract/pipeline';
import { batchNumbersDeleteSchema, batchNumbersSchema, numberIdentifierSchema } from '../shared/contract/resources';
import { methodNotAllowed, splitAction, unknownRoute } from '../shared/contract/routing';
import { teamsAccountAction } from './teams';
import { parseWith, type Parsed } from '../shared/contract/validate';
import { deleteAccount, getAccount, parseAccountBody, putAccount } from '../shared/provisioning/accounts';
import { combinedDetailsError } from '../shared/provisioning/errors';
import { listAccounts } from '../shared/provisioning/lists';
import { deleteNumbersOfAccount, parseNumberBody, representNumber, upsertNumberBatch, type BatchItem } from '../shared/provisioning/numbers';
import { apiHandler } from './httpAdapter';
import { accountNameParam, booleanQuery, jsonBody } from './params';
import { listResponse, resourceHeaders } from './responses';


function parseOrThrow<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw combinedDetailsError(parsed.details);
  return parsed.value;
}

const listOperation = op('Accounts_List', false, async (req) => listResponse(await listAccounts(req.url, readListQuery(req.url))));

function accountOperation(req: ApiRequest, name: string): Operation {
  switch (req.method) {
    case 'GET':
      return op('Accounts_Get', false, async () => {
        const { notModified, representation } = await getAccount(accountNameParam(name), readPreconditions(req.headers));
        if (notModified) return emptyResponse(304, resourceHeaders(representation));
        return jsonResponse(200, representation.body, resourceHeaders(representation));
      });
    case 'PUT':
      return op('Accounts_CreateOrReplace', true, async () => {
        const accountName = accountNameParam(name);
        const preconditions = readPreconditions(req.headers);
        const doc = parseAccountBody(accountName, await jsonBody(req));
        const { created, representation } = await putAccount(accountName, doc, preconditions);
        return jsonResponse(created ? 201 : 200, representation.body, resourceHeaders(representation));
      });
    case 'DELETE':
      return op('Accounts_Delete', true, async () => {
        const accountName = accountNameParam(name);
        const deleteNumbers = booleanQuery(req, 'deleteNumbers', false);
        await deleteAccount(accountName, deleteNumbers, readPreconditions(req.headers));
        return emptyResponse(204);
      });
    default:
      throw methodNotAllowed(req.method, ['GET', 'PUT', 'DELETE']);
  }
}

/** Every item's schema problems, plus the items that parsed (with their index for targets). */
function batchItems(body: unknown): { items: BatchItem[]; details: ErrorDetail[] } {
  const envelope = parseOrThrow(parseWith(batchNumbersSchema, body));
  const items: BatchItem[] = [];
  const details = envelope.numbers.flatMap((item, index) => {
    const parsed = parseNumberBody(item, `numbers[${index}]`);
    if (parsed.doc !== undefined) items.push({ index, doc: parsed.doc });
    return parsed.details;
  });
  return { items, details };
}

/** Items must belong to the path's account and appear once (D8). */
function batchKeyProblems(accountName: string, numbers: readonly { index: number; telephoneNumber: string; accountName?: string }[]): ErrorDetail[] {
  const seen = new Map<string, number>();
  return numbers.flatMap(({ index: i, telephoneNumber, accountName: itemAccount }) => {
    const problems: ErrorDetail[] = [];
    if (itemAccount !== undefined && itemAccount !== accountName) {
      problems.push({ code: ErrorCode.InvalidRequestContent, message: `numbers[${i}].accountName '${itemAccount}' does not match the account '${accountName}' in the path.`, target: `numbers[${i}].accountName` });
    }
    const first = seen.get(telephoneNumber);
    if (first !== undefined) {
      problems.push({ code: ErrorCode.InvalidRequestContent, message: `${telephoneNumber} appears more than once in the batch (first at numbers[${first}]).`, target: `numbers[${i}].telephoneNumber` });
    } else seen.set(telephoneNumber, i);
    return problems;
  });
}

function actionOperation(req: ApiRequest, name: string, action: string): Operation {
  if (req.method !== 'POST') throw methodNotAllowed(req.method, ['POST']);
  switch (action) {
    case 'createOrUpdateNumbers':
      return op('Accounts_CreateOrUpdateNumbers', true, async () => {
        const accountName = accountNameParam(name);
        const { items, details } = batchItems(await jsonBody(req));
        const keyProblems = batchKeyProblems(accountName, items.map(({ index, doc }) => ({ index, telephoneNumber: doc.telephoneNumber, accountName: doc.accountName })));
        // Schema, key and account-rule problems are reported together: one 400 listing every bad item.
        const records = await upsertNumberBatch(accountName, items, [...details, ...keyProblems]);
        return jsonResponse(200, { numbers: records.map((r) => representNumber(r).body) });
      });
    case 'deleteNumbers':
      return op('Accounts_DeleteNumbers', true, async () => {
        const accountName = accountNameParam(name);
        const envelope = parseOrThrow(parseWith(batchNumbersDeleteSchema, await jsonBody(req)));
        const parsed = envelope.numbers.map((item, i) => parseWith(numberIdentifierSchema, item, `numbers[${i}]`));
        const identifiers = parsed.flatMap((p, index) => (p.ok ? [{ index, telephoneNumber: p.value.telephoneNumber }] : []));
        const details = [...parsed.flatMap((p) => (p.ok ? [] : p.details)), ...batchKeyProblems(accountName, identifiers)];
        if (details.length > 0) throw combinedDetailsError(details);
        await deleteNumbersOfAccount(accountName, identifiers.map((n) => n.telephoneNumber));
        return emptyResponse(204);
      });
    case 'getTeamsCapabilityPlans':
    case 'getTeamsAvailableCapabilities':
      // Pass-throughs to Operator Connect for the account's tenant (functions/teams.ts).
      return teamsAccountAction(req, name, action);
    default:
      throw unknownRoute(req.url.pathname);
  }
}

export function resolveAccountRoute(req: ApiRequest): Operation {
  const segment = req.params.accountName;
  if (segment === undefined) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    return listOperation;
  }
  const { name, action } = splitAction(segment);
  return action === undefined ? accountOperation(req, name) : actionOperation(req, name, action);
}

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;
app.http('accounts', { route: 'accounts', methods: [...methods], authLevel: 'anonymous', handler: apiHandler(resolveAccountRoute) });
app.http('account', { route: 'accounts/{accountName}', methods: [...methods], authLevel: 'anonymous', handler: apiHandler(resolveAccountRoute) });

