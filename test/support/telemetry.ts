/**
 * An in-memory OpenTelemetry SDK for tests: spans into an InMemorySpanExporter (AsyncLocalStorage
 * context manager and the W3C propagator, as the Azure Monitor distro sets them up), metrics
 * collected on demand through a manual reader into an InMemoryMetricExporter. Install it before
 * the code under test records anything; `uninstall` restores the no-op API.
 */
import { context, metrics, propagation, trace, type Attributes, type HrTime } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Collects only when asked (no timer). */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One data point of a metric, flattened. */
export interface Point {
  readonly attributes: Attributes;
  /** Counter / gauge value; a histogram's count. */
  readonly value: number;
  /** Histograms: the sum of the recorded values. */
  readonly sum?: number;
  readonly time: HrTime;
}

export interface TestTelemetry {
  readonly spans: InMemorySpanExporter;
  finishedSpans(): ReadableSpan[];
  /** Collects now; every point of `name`, optionally only those whose attributes include `match`. */
  points(name: string, match?: Attributes): Promise<Point[]>;
  uninstall(): Promise<void>;
}

function flatten(collected: ResourceMetrics, name: string): Point[] {
  const out: Point[] = [];
  for (const scope of collected.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints) {
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const value = point.value as { count: number; sum?: number };
          out.push({ attributes: point.attributes, value: value.count, ...(value.sum !== undefined ? { sum: value.sum } : {}), time: point.endTime });
        } else {
          out.push({ attributes: point.attributes, value: point.value as number, time: point.endTime });
        }
      }
    }
  }
  return out;
}

const includes = (attributes: Attributes, match: Attributes): boolean => Object.entries(match).every(([k, v]) => attributes[k] === v);

export function installTestTelemetry(): TestTelemetry {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  const reader = new OnDemandReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  const exported = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  return {
    spans,
    finishedSpans: () => spans.getFinishedSpans(),
    async points(name, match = {}) {
      const { resourceMetrics } = await reader.collect();
      exported.export(resourceMetrics, () => undefined);
      const latest = exported.getMetrics().at(-1) as ResourceMetrics;
      return flatten(latest, name).filter((p) => includes(p.attributes, match));
    },
    async uninstall() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The sum of the values of matching points (0 when none). */
export async function total(telemetry: TestTelemetry, name: string, match: Attributes = {}): Promise<number> {
  return (await telemetry.points(name, match)).reduce((sum, p) => sum + p.value, 0);
}
