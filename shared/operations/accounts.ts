/**
 * The account operations: Accounts_List, Accounts_Get, Accounts_CreateOrReplace, Accounts_Delete and
 * the number batches on the account (:createOrUpdateNumbers, :deleteNumbers).
 */
import { z } from 'zod';
import { config } from '../config';
import { ErrorCode, type ErrorDetail } from '../contract/errors';
import { emptyResponse, jsonResponse } from '../contract/http';
import { accountInputSchema, batchNumbersDeleteSchema, batchNumbersSchema, numberIdentifierSchema, numberInputSchema } from '../contract/resources';
import { parseWith } from '../contract/validate';
import { normaliseAccount, validateAccount } from '../domain/accounts';
import type { AccountDoc } from '../domain/types';
import { deleteAccount, getAccount, putAccount } from '../provisioning/accounts';
import { combinedDetailsError } from '../provisioning/errors';
import { listAccounts } from '../provisioning/lists';
import { deleteNumbersOfAccount, upsertNumberBatch, type BatchItem } from '../provisioning/numbers';
import { representNumber } from '../provisioning/representations';
import { numberDocSchema } from './numbers';
import { anyHeaders, anyQuery, conditionalHeaders, defineOperation, noPath } from './operation';
import { accountPath, booleanQuery, listQuery } from './parameters';
import { accountResourceSchema, batchNumbersResultSchema, pagedAccountsSchema } from './representationSchemas';
import { JSON_BODY } from './requestBody';
import { listResponse, resourceHeaders } from './responses';

/** The account body, normalised (defaults filled, names trimmed as the domain defines). */
const accountDocSchema = accountInputSchema.transform((input) => normaliseAccount(input));

/** The body must name the path's account; the domain's account rules are reported with it (D8). */
function accountAgreement(accountName: string, doc: AccountDoc): ErrorDetail[] {
  const details = validateAccount(doc, config().drBaseDomain);
  if (doc.name !== accountName) {
    details.unshift({ code: ErrorCode.InvalidRequestContent, message: `name '${doc.name}' does not match the account name '${accountName}' in the path.`, target: 'name' });
  }
  return details;
}

/** An account document from a body outside a request (benchmarks seed through it), with the same rules. */
export function accountDocFrom(accountName: string, body: unknown): AccountDoc {
  const parsed = parseWith(accountDocSchema, body);
  if (!parsed.ok) throw combinedDetailsError(parsed.details);
  const details = accountAgreement(accountName, parsed.value);
  if (details.length > 0) throw combinedDetailsError(details);
  return parsed.value;
}

export const listAccountsOperation = defineOperation({
  operationId: 'Accounts_List',
  method: 'GET',
  route: 'accounts',
  repeatable: false,
  success: [200],
  returns: pagedAccountsSchema,
  input: { path: noPath, headers: anyHeaders, query: listQuery },
  command: ({ query }) => query,
  run: async ({ url, list }) => listResponse(await listAccounts(url, list)),
});

export const getAccountOperation = defineOperation({
  operationId: 'Accounts_Get',
  method: 'GET',
  route: 'accounts/{accountName}',
  repeatable: false,
  success: [200, 304],
  returns: accountResourceSchema,
  input: { path: accountPath, headers: conditionalHeaders, query: anyQuery },
  command: ({ path, headers }) => ({ accountName: path.accountName, preconditions: headers }),
  run: async ({ accountName, preconditions }) => {
    const { notModified, representation } = await getAccount(accountName, preconditions);
    if (notModified) return emptyResponse(304, resourceHeaders(representation));
    return jsonResponse(200, representation.body, resourceHeaders(representation));
  },
});

export const putAccountOperation = defineOperation({
  operationId: 'Accounts_CreateOrReplace',
  method: 'PUT',
  route: 'accounts/{accountName}',
  repeatable: true,
  success: [200, 201],
  returns: accountResourceSchema,
  input: {
    path: accountPath,
    headers: conditionalHeaders,
    query: anyQuery,
    body: { schema: accountDocSchema, intake: JSON_BODY },
    agreement: ({ path, body }) => accountAgreement(path.accountName, body),
  },
  command: ({ path, headers, body }) => ({ accountName: path.accountName, doc: body, preconditions: headers }),
  run: async ({ accountName, doc, preconditions }) => {
    const { created, representation } = await putAccount(accountName, doc, preconditions);
    return jsonResponse(created ? 201 : 200, representation.body, resourceHeaders(representation));
  },
});

