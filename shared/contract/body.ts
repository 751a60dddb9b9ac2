/**
 * Request body intake: content type, size, nesting depth, JSON syntax. Everything here answers 400
 * with a stable code (the rule for bad input), never a 500.
 */
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
