/** Path and query parameters shared by the API functions, validated like body fields. */
import { ApiError, ErrorCode } from '../shared/contract/errors';
import type { ApiRequest } from '../shared/contract/http';
import { ACCOUNT_NAME, TELEPHONE_NUMBER } from '../shared/contract/resources';
import { config } from '../shared/config';
import { readJsonBody } from '../shared/contract/body';
import { singleQueryValue } from '../shared/contract/paging';

export function accountNameParam(value: string | undefined): string {
  if (value === undefined || value.length < 1 || value.length > 100 || !ACCOUNT_NAME.test(value)) {
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'accountName must be 1-100 letters, digits, "_" or "-".', { target: 'accountName' });
  }
  return value;
}

export function telephoneNumberParam(value: string | undefined): string {
  if (value === undefined || value.length < 3 || value.length > 16 || !TELEPHONE_NUMBER.test(value)) {
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'telephoneNumber must be an E.164 number: "+", a non-zero digit, then digits (at most 15 digits).', {
      target: 'telephoneNumber',
    });
  }
  return value;
}

export function booleanQuery(req: ApiRequest, name: string, fallback: boolean): boolean {
  const raw = singleQueryValue(req.url, name);
  if (raw === null) return fallback;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  throw new ApiError(400, ErrorCode.InvalidQueryParameter, `${name} must be true or false.`, { target: name });
}

/** The request's JSON body (read here, after authorization), in one of `contentTypes`. */
export async function jsonBody(req: ApiRequest, contentTypes: readonly string[] = ['application/json'], required = true): Promise<unknown> {
  return readJsonBody(await req.readBody(), req.headers.get('content-type'), { contentTypes, maxBytes: config().maxBodyBytes, required });
}
