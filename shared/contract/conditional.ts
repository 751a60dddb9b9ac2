/**
 * Conditional requests (RFC 9110 §13, Azure.Core ConditionalRequestHeaders): ETags are a hash of the
 * representation, so a retried identical update keeps the same ETag and does not conflict.
 */
import { createHash } from 'node:crypto';
import { ApiError, ErrorCode, preconditionFailed } from './errors';

export function etagOf(representation: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('base64url');
  return `"${digest.slice(0, 27)}"`;
}

export interface Preconditions {
  readonly ifMatch?: readonly string[] | '*';
  readonly ifNoneMatch?: readonly string[] | '*';
  readonly ifModifiedSince?: Date;
  readonly ifUnmodifiedSince?: Date;
}

export interface ResourceState {
  readonly etag: string;
  readonly lastModified: Date;
}

const MAX_HEADER = 1024;

function etagList(name: string, value: string | null): readonly string[] | '*' | undefined {
  if (value === null) return undefined;
  if (value.length > MAX_HEADER) throw new ApiError(400, ErrorCode.InvalidHeader, `${name} is too long.`, { target: name });
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const tags = trimmed.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length === 0) throw new ApiError(400, ErrorCode.InvalidHeader, `${name} must be "*" or a list of ETags.`, { target: name });
  // Strong comparison: weak validators never match (RFC 9110 §13.1.1).
  return tags;
}

/** Accepts RFC 3339 (what the swagger's date-time format says) and IMF-fixdate (what HTTP clients send). */
export function parseHttpDate(name: string, value: string | null): Date | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const imf = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
  const date = rfc3339.test(text) || imf.test(text) ? new Date(text) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new ApiError(400, ErrorCode.InvalidHeader, `${name} must be an HTTP date or an RFC 3339 date-time.`, { target: name });
  }
  return date;
}

export function readPreconditions(headers: { get(name: string): string | null }): Preconditions {
  const ifMatch = etagList('If-Match', headers.get('if-match'));
  const ifNoneMatch = etagList('If-None-Match', headers.get('if-none-match'));
  const ifModifiedSince = parseHttpDate('If-Modified-Since', headers.get('if-modified-since'));
  const ifUnmodifiedSince = parseHttpDate('If-Unmodified-Since', headers.get('if-unmodified-since'));
  return {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    ...(ifModifiedSince !== undefined ? { ifModifiedSince } : {}),
    ...(ifUnmodifiedSince !== undefined ? { ifUnmodifiedSince } : {}),
  };
}

export function hasPreconditions(p: Preconditions): boolean {
  return p.ifMatch !== undefined || p.ifNoneMatch !== undefined || p.ifModifiedSince !== undefined || p.ifUnmodifiedSince !== undefined;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * RFC 9110 §13.2.2 evaluation order. `current` undefined = the resource does not exist.
 * Returns 'notModified' for a safe request that should answer 304; throws 412 on failure.
 */
export function evaluatePreconditions(p: Preconditions, current: ResourceState | undefined, safe: boolean): 'proceed' | 'notModified' {
  if (p.ifMatch !== undefined) {
    const ok = current !== undefined && (p.ifMatch === '*' || p.ifMatch.includes(current.etag));
    if (!ok) throw preconditionFailed('If-Match does not match the current ETag of the resource.');
  } else if (p.ifUnmodifiedSince !== undefined && current !== undefined) {
    if (seconds(current.lastModified) > seconds(p.ifUnmodifiedSince)) throw preconditionFailed('The resource was modified after If-Unmodified-Since.');
  }
  if (p.ifNoneMatch !== undefined) {
    const matches = current !== undefined && (p.ifNoneMatch === '*' || p.ifNoneMatch.includes(current.etag));
    if (matches) {
      if (safe) return 'notModified';
      throw preconditionFailed(p.ifNoneMatch === '*' ? 'The resource already exists (If-None-Match: *).' : 'If-None-Match matches the current ETag of the resource.');
    }
  } else if (safe && p.ifModifiedSince !== undefined && current !== undefined) {
    if (seconds(current.lastModified) <= seconds(p.ifModifiedSince)) return 'notModified';
  }
  return 'proceed';
}
