/** Response helpers for resources and pages (ETag, Last-Modified, x-ms-record-count). */
import { jsonResponse, type ApiResponse } from '../contract/http';
import type { ListPage } from '../provisioning/lists';

export function resourceHeaders(representation: { etag: string; lastModified: Date }): Record<string, string> {
  return { ETag: representation.etag, 'Last-Modified': representation.lastModified.toUTCString() };
}

export function listResponse(page: ListPage): ApiResponse {
  const body: Record<string, unknown> = { value: page.value };
  if (page.nextLink !== undefined) body.nextLink = page.nextLink;
  return jsonResponse(200, body, page.count !== undefined ? { 'x-ms-record-count': String(page.count) } : {});
}
