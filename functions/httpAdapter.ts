/** @azure/functions HttpRequest ⇄ host-free ApiRequest/ApiResponse. No business rules here. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ApiRequest, ApiResponse } from '../shared/contract/http';
import { handleRequest, type Operation } from '../shared/contract/pipeline';

export async function toApiRequest(request: HttpRequest): Promise<ApiRequest> {
  const body = request.body === null ? Buffer.alloc(0) : Buffer.from(await request.arrayBuffer());
  return { method: request.method.toUpperCase(), url: new URL(request.url), params: request.params, headers: request.headers, body };
}

export function toHttpResponse(response: ApiResponse): HttpResponseInit {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) return { status: response.status, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { status: response.status, headers, body: JSON.stringify(response.body) };
}

/** An HTTP trigger handler that resolves the operation from the request and runs the pipeline. */
export function apiHandler(resolve: (req: ApiRequest) => Operation) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const apiRequest = await toApiRequest(request);
    return toHttpResponse(await handleRequest(apiRequest, resolve));
  };
}
