/**
 * GET /health (anonymous): 200 when storage, the flow-through queue and the lookup's view are
 * fine, 503 naming the failing parts otherwise (shared/health/report.ts). Registered in every
 * function app (shared/appFunctions.ts); cheap enough for frequent probes (probe results cached).
 */
import { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { errorResponse } from '../shared/contract/pipeline';
import { methodNotAllowed } from '../shared/contract/routeErrors';
import { healthReport } from '../shared/health/report';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export async function healthHandler(request: HttpRequest): Promise<HttpResponseInit> {
  if (request.method !== 'GET') {
    const { status, headers, body } = errorResponse(methodNotAllowed(request.method, ['GET']));
    return { status, headers: { ...headers, 'content-type': JSON_CONTENT_TYPE }, body: JSON.stringify(body) };
  }
  const report = await healthReport();
  return {
    status: report.status === 'healthy' ? 200 : 503,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(report),
  };
}
