/**
 * The registrar: one HTTP function per resource route of the operations table
 * (shared/operations/table.ts), each answering through the one pipeline (handleRequest). Every
 * method reaches the function so a wrong one gets the Azure.Core 405 body with Allow, not the
 * host's bare 404. Also GET /openapi.json, the document generated from the same table (anonymous:
 * it describes the API, it reveals no data). Called once, from functions/index.ts.
 */
import type { app as App } from '@azure/functions';
import { errorResponse, handleRequest } from '../shared/contract/pipeline';
import { withInvocationLog } from '../shared/log/logger';
import { methodNotAllowed } from '../shared/contract/routeErrors';
import { openApiDocument } from '../shared/operations/openapi';
import { resourceRoutes, type ResourceRoute } from '../shared/operations/dispatch';
import type { AnyOperation } from '../shared/operations/table';
import { observeProvisioningRequest } from '../shared/telemetry/requests';
import { toApiRequest, toHttpResponse } from './httpAdapter';

const ALL_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

/** A function name from its route: `accounts/{accountName}/numbers` → `accounts-accountName-numbers`. */
export function functionNameOf(resource: string): string {
  return resource.replace(/[{}]/g, '').replace(/\//g, '-');
}

export function registerOperations(app: typeof App, table: readonly AnyOperation[]): ResourceRoute[] {
  const routes = resourceRoutes(table);
  for (const route of routes) {
    app.http(functionNameOf(route.resource), {
      route: route.resource,
      methods: [...ALL_METHODS],
      authLevel: 'anonymous',
      // Server span + request metrics per request, with the operation the pipeline resolved (docs/observability.md).
      // Log lines go through the invocation (its id on each), with the fields the pipeline adds.
      handler: async (request, context) =>
        withInvocationLog(context, {}, async () =>
          toHttpResponse(await observeProvisioningRequest(request.method, route.resource, request.headers, (resolved) => handleRequest(toApiRequest(request), (req) => resolved(route.resolve(req)))))),
    });
  }
  return routes;
}

export function registerOpenApi(app: typeof App, table: readonly AnyOperation[]): void {
  let document: string | undefined;
  app.http('openapi', {
    route: 'openapi.json',
    methods: [...ALL_METHODS],
    authLevel: 'anonymous',
    handler: async (request) => {
      if (request.method !== 'GET') return toHttpResponse(errorResponse(methodNotAllowed(request.method, ['GET'])));
      document ??= JSON.stringify(openApiDocument(table));
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: document };
    },
  });
}
