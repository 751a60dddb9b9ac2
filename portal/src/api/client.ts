/**
 * The one way the portal talks to the Provisioning API: same origin, the user's bearer token,
 * `api-version` on every call, Azure.Core errors turned into ApiProblem, ETags handed back.
 */
import { ApiProblem, problemFrom } from './problem';

export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly json?: unknown;
  readonly contentType?: string;
  readonly ifMatch?: string;
  readonly signal?: AbortSignal;
}

export interface ApiResult<T> {
  readonly status: number;
  readonly body: T;
  readonly etag: string | undefined;
  readonly headers: Headers;
}

export interface ApiClient {
  request<T>(method: string, pathOrUrl: string, options?: RequestOptions): Promise<ApiResult<T>>;
}

export function createApiClient(apiVersion: string, token: () => Promise<string>, onUnauthorized: () => void): ApiClient {
  return {
    async request<T>(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
      const url = new URL(pathOrUrl, window.location.origin);
      if (url.origin !== window.location.origin) throw new Error(`Refusing to call another origin: ${url.origin}`);
      if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
      for (const [name, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
      }
      const headers: Record<string, string> = { authorization: `Bearer ${await token()}`, accept: 'application/json' };
      if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
      let body: string | undefined;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = options.contentType ?? 'application/json';
      }
      const response = await fetch(url, { method, headers, body, signal: options.signal, cache: 'no-store' });
      if (!response.ok) {
        const problem = await problemFrom(response);
        if (response.status === 401) onUnauthorized();
        throw problem;
      }
      const text = response.status === 204 ? '' : await response.text();
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, etag: response.headers.get('etag') ?? undefined, headers: response.headers };
    },
  };
}

export { ApiProblem };