export const deleteAccountOperation = defineOperation({
  operationId: 'Accounts_Delete',
  method: 'DELETE',
  route: 'accounts/{accountName}',
  repeatable: true,
  success: [204],
  input: { path: accountPath, headers: conditionalHeaders, query: booleanQuery('deleteNumbers', false) },
  command: ({ path, headers, query }) => ({ accountName: path.accountName, deleteNumbers: query, preconditions: headers }),
  run: async ({ accountName, deleteNumbers, preconditions }) => {
    await deleteAccount(accountName, deleteNumbers, preconditions);
    return emptyResponse(204);
  },
});

/** Items must belong to the path's account and appear once (D8). */
function batchKeyProblems(accountName: string, numbers: readonly { index: number; telephoneNumber: string; accountName?: string | undefined }[]): ErrorDetail[] {
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

/** Each item parsed on its own, so one 400 lists every bad item (with its index as the target). */
function eachItem<T>(schema: z.ZodType<T>) {
  return (numbers: readonly unknown[]) => {
    const items: { index: number; value: T }[] = [];
    const itemProblems = numbers.flatMap((item, index) => {
      const parsed = parseWith(schema, item, `numbers[${index}]`);
      if (parsed.ok) {
        items.push({ index, value: parsed.value });
        return [];
      }
      return parsed.details;
    });
    return { items, itemProblems };
  };
}

const numberBatchSchema = batchNumbersSchema.transform(({ numbers }) => eachItem(numberDocSchema)(numbers));
const numberDeleteBatchSchema = batchNumbersDeleteSchema.transform(({ numbers }) => eachItem(numberIdentifierSchema)(numbers));

export const createOrUpdateNumbersOperation = defineOperation({
  operationId: 'Accounts_CreateOrUpdateNumbers',
  method: 'POST',
  route: 'accounts/{accountName}:createOrUpdateNumbers',
  repeatable: true,
  success: [200],
  returns: batchNumbersResultSchema,
  input: {
    path: accountPath,
    headers: anyHeaders,
    query: anyQuery,
    body: { schema: numberBatchSchema, intake: JSON_BODY, described: z.object({ numbers: z.array(numberInputSchema).max(100) }) },
    agreement: ({ path, body }) => [
      ...body.itemProblems,
      ...batchKeyProblems(path.accountName, body.items.map(({ index, value }) => ({ index, telephoneNumber: value.telephoneNumber, accountName: value.accountName }))),
    ],
    // Schema, key and account-rule problems are reported together: one 400 listing every bad item.
    agreementJoinsRun: true,
  },
  command: ({ path, body }, problems) => ({
    accountName: path.accountName,
    items: body.items.map(({ index, value }): BatchItem => ({ index, doc: value })),
    problems,
  }),
  run: async ({ accountName, items, problems }) => {
    const records = await upsertNumberBatch(accountName, items, problems);
    return jsonResponse(200, { numbers: records.map((r) => representNumber(r).body) });
  },
});

export const deleteNumbersOperation = defineOperation({
  operationId: 'Accounts_DeleteNumbers',
  method: 'POST',
  route: 'accounts/{accountName}:deleteNumbers',
  repeatable: true,
  success: [204],
  input: {
    path: accountPath,
    headers: anyHeaders,
    query: anyQuery,
    body: { schema: numberDeleteBatchSchema, intake: JSON_BODY, described: z.object({ numbers: z.array(numberIdentifierSchema).max(100) }) },
    agreement: ({ path, body }) => [
      ...body.itemProblems,
      ...batchKeyProblems(path.accountName, body.items.map(({ index, value }) => ({ index, telephoneNumber: value.telephoneNumber }))),
    ],
  },
  command: ({ path, body }) => ({ accountName: path.accountName, telephoneNumbers: body.items.map(({ value }) => value.telephoneNumber) }),
  run: async ({ accountName, telephoneNumbers }) => {
    await deleteNumbersOfAccount(accountName, telephoneNumbers);
    return emptyResponse(204);
  },
});
