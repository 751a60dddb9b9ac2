/** @azure/functions HttpRequest ⇄ host-free ApiRequest/ApiResponse. No business rules here. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { ApiRequest, ApiResponse } from '../shared/contract/http';
import { readBoundedBody } from '../shared/contract/body';
import { config } from '../shared/config';

/** The body stays in the request stream until an operation asks for it (after authorization). */
export function toApiRequest(request: HttpRequest): ApiRequest {
  let body: Promise<Buffer> | undefined;
  return {
    method: request.method.toUpperCase(),
    url: new URL(request.url),
    params: request.params,
    headers: request.headers,
    readBody: () => (body ??= readBoundedBody(request.body, request.headers.get('content-length'), config().maxBodyBytes)),
  };
}

export function toHttpResponse(response: ApiResponse): HttpResponseInit {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) return { status: response.status, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { status: response.status, headers, body: JSON.stringify(response.body) };
}
