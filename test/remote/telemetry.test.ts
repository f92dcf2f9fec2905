import { context, metrics, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ask,
  defineProtocol,
  RpcEndpoint,
  serves,
  withCallOptions,
  type GatewayOf,
  type RpcService,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { rejectionOf } from '@nact-rpc/testing';
import {
  RelayProtocol,
  spanRecord,
  TailProtocol,
  type Observed,
  type SpanRecord,
} from '../fixtures/src/chainProtocols';
import { ChildService, stopAllChildren } from '../support/ChildService';

@serves(TailProtocol)
class TailEndpoint extends RpcEndpoint {
  constructor(rpcService: RpcService) {
    super(rpcService, 'tail');
  }

  observe(): Observed {
    const { deadline, metadata } = this.getCallContext();
    return { deadline, now: Date.now(), metadata };
  }

  busy(): void {
    // Not called here.
  }
}

const MeterProtocol = defineProtocol('Meter', {
  ok: ask<[], string>(),
  fail: ask<[], string>(),
  hang: ask<[], string>(),
});

@serves(MeterProtocol)
class MeterEndpoint extends RpcEndpoint {
  constructor(rpcService: RpcService) {
    super(rpcService, 'meter');
  }

  ok(): string {
    return 'ok';
  }

  fail(): string {
    throw new TypeError('not today');
  }

  hang(): Promise<string> {
    const { signal } = this.getCallContext();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
  }
}

function only(spans: readonly SpanRecord[], name: string, kind: SpanKind): SpanRecord {
  const found = spans.filter((span) => span.name === name && span.kind === (kind as number));
  expect(found).toHaveLength(1);
  return found[0] as SpanRecord;
}

describe('OpenTelemetry, with the SDK registered in both processes', () => {
  const spanExporter = new InMemorySpanExporter();
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  let tailService: NactRpcService;
  let client: NactRpcService;
  let relayProcess: ChildService;

  beforeAll(async () => {
    // Registered before the services are made: a service looks its providers up when it is made.
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    tailService = await NactRpcService.create({ name: 'tail', listen: { port: 0 } });
    const tail = new TailEndpoint(tailService);
    await tail.start();
    relayProcess = await ChildService.start(
      { name: 'relay', tail: tail.getAddress(), trace: true },
      undefined,
      'chainProcess.js',
    );
    client = new NactRpcService({ name: 'client' });
  });
  afterAll(async () => {
    await client.closeAsync();
    await stopAllChildren();
    await tailService.closeAsync();
    trace.disable();
    metrics.disable();
    context.disable();
  });

  test('one trace spans A → B → C across processes, each span the child of the one before', async () => {
    spanExporter.reset();
    const relay = await client.connect(relayProcess.address('relay'), RelayProtocol);
    await relay.relay();
    const here = spanExporter.getFinishedSpans().map(spanRecord);
    const there = (await relay.spans()).filter((span) => span.name !== 'Relay/spans');

    const aClient = only(here, 'Relay/relay', SpanKind.CLIENT);
    const bServer = only(there, 'Relay/relay', SpanKind.SERVER);
    const bClient = only(there, 'Tail/observe', SpanKind.CLIENT);
    const cServer = only(here, 'Tail/observe', SpanKind.SERVER);
    expect(aClient.parentSpanId).toBeUndefined();
    for (const span of [bServer, bClient, cServer]) expect(span.traceId).toBe(aClient.traceId);
    expect(bServer.parentSpanId).toBe(aClient.spanId);
    expect(bClient.parentSpanId).toBe(bServer.spanId);
    expect(cServer.parentSpanId).toBe(bClient.spanId);

    expect(cServer.events).toEqual(['queued', 'started']);
    expect(cServer.attributes).toMatchObject({
      'rpc.system': 'nact-rpc',
      'rpc.service': 'Tail',
      'rpc.method': 'observe',
      'nact_rpc.endpoint': 'tail',
    });
    expect(cServer.attributes['nact_rpc.peer']).toContain('service relay');
    expect(aClient.attributes).toMatchObject({
      'rpc.service': 'Relay',
      'rpc.method': 'relay',
      'nact_rpc.endpoint': relayProcess.address('relay'),
      'server.address': '127.0.0.1',
    });
  });

  test('calls, errors by code, timeouts, cancellations, durations, mailboxes, associations and bytes are measured', async () => {
    const service = new NactRpcService({ name: 'metered' });
    const endpoint = new MeterEndpoint(service);
    await endpoint.start();
    const meter: GatewayOf<typeof MeterProtocol> = endpoint.getSelfGateway(MeterProtocol);
    try {
      await meter.ok();
      await meter.ok();
      expect(await rejectionOf(meter.fail())).toBeInstanceOf(TypeError);
      await rejectionOf(withCallOptions(meter, { timeoutMs: 5 }).hang());
      const controller = new AbortController();
      const cancelled = withCallOptions(meter, { signal: controller.signal }).hang();
      controller.abort();
      await rejectionOf(cancelled);
      // The relay's association, so that traffic is measured too.
      await (await client.connect(relayProcess.address('relay'), RelayProtocol)).count();

      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
      const points = (name: string, filter: Record<string, unknown>): DataPoint<unknown>[] =>
        all
          .filter((metric) => metric.descriptor.name === name)
          .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[])
          .filter((point) => Object.entries(filter).every(([key, value]) => point.attributes[key] === value));
      const sum = (name: string, filter: Record<string, unknown>): number =>
        points(name, filter).reduce((total, point) => total + (point.value as number), 0);
      const calling = { 'nact_rpc.service': 'metered', 'nact_rpc.side': 'client' };
      const serving = { 'nact_rpc.service': 'metered', 'nact_rpc.side': 'server' };

      expect(sum('nact_rpc.calls', { ...calling, 'rpc.method': 'ok' })).toBe(2);
      expect(sum('nact_rpc.calls', { ...calling, 'rpc.method': 'fail' })).toBe(1);
      expect(sum('nact_rpc.calls', { ...calling, 'rpc.method': 'hang' })).toBe(2);
      expect(sum('nact_rpc.calls', { ...serving, 'rpc.method': 'ok' })).toBe(2);
      expect(sum('nact_rpc.errors', { ...calling, 'error.type': 'TypeError' })).toBe(1);
      expect(sum('nact_rpc.errors', { ...serving, 'error.type': 'TypeError' })).toBe(1);
      expect(sum('nact_rpc.errors', { ...calling, 'error.type': 'RPC_TIMEOUT' })).toBe(1);
      expect(sum('nact_rpc.errors', { ...calling, 'error.type': 'RPC_CANCELLED' })).toBe(1);
      expect(sum('nact_rpc.timeouts', calling)).toBe(1);
      expect(sum('nact_rpc.cancellations', calling)).toBe(1);
      const durations = points('nact_rpc.call.duration', { ...calling, 'rpc.method': 'ok' });
      expect(durations).toHaveLength(1);
      expect((durations[0]?.value as Histogram).count).toBe(2);
      expect((durations[0]?.value as Histogram).sum).toBeGreaterThan(0);

      expect(sum('nact_rpc.mailbox.depth', { 'nact_rpc.service': 'metered', 'nact_rpc.endpoint': 'meter' })).toBe(0);
      expect(points('nact_rpc.mailbox.depth', { 'nact_rpc.endpoint': 'meter' })).toHaveLength(1);
      expect(sum('nact_rpc.associations', { 'nact_rpc.service': 'client' })).toBe(1);
      expect(sum('nact_rpc.associations', { 'nact_rpc.service': 'metered' })).toBe(0);
      expect(sum('nact_rpc.bytes.in', { 'nact_rpc.service': 'client' })).toBeGreaterThan(0);
      expect(sum('nact_rpc.bytes.out', { 'nact_rpc.service': 'client' })).toBeGreaterThan(0);
    } finally {
      await service.closeAsync();
    }
  });

  test('a service made with telemetry: false reports nothing', async () => {
    const service = new NactRpcService({ name: 'quiet', telemetry: false });
    const endpoint = new MeterEndpoint(service);
    await endpoint.start();
    try {
      spanExporter.reset();
      await endpoint.getSelfGateway(MeterProtocol).ok();
      expect(spanExporter.getFinishedSpans()).toEqual([]);
      const { resourceMetrics } = await reader.collect();
      const quiet = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[])
        .filter((point) => point.attributes['nact_rpc.service'] === 'quiet');
      expect(quiet).toEqual([]);
    } finally {
      await service.closeAsync();
    }
  });
});
