/**
 * One consumer span and the run metrics per flow-through kick the worker handles. The span's
 * parent is the trace context the kick carried (its application properties), so an API write, its
 * kick and the run it causes are one trace.
 */
import { context, SpanKind } from '@opentelemetry/api';
import { recordReconcileRun } from './metrics';
import { SPAN_RECONCILE } from './names';
import { extractTraceContext, inSpan } from './tracing';

export interface RunSubject {
  readonly kind: string;
  readonly reason: string;
  /** The account (or `rfi:<tenant>` session) the run is for. */
  readonly account: string;
}

/** Runs `reconcile` as the span `flowthrough.reconcile`; records `reconcile.runs` with its outcome (`error` when it threw). */
export async function observeReconcileRun<O extends string>(subject: RunSubject, applicationProperties: unknown, reconcile: () => Promise<O>): Promise<O> {
  const carrier = typeof applicationProperties === 'object' && applicationProperties !== null ? (applicationProperties as Record<string, unknown>) : undefined;
  const parent = extractTraceContext(carrier, context.active());
  const started = performance.now();
  let outcome = 'error';
  try {
    return await inSpan(SPAN_RECONCILE, { kind: SpanKind.CONSUMER, parent, attributes: { account: subject.account, kind: subject.kind, reason: subject.reason } }, async (span) => {
      const result = await reconcile();
      outcome = result;
      span.setAttribute('outcome', result);
      return result;
    });
  } finally {
    recordReconcileRun(subject.kind, subject.reason, outcome, performance.now() - started);
  }
}
