// docs/guide.md, "Tracing and metrics": the OpenTelemetry SDK registered, and what a remote call reports.
// #region register
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
// #endregion register
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { CounterEndpoint, CounterProtocol } from './counter';

/** What the application registered: where the spans and metrics go, and how to stop. */
export interface Registered {
  readonly spans: InMemorySpanExporter;
  readonly reader: PeriodicExportingMetricReader;
  readonly shutdown: () => Promise<void>;
}

/** Registers the SDK, with in-memory exporters; a deployment gives OTLP exporters instead. */
export function registerOpenTelemetry(): Registered {
  // #region setup
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(tracerProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 60_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  // Only now make the services: a service looks the providers up when it is made.
  // #endregion setup
  return {
    spans,
    reader,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** One span, as the example prints it. */
export interface SpanLine {
  readonly name: string;
  readonly kind: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly events: string[];
  readonly attributes: Record<string, unknown>;
}

/** Calls a counter across the wire with the SDK registered; answers the spans and the call counts. */
export async function traceACall({ spans, reader }: Registered): Promise<{ spans: SpanLine[]; calls: string[] }> {
  // #region call
  const server = await NactRpcService.create({ name: 'counting', listen: { port: 0 } });
  const counter = new CounterEndpoint(server, 'counter');
  await counter.start();
  const client = new NactRpcService({ name: 'client' }); // { telemetry: false } would keep it out
  const gateway = await client.connect(counter.getAddress(), CounterProtocol);
  await gateway.increment(1);

  // Two spans named CounterGateway/increment, in one trace: the client's (kind CLIENT), and the
  // server's (kind SERVER), its child, with events `queued` and `started`.
  const finished = spans.getFinishedSpans().filter((span) => span.name === 'CounterGateway/increment');
  // Counters and histograms named nact_rpc.*, e.g. nact_rpc.calls once per side.
  const { resourceMetrics } = await reader.collect();
  const measured = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);

  await client.closeAsync();
  await server.closeAsync();
  // #endregion call
  return {
    spans: finished.map((span) => ({
      name: span.name,
      kind: ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'][span.kind] as string,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      parentSpanId: span.parentSpanContext?.spanId,
      events: span.events.map((event) => event.name),
      attributes: { ...span.attributes },
    })),
    calls: measured
      .filter((metric) => metric.descriptor.name === 'nact_rpc.calls')
      .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[])
      .filter((point) => point.attributes['rpc.method'] === 'increment')
      .map(
        (point) =>
          `${String(point.attributes['nact_rpc.service'])} ${String(point.attributes['nact_rpc.side'])}: ${String(point.value)}`,
      ),
  };
}
