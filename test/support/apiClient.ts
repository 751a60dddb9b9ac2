/**
 * HTTP client for integration tests. Every response is checked against the official swagger
 * (test/support/swagger.ts, strict mode): a response that breaks the contract throws, so the test fails
 * even if it never looks at that part of the response.
 *
 * - adds `api-version=2024-02-29-preview` unless `apiVersion` is given (null = omit) or the query sets it;
 * - `json` is sent as JSON with `content-type: application/json` (unless opts.headers sets one; `contentType` overrides,
 *   e.g. 'application/merge-patch+json' which the swagger declares for the PATCH operation);
 * - `body` is sent raw (with `contentType` when given);
 * - the response body is parsed as JSON when non-empty (an unparsable body stays the raw string and is
 *   reported by the validator).
 */
import { findOperation, validateResponse } from './swagger';

export const API_VERSION = '2024-02-29-preview';

export interface ApiResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
  contentType?: string;
  /** null = send no api-version; undefined = client default. */
  apiVersion?: string | null;
}

export interface ApiClientDefaults {
  apiVersion?: string | null;
  headers?: Record<string, string>;
}

export interface ApiClient {
  readonly baseUrl: string;
  request(method: string, path: string, opts?: RequestOptions): Promise<ApiResult>;
  get(path: string, opts?: RequestOptions): Promise<ApiResult>;
  put(path: string, opts?: RequestOptions): Promise<ApiResult>;
  post(path: string, opts?: RequestOptions): Promise<ApiResult>;
  patch(path: string, opts?: RequestOptions): Promise<ApiResult>;
  delete(path: string, opts?: RequestOptions): Promise<ApiResult>;
  /** GET an absolute (or base-relative) nextLink as-is (its query, including api-version, is kept verbatim). */
  followNextLink(nextLink: string, headers?: Record<string, string>): Promise<ApiResult>;
}

// ---------------------------------------------------------------------------------------------
// Validation counters (module level, per Jest worker / test file)

let validatedCount = 0;
const byOperation = new Map<string, number>();

/** Number of responses validated against the swagger by any client in this module instance. */
export function validatedResponseCount(): number {
  return validatedCount;
}

/** Validated responses per `operationId status` ('(none) status' for non-operation requests). */
export function validatedOperationCounts(): Record<string, number> {
  return Object.fromEntries(byOperation);
}

export function resetValidationCounters(): void {
  validatedCount = 0;
  byOperation.clear();
}

// ---------------------------------------------------------------------------------------------

function joinUrl(baseUrl: string, p: string): URL {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return new URL(p);
  const base = baseUrl.replace(/\/+$/, '');
  return new URL(base + (p.startsWith('/') ? p : `/${p}`));
}

/** The path of `url` relative to the base URL's path prefix (e.g. '/api'), without query. */
function operationPath(baseUrl: string, url: URL): string {
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  let p = url.pathname;
  if (prefix !== '' && (p === prefix || p.startsWith(`${prefix}/`))) p = p.slice(prefix.length);
  return p === '' ? '/' : p;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeHeaders(h: Headers): string {
  const parts: string[] = [];
  h.forEach((v, k) => parts.push(`${k}: ${v}`));
  return parts.join('; ');
}

async function send(
  baseUrl: string,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | Uint8Array<ArrayBuffer> | undefined,
): Promise<ApiResult> {
  const init: RequestInit = { method, headers, redirect: 'manual' };
  if (body !== undefined) init.body = body;
  const res = await fetch(url, init);
  const text = await res.text();
  const parsed = parseBody(text);
  const path = operationPath(baseUrl, url);
  const problems = validateResponse({ method, path, status: res.status, headers: res.headers, body: parsed }, { strict: true });
  validatedCount++;
  const op = findOperation(method, path);
  const key = `${op?.operationId ?? '(none)'} ${res.status}`;
  byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
  if (problems.length > 0) {
    const snippet = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
    throw new Error(
      [
        `Response violates the provisioning swagger: ${method} ${url.toString()} -> ${res.status}`,
        ...problems.map((p) => `  - ${p}`),
        `  headers: ${describeHeaders(res.headers)}`,
        `  body: ${snippet === '' ? '(empty)' : snippet}`,
      ].join('\n'),
    );
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export function createApiClient(baseUrl: string, defaults: ApiClientDefaults = {}): ApiClient {
  const defaultApiVersion = defaults.apiVersion === undefined ? API_VERSION : defaults.apiVersion;

  async function request(method: string, p: string, opts: RequestOptions = {}): Promise<ApiResult> {
    const m = method.toUpperCase();
    const url = joinUrl(baseUrl, p);
    const query = opts.query ?? {};
    const apiVersion = opts.apiVersion === undefined ? defaultApiVersion : opts.apiVersion;
    if (apiVersion !== null && !('api-version' in query) && !url.searchParams.has('api-version')) {
      url.searchParams.set('api-version', apiVersion);
    }
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { ...(defaults.headers ?? {}), ...(opts.headers ?? {}) };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      if (opts.contentType === undefined && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : new Uint8Array(opts.body);
    }
    if (opts.contentType !== undefined) setHeader(headers, 'content-type', opts.contentType);
    return send(baseUrl, m, url, headers, body);
  }

  return {
    baseUrl,
    request,
    get: (p, o) => request('GET', p, o),
    put: (p, o) => request('PUT', p, o),
    post: (p, o) => request('POST', p, o),
    patch: (p, o) => request('PATCH', p, o),
    delete: (p, o) => request('DELETE', p, o),
    followNextLink: (nextLink, headers) => {
      const url = joinUrl(baseUrl, nextLink);
      return send(baseUrl, 'GET', url, { ...(defaults.headers ?? {}), ...(headers ?? {}) }, undefined);
    },
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
  headers[name] = value;
}
