import { createNoopMeter, metrics, ProxyTracerProvider, trace, type Tracer } from '@opentelemetry/api';
import { CallMetrics } from './CallMetrics';

/** The name of the tracer and the meter: the instrumentation library's. */
export const INSTRUMENTATION_NAME = '@nact-rpc/runtime-nact';

/** What the global tracer provider delegates to while none is registered. */
const NO_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * A service's OpenTelemetry instrumentation, through `@opentelemetry/api` only: spans when a
 * tracer provider is registered, metrics when a meter provider is, both looked up when the
 * service is made (register the SDK first, as OpenTelemetry advises). Without either,
 * {@link telemetryFor} gives `undefined` and the service's calls take no instrumented path at
 * all.
 */
export class Telemetry {
  /** Set when a tracer provider was registered when the service was made. */
  readonly tracer: Tracer | undefined;
  /** Set when a meter provider was registered when the service was made. */
  readonly metrics: CallMetrics | undefined;

  private constructor(tracer: Tracer | undefined, callMetrics: CallMetrics | undefined) {
    this.tracer = tracer;
    this.metrics = callMetrics;
  }

  /** The instrumentation of a service made now, or `undefined` when there is nothing to report to. */
  static create(serviceName: string): Telemetry | undefined {
    const tracing = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() !== NO_TRACER_PROVIDER;
    const meter = metrics.getMeter(INSTRUMENTATION_NAME);
    const measuring = meter !== createNoopMeter();
    if (!tracing && !measuring) return undefined;
    return new Telemetry(
      tracing ? trace.getTracer(INSTRUMENTATION_NAME) : undefined,
      measuring ? new CallMetrics(meter, serviceName) : undefined,
    );
  }
}

/** The instrumentation of service `serviceName`: none when `enabled` is `false` or no provider is registered. */
export function telemetryFor(enabled: boolean, serviceName: string): Telemetry | undefined {
  return enabled ? Telemetry.create(serviceName) : undefined;
}

/** The time now in milliseconds since the epoch, with the precision of `performance.now()`. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
