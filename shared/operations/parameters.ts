/**
 * Path and query parameters of the contract's operations as zod schemas: each with the one message
 * a client has always received for it (docs/errors.md), so a bad parameter is a 400 naming it.
 */
import { z } from 'zod';
import { ApiError, ErrorCode } from '../contract/errors';
import { readListQuery, singleQueryValue, type ListQuery } from '../contract/paging';
import { ACCOUNT_NAME, GUID, TELEPHONE_NUMBER } from '../contract/resources';
import { anyQuery, reads } from './operation';

const ACCOUNT_NAME_MESSAGE = 'accountName must be 1-100 letters, digits, "_" or "-".';
export const accountNameParam = z
  .string({ error: ACCOUNT_NAME_MESSAGE })
  .refine((v) => v.length >= 1 && v.length <= 100 && ACCOUNT_NAME.test(v), { message: ACCOUNT_NAME_MESSAGE });

const TELEPHONE_NUMBER_MESSAGE = 'telephoneNumber must be an E.164 number: "+", a non-zero digit, then digits (at most 15 digits).';
export const telephoneNumberParam = z
  .string({ error: TELEPHONE_NUMBER_MESSAGE })
  .refine((v) => v.length >= 3 && v.length <= 16 && TELEPHONE_NUMBER.test(v), { message: TELEPHONE_NUMBER_MESSAGE });

/** Tenant ids compare case-insensitively; the store keys them lower-case. */
export const tenantIdParam = z
  .string({ error: 'tenantId must be a GUID.' })
  .refine((v) => v.length <= 36 && GUID.test(v), { message: 'tenantId must be a GUID.' })
  .transform((v) => v.toLowerCase());

export const civicAddressIdParam = z.string({ error: 'civicAddressId must not be empty.' }).min(1, { message: 'civicAddressId must not be empty.' });

export const accountPath = z.object({ accountName: accountNameParam });
export const numberPath = z.object({ accountName: accountNameParam, telephoneNumber: telephoneNumberParam });

/** top, skip, maxpagesize, filter, countRecords (Azure.Core paging), with the URL for nextLink. */
export const listQuery = reads(
  anyQuery.transform((url): { url: URL; list: ListQuery } => ({ url, list: readListQuery(url) })),
  ['top', 'skip', 'maxpagesize', 'filter', 'countRecords'].map((name) => ({ name, in: 'query' as const })),
);

/** A true/false query flag given at most once (case-insensitive), else `fallback`. */
export function booleanQuery(name: string, fallback: boolean) {
  const schema = anyQuery.transform((url) => {
    const raw = singleQueryValue(url, name);
    if (raw === null) return fallback;
    if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    throw new ApiError(400, ErrorCode.InvalidQueryParameter, `${name} must be true or false.`, { target: name });
  });
  return reads(schema, [{ name, in: 'query' }]);
}
