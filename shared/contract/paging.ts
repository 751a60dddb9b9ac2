/**
 * Azure.Core paging (D13): top caps the total, skip offsets the first page, maxpagesize caps a page
 * (default 100, at most 1000), nextLink is absolute and carries an opaque key-position token.
 */
import { ApiError, ErrorCode, type ErrorDetail } from './errors';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
const INT32_MAX = 2147483647;

export interface ListQuery {
  readonly top?: number;
  readonly skip: number;
  readonly maxPageSize: number;
  readonly filter?: string;
  readonly countRecords: boolean;
  readonly after?: KeyPosition;
}

/** Where the previous page ended, in the table's key order. */
export interface KeyPosition {
  readonly pk: string;
  readonly rk: string;
}

/**
 * The value of a single-valued query parameter, null when absent. Sent twice it is ambiguous (which
 * one wins differs between proxies and frameworks), so it is refused rather than guessed, as a
 * repeated api-version is.
 */
export function singleQueryValue(url: URL, name: string): string | null {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) {
    throw new ApiError(400, ErrorCode.InvalidQueryParameter, `The query parameter ${name} must be given at most once; it was given ${values.length} times.`, { target: name });
  }
  return values[0] ?? null;
}

function intParam(url: URL, name: string, min: number, details: ErrorDetail[]): number | undefined {
  const raw = singleQueryValue(url, name);
  if (raw === null) return undefined;
  const value = /^-?\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > INT32_MAX) {
    details.push({ code: ErrorCode.InvalidQueryParameter, message: `${name} must be an integer from ${min} to ${INT32_MAX}.`, target: name });
    return undefined;
  }
  return value;
}

export function encodeSkipToken(position: KeyPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, pk: position.pk, rk: position.rk }), 'utf8').toString('base64url');
}

function decodeSkipToken(token: string): KeyPosition {
  try {
    if (token.length > 2048) throw new Error('too long');
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; pk?: unknown; rk?: unknown };
    if (value.v === 1 && typeof value.pk === 'string' && typeof value.rk === 'string') return { pk: value.pk, rk: value.rk };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, ErrorCode.InvalidSkipToken, 'skipToken is not a continuation token issued by this service.', { target: 'skipToken' });
}

export function readListQuery(url: URL): ListQuery {
  const details: ErrorDetail[] = [];
  const top = intParam(url, 'top', 0, details);
  const skip = intParam(url, 'skip', 0, details) ?? 0;
  const pageSize = intParam(url, 'maxpagesize', 1, details);
  const countRaw = singleQueryValue(url, 'countRecords');
  let countRecords = false;
  if (countRaw !== null) {
    if (/^(true|false)$/i.test(countRaw)) countRecords = countRaw.toLowerCase() === 'true';
    else details.push({ code: ErrorCode.InvalidQueryParameter, message: 'countRecords must be true or false.', target: 'countRecords' });
  }
  if (details.length > 0) {
    throw new ApiError(400, ErrorCode.InvalidQueryParameter, 'One or more query parameters are invalid.', { details });
  }
  const filter = singleQueryValue(url, 'filter') ?? undefined;
  const token = singleQueryValue(url, 'skipToken');
  const after = token === null ? undefined : decodeSkipToken(token);
  return {
    ...(top !== undefined ? { top } : {}),
    skip,
    // The server may return fewer than asked: larger requests are capped rather than refused.
    maxPageSize: Math.min(pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    ...(filter !== undefined && filter !== '' ? { filter } : {}),
    countRecords,
    ...(after !== undefined ? { after } : {}),
  };
}

/** The absolute link to the next page: same filter, remaining top, no skip, a key-position token. */
export function nextLinkFor(url: URL, query: ListQuery, position: KeyPosition, returned: number): string {
  const next = new URL(url.toString());
  next.searchParams.delete('skip');
  next.searchParams.set('skipToken', encodeSkipToken(position));
  if (query.top !== undefined) next.searchParams.set('top', String(query.top - returned));
  else next.searchParams.delete('top');
  return next.toString();
}

/** How many items the current page may hold. */
export function pageLimit(query: ListQuery): number {
  return query.top === undefined ? query.maxPageSize : Math.min(query.top, query.maxPageSize);
}
