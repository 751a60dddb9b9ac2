/**
 * Request body intake: content type, size, nesting depth, JSON syntax. Everything here answers 400
 * with a stable code (the rule for bad input), never a 500.
 */
import type { ReadableStream } from 'node:stream/web';
import { ApiError, ErrorCode } from './errors';

export const MAX_JSON_DEPTH = 32;

export interface BodyOptions {
  /** Accepted media types, e.g. ['application/json']. */
  readonly contentTypes: readonly string[];
  readonly maxBytes: number;
  /** When false an absent/empty body yields undefined instead of an error. */
  readonly required: boolean;
}

function mediaType(header: string | null): string | undefined {
  if (header === null) return undefined;
  return header.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Depth of [] / {} nesting outside string literals; stops early once past the limit. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function tooLarge(size: string, maxBytes: number): ApiError {
  return new ApiError(400, ErrorCode.RequestBodyTooLarge, `The request body is ${size}; the limit is ${maxBytes} bytes.`, { target: 'body' });
}

/** A body stream failure that means "over a limit" (the local host's cap, docs/api.md) rather than a broken upload. */
function isTooLargeFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === ErrorCode.RequestBodyTooLarge;
}

/**
 * The one bounded body reader: a declared `Content-Length` over `maxBytes` is refused before a byte is
 * read; an undeclared (chunked) body is counted while it streams and abandoned as soon as it passes
 * the limit, so at most `maxBytes` plus one chunk is ever held. Callers read the body only after the
 * request is authorized (shared/contract/pipeline.ts), so an anonymous upload costs no memory.
 */
export async function readBoundedBody(stream: ReadableStream | null, contentLength: string | null, maxBytes: number): Promise<Buffer> {
  if (contentLength !== null) {
    const declared = /^\d{1,16}$/.test(contentLength.trim()) ? Number(contentLength.trim()) : NaN;
    if (Number.isNaN(declared)) throw new ApiError(400, ErrorCode.InvalidHeader, 'Content-Length must be a number of bytes.', { target: 'Content-Length' });
    if (declared > maxBytes) throw tooLarge(`${declared} bytes`, maxBytes);
  }
  if (stream === null) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(`over ${maxBytes} bytes`, maxBytes);
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (isTooLargeFailure(err)) throw new ApiError(400, ErrorCode.RequestBodyTooLarge, err instanceof Error ? err.message : 'The request body is too large.', { target: 'body' });
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'The request body could not be read completely.', { target: 'body' });
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size);
}

export function readJsonBody(body: Buffer, contentType: string | null, options: BodyOptions): unknown {
  if (body.length > options.maxBytes) {
    throw new ApiError(400, ErrorCode.RequestBodyTooLarge, `The request body is ${body.length} bytes; the limit is ${options.maxBytes} bytes.`);
  }
  const isEmpty = body.length === 0 || body.toString('utf8').trim() === '';
  if (isEmpty) {
    if (!options.required) return undefined;
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'A JSON request body is required.', { target: 'body' });
  }
  const type = mediaType(contentType);
  if (type === undefined || !options.contentTypes.includes(type)) {
    throw new ApiError(
      400,
      ErrorCode.UnsupportedMediaType,
      `Content-Type '${(contentType ?? '').slice(0, 100)}' is not supported; use ${options.contentTypes.join(' or ')}.`,
      { target: 'Content-Type' },
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ApiError(400, ErrorCode.InvalidRequestContent, 'The request body is not valid UTF-8.', { target: 'body' });
  }
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, ErrorCode.InvalidRequestContent, `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`, { target: 'body' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message.slice(0, 200) : 'syntax error';
    throw new ApiError(400, ErrorCode.InvalidRequestContent, `The request body is not valid JSON: ${reason}`, { target: 'body' });
  }
}
