/**
 * Trace propagation and spans on @opentelemetry/api only (a no-op without a registered SDK): W3C
 * `traceparent` into and out of plain records (Service Bus application properties, HTTP headers),
 * and `inSpan`, which runs work as the active span and ends it with the work's outcome.
 */
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanKind } from '@opentelemetry/api';
import { TELEMETRY_NAME } from './names';

export function tracer() {
  return trace.getTracer(TELEMETRY_NAME);
}

/** The active context's `traceparent` (and `tracestate`) as a plain record; empty when no span is active. */
export function injectTraceContext(into: Record<string, string> = {}, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, into);
  return into;
}

/** Where a `traceparent` may be: a plain record (message properties, node:http headers) or fetch-style Headers. */
export type TraceCarrier = Readonly<Record<string, unknown>> | { get(name: string): string | null };

/** A context whose parent is the `traceparent` in `carrier` (names case-insensitive), else `fallback`. */
export function extractTraceContext(carrier: TraceCarrier | undefined, fallback: Context = ROOT_CONTEXT): Context {
  if (carrier === undefined) return fallback;
  const values: Record<string, string> = {};
  if (typeof carrier.get === 'function') {
    for (const name of ['traceparent', 'tracestate']) {
      const value = (carrier as { get(name: string): string | null }).get(name);
      if (value !== null) values[name] = value;
    }
  } else {
    for (const [name, value] of Object.entries(carrier)) if (typeof value === 'string') values[name.toLowerCase()] = value;
  }
  if (values.traceparent === undefined) return fallback;
  return propagation.extract(fallback, values);
}

export interface SpanOptions {
  readonly kind: SpanKind;
  readonly attributes?: Attributes;
  /** The parent; default the active context. */
  readonly parent?: Context;
}

/** Runs `work` inside a new active span; a throw marks it failed (and is rethrown); the span always ends. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

/** The parent of a server span: the caller's `traceparent`, unless the host already made a span active (Azure). */
export function serverParent(headers: TraceCarrier): Context {
  const active = context.active();
  return trace.getSpan(active) !== undefined ? active : extractTraceContext(headers, active);
}
