import type { Attributes, BatchObservableResult, Counter, Histogram, Meter } from '@opentelemetry/api';

/** Which side of a call a measurement is of: the caller's or the endpoint's. */
export type CallSide = 'client' | 'server';

/** What a service observes of itself when a meter reads it. */
export interface ServiceGauges {
  /** The number of messages waiting in each endpoint's mailbox, by endpoint id. */
  mailboxDepths(): Iterable<readonly [endpointId: string, depth: number]>;
  /** The number of associations with other services that are open now. */
  associations(): number;
  /** The bytes read from and written to other services' connections, since the service started. */
  bytes(): { readonly in: number; readonly out: number };
}

/**
 * The instruments of a service's calls, made on the meter of the provider registered when the
 * service was made. Names follow `nact_rpc.*`; attributes are `rpc.system` (`nact-rpc`),
 * `nact_rpc.service` (the service's name), `rpc.service` (the protocol), `rpc.method`, `nact_rpc.side` (`client` or `server`) and, for
 * errors, `error.type` (the error's `code`, or its name when it has none).
 */
export class CallMetrics {
  private readonly calls: Counter;
  private readonly errors: Counter;
  private readonly timeouts: Counter;
  private readonly cancellations: Counter;
  private readonly duration: Histogram;

  /**
   * @param meter - Where the instruments are made.
   * @param serviceName - The `nact_rpc.service` attribute of every measurement.
   */
  constructor(
    private readonly meter: Meter,
    private readonly serviceName: string,
  ) {
    this.calls = meter.createCounter('nact_rpc.calls', { description: 'Calls made (client) and served (server).' });
    this.errors = meter.createCounter('nact_rpc.errors', { description: 'Calls that failed, by error code.' });
    this.timeouts = meter.createCounter('nact_rpc.timeouts', { description: 'Asks that timed out.' });
    this.cancellations = meter.createCounter('nact_rpc.cancellations', {
      description: 'Asks cancelled by their signal.',
    });
    this.duration = meter.createHistogram('nact_rpc.call.duration', {
      description:
        'How long calls took: from the call to its answer (client), or from when the endpoint began to serve it, its interceptors included, to its answer (server).',
      unit: 'ms',
    });
  }

  /** Records one call that ended after `durationMs`, with `error` if it failed. */
  record(side: CallSide, protocol: string, method: string, durationMs: number, error?: unknown): void {
    const attributes: Attributes = {
      'rpc.system': 'nact-rpc',
      'nact_rpc.service': this.serviceName,
      'rpc.service': protocol,
      'rpc.method': method,
      'nact_rpc.side': side,
    };
    this.calls.add(1, attributes);
    this.duration.record(durationMs, attributes);
    if (error === undefined) return;
    const type = errorType(error);
    this.errors.add(1, { ...attributes, 'error.type': type });
    if (type === 'RPC_TIMEOUT' || type === 'RPC_DEADLINE_EXCEEDED') this.timeouts.add(1, attributes);
    else if (type === 'RPC_CANCELLED') this.cancellations.add(1, attributes);
  }

  /**
   * Reports `gauges` whenever the meter is read: mailbox depth, associations, bytes in and out.
   * @returns Stops reporting them (when the service closes).
   */
  observe(gauges: ServiceGauges): () => void {
    const depth = this.meter.createObservableGauge('nact_rpc.mailbox.depth', {
      description: 'Messages waiting in an endpoint mailbox.',
    });
    const associations = this.meter.createObservableGauge('nact_rpc.associations', {
      description: 'Open associations with other services.',
    });
    const bytesIn = this.meter.createObservableCounter('nact_rpc.bytes.in', { unit: 'By' });
    const bytesOut = this.meter.createObservableCounter('nact_rpc.bytes.out', { unit: 'By' });
    const observables = [depth, associations, bytesIn, bytesOut];
    const callback = (result: BatchObservableResult): void => {
      const service = { 'nact_rpc.service': this.serviceName };
      for (const [endpointId, size] of gauges.mailboxDepths()) {
        result.observe(depth, size, { ...service, 'nact_rpc.endpoint': endpointId });
      }
      result.observe(associations, gauges.associations(), service);
      const bytes = gauges.bytes();
      result.observe(bytesIn, bytes.in, service);
      result.observe(bytesOut, bytes.out, service);
    };
    this.meter.addBatchObservableCallback(callback, observables);
    return () => this.meter.removeBatchObservableCallback(callback, observables);
  }
}

/** The `error.type` of an error: its `code` when it has a string one, else its name. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return typeof error;
}
