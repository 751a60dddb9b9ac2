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

/** One entity-tag of a list (RFC 9110 §8.8.3): the opaque tag with its quotes, and whether it was `W/`. */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

export interface Preconditions {
  readonly ifMatch?: readonly EntityTag[] | '*';
  readonly ifNoneMatch?: readonly EntityTag[] | '*';
  readonly ifModifiedSince?: Date;
  readonly ifUnmodifiedSince?: Date;
}

export interface ResourceState {
  readonly etag: string;
  readonly lastModified: Date;
}

const MAX_HEADER = 1024;

/** etagc = %x21 / %x23-7E / obs-text (%x80-FF): visible characters except DQUOTE. */
const ETAGC = /^[\x21\x23-\x7e\x80-\xff]$/;
const isOws = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * `"*" / #entity-tag` (RFC 9110 §13.1.1-2). A list may hold empty elements (§5.6.1); an opaque tag
 * may contain commas, so the list is scanned, not split. Anything else → 400 InvalidHeader.
 */
export function parseEntityTags(name: string, value: string | null): readonly EntityTag[] | '*' | undefined {
  if (value === null) return undefined;
  if (value.length > MAX_HEADER) throw new ApiError(400, ErrorCode.InvalidHeader, `${name} is too long.`, { target: name });
  const invalid = () => new ApiError(400, ErrorCode.InvalidHeader, `${name} must be "*" or a comma-separated list of entity tags such as "abc" or W/"abc".`, { target: name });
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  let i = 0;
  for (;;) {
    while (isOws(trimmed[i])) i++;
    if (i >= trimmed.length) break;
    if (trimmed[i] === ',') {
      i++;
      continue;
    }
    const weak = trimmed.startsWith('W/', i);
    if (weak) i += 2;
    if (trimmed[i] !== '"') throw invalid();
    const start = i;
    i++;
    while (i < trimmed.length && trimmed[i] !== '"') {
      if (!ETAGC.test(trimmed[i] as string)) throw invalid();
      i++;
    }
    if (trimmed[i] !== '"') throw invalid();
    i++;
    tags.push({ weak, opaque: trimmed.slice(start, i) });
    while (isOws(trimmed[i])) i++;
    if (i < trimmed.length && trimmed[i] !== ',') throw invalid();
  }
  if (tags.length === 0) throw invalid();
  return tags;
}

/** If-Match uses the strong comparison: a weak tag never matches (RFC 9110 §13.1.1). */
const strongMatch = (tags: readonly EntityTag[], etag: string) => tags.some((t) => !t.weak && t.opaque === etag);
/** If-None-Match uses the weak comparison: W/"x" matches "x" (RFC 9110 §13.1.2). */
const weakMatch = (tags: readonly EntityTag[], etag: string) => tags.some((t) => t.opaque === etag);

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
  const ifMatch = parseEntityTags('If-Match', headers.get('if-match'));
  const ifNoneMatch = parseEntityTags('If-None-Match', headers.get('if-none-match'));
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
    const ok = current !== undefined && (p.ifMatch === '*' || strongMatch(p.ifMatch, current.etag));
    if (!ok) throw preconditionFailed('If-Match does not match the current ETag of the resource.');
  } else if (p.ifUnmodifiedSince !== undefined && current !== undefined) {
    if (seconds(current.lastModified) > seconds(p.ifUnmodifiedSince)) throw preconditionFailed('The resource was modified after If-Unmodified-Since.');
  }
  if (p.ifNoneMatch !== undefined) {
    const matches = current !== undefined && (p.ifNoneMatch === '*' || weakMatch(p.ifNoneMatch, current.etag));
    if (matches) {
      if (safe) return 'notModified';
      throw preconditionFailed(p.ifNoneMatch === '*' ? 'The resource already exists (If-None-Match: *).' : 'If-None-Match matches the current ETag of the resource.');
    }
  } else if (safe && p.ifModifiedSince !== undefined && current !== undefined) {
    if (seconds(current.lastModified) <= seconds(p.ifModifiedSince)) return 'notModified';
  }
  return 'proceed';
}
