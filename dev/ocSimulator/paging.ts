/**
 * List paging: `{ value, nextLink? }` with `$top` and an opaque `$skipToken`. The token names the last
 * key served (keyset paging), so numbers added or removed between pages neither repeat nor skip others.
 */
import { SimError } from './errors';
import type { SimRequest } from './exchange';
import type { OcSimSettings } from './settings';

export interface Page<T> {
  readonly value: T[];
  readonly nextLink?: string;
}

function invalidTop(message: string): SimError {
  return new SimError(400, 'InvalidQueryParameter', message, [{ code: 'InvalidQueryParameter', message, target: '$top' }]);
}

function pageSize(request: SimRequest, settings: OcSimSettings): number {
  const top = request.query.get('$top');
  if (top === null) return settings.defaultPageSize;
  if (!/^\d+$/.test(top)) throw invalidTop('$top must be a positive integer.');
  const size = Number(top);
  if (size < 1 || size > settings.maxPageSize) throw invalidTop(`$top must be between 1 and ${settings.maxPageSize}.`);
  return size;
}

function lastKeyServed(request: SimRequest): string | undefined {
  const token = request.query.get('$skipToken');
  if (token === null) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // falls through to the error below
  }
  throw new SimError(400, 'InvalidSkipToken', 'The $skipToken is not one this service issued.', [{ code: 'InvalidSkipToken', message: 'Unreadable token.', target: '$skipToken' }]);
}

function queryString(query: URLSearchParams): string {
  const parts: string[] = [];
  query.forEach((value, name) => parts.push(`${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(value)}`));
  return parts.join('&');
}

/** One page of `items` ordered by `keyOf`; `nextLink` is absolute, built on `apiBaseUrl`. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, request: SimRequest, settings: OcSimSettings, apiBaseUrl: string): Page<T> {
  const size = pageSize(request, settings);
  const after = lastKeyServed(request);
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const remaining = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const value = remaining.slice(0, size);
  const last = value[value.length - 1];
  if (remaining.length <= size || last === undefined) return { value };
  const next = new URLSearchParams(request.query);
  next.set('$skipToken', Buffer.from(JSON.stringify({ after: keyOf(last) })).toString('base64url'));
  return { value, nextLink: `${apiBaseUrl}${request.path}?${queryString(next)}` };
}
