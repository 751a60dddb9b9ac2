/**
 * One Operator Connect HTTP attempt as a client span `oc <operation>` (operation = `METHOD route
 * template`), with the W3C `traceparent` header sent so the far side can join the trace, and the
 * attempt counted: `oc.calls`, `oc.throttles`, `oc.errors` (docs/observability.md).
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { recordOcAttempt } from '../../telemetry/metrics';
import { ocSpanName } from '../../telemetry/names';
import { inSpan, injectTraceContext } from '../../telemetry/tracing';
import { exchange, type Exchange, type FetchLike } from './exchange';

export function ocOperationName(method: string, route: string): string {
  return `${method} ${route}`;
}

export function tracedExchange(operation: string, fetchFn: FetchLike, url: string, init: RequestInit & { headers: Record<string, string> }, timeoutMs: number): Promise<Exchange> {
  return inSpan(ocSpanName(operation), { kind: SpanKind.CLIENT, attributes: { operation, 'http.request.method': init.method ?? 'GET' } }, async (span) => {
    injectTraceContext(init.headers);
    const result = await exchange(fetchFn, url, init, timeoutMs);
    if (result.ok) {
      span.setAttribute('http.response.status_code', result.status);
      if (result.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      recordOcAttempt(operation, result.status, undefined, result.headers.has('retry-after'));
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.message });
      recordOcAttempt(operation, undefined, result.failure.type === 'timeout' ? 'timeout' : 'network');
    }
    return result;
  });
}
