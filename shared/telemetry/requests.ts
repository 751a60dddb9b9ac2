/**
 * One server span and the request metrics per Provisioning API request (every outcome, 404/405
 * and errors included). The registrar (functions/registrar.ts) wraps its handler in this; the
 * pipeline tells it which operation the request resolved to.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { echoableClientRequestId } from '../contract/pipeline';
import { recordProvisioningRequest } from './metrics';
import { inSpan, serverParent } from './tracing';

/** Operation attribute of a request no operation matched (unknown action, wrong method). */
export const NO_OPERATION = 'unknown';

/**
 * Runs `handle` inside the server span `<METHOD> <route>`; `handle` calls `resolved` with the
 * operation it dispatched to (the `operation` attribute and metric dimension).
 */
export async function observeProvisioningRequest<R extends { readonly status: number }>(
  method: string,
  route: string,
  headers: { get(name: string): string | null },
  handle: (resolved: <O extends { readonly operationId: string; readonly accountName?: string }>(operation: O) => O) => Promise<R>,
): Promise<R> {
  const started = performance.now();
  const clientRequestId = echoableClientRequestId(headers);
  let operation = NO_OPERATION;
  let status = 500;
  try {
    return await inSpan(`${method.toUpperCase()} /${route}`, { kind: SpanKind.SERVER, parent: serverParent(headers), attributes: { 'http.request.method': method.toUpperCase(), 'http.route': `/${route}` } }, async (span) => {
      const response = await handle((resolvedOperation) => {
        operation = resolvedOperation.operationId;
        span.setAttribute('operation', operation);
        // So one write can be found in `requests` by its account or the BSS's own request id.
        if (resolvedOperation.accountName !== undefined) span.setAttribute('account', resolvedOperation.accountName);
        if (clientRequestId !== undefined) span.setAttribute('client_request_id', clientRequestId);
        return resolvedOperation;
      });
      status = response.status;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    });
  } finally {
    recordProvisioningRequest(operation, status, performance.now() - started);
  }
}
