/**
 * The simulator's side of the trace: each operator API or token call becomes a server span
 * `oc-simulator <route key>` whose parent is the `traceparent` header the client sent, so a test
 * (or a local trace viewer) sees that the Operator Connect client propagates its trace context.
 * Control calls (`/_sim`) are not traced. A no-op without a registered OpenTelemetry SDK.
 */
import type http from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { extractTraceContext, tracer } from '../../shared/telemetry/tracing';

export const SIMULATOR_SPAN_PREFIX = 'oc-simulator';

/** Runs the handling of one request inside its server span; the span ends when the answer is sent (or the socket closes). */
export function traceSimulatorCall(req: http.IncomingMessage, res: http.ServerResponse, handle: () => Promise<void>): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if ((req.url ?? '/').startsWith('/_sim')) return handle();
  const parent = extractTraceContext(req.headers);
  const span = tracer().startSpan(`${SIMULATOR_SPAN_PREFIX} ${method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (!res.writableFinished || res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handle);
}

/** Names the active simulator span after the route the call matched (e.g. `POST /tenants/{tenantId}/uploadOrders`). */
export function nameSimulatorCall(routeKey: string): void {
  trace.getActiveSpan()?.updateName(`${SIMULATOR_SPAN_PREFIX} ${routeKey}`);
}
