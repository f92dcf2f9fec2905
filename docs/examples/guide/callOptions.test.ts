import { context, metrics, trace } from '@opentelemetry/api';
import { cancelReports, timeOutRemotely } from './cancellation';
import { quoteWithDeadlines } from './deadlines';
import { intercepted } from './interceptors';
import { callWithMetadata } from './metadata';
import { registerOpenTelemetry, traceACall } from './tracing';

describe('docs/guide.md, call options', () => {
  test('a cancelled call rejects at once; a running method stops, a queued one never runs', async () => {
    expect(await cancelReports()).toEqual([
      'started job-1',
      'RPC_CANCELLED: the user went away',
      'stopped job-1: RPC_CANCELLED',
      'job-2: RPC_CANCELLED',
    ]);
  });

  test('a remote call that times out stops its method through a Cancel frame', async () => {
    expect(await timeOutRemotely()).toEqual(['caller: RPC_TIMEOUT', 'endpoint: stopped job-3, RPC_CANCELLED']);
  });

  test('a deadline travels with a call and is inherited after an await; the timeout argument does not travel', async () => {
    const { deadline, inherited, byArgument, detached, late } = await quoteWithDeadlines();
    // The time left crosses the wire, rounded up to a whole millisecond.
    expect(inherited).toBeGreaterThan(deadline - 1_000);
    expect(inherited).toBeLessThanOrEqual(deadline + 2);
    expect(byArgument).toBeUndefined();
    expect(detached).toBeUndefined();
    expect(late).toBe('RPC_DEADLINE_EXCEEDED');
  });

  test('metadata reaches the endpoint it is sent to, and no further', async () => {
    const { direct, throughShop, refused, limits } = await callWithMetadata();
    expect(direct).toEqual({ price: 90, deadline: undefined, metadata: { tenant: 'acme', 'request-id': 'r-17' } });
    expect(throughShop).toEqual({ price: 100, deadline: undefined, metadata: {} });
    expect(refused).toBe('RPC_INVALID_OPTION');
    expect(limits).toEqual({ maxEntries: 32, maxKeyBytes: 64, maxValueBytes: 1024, maxTotalBytes: 8192 });
  });

  test('interceptors refuse a call without the role, and time every call on both sides', async () => {
    const { refused, served, called } = await intercepted();
    expect(refused).toBe('RPC_PERMISSION_DENIED');
    const withoutTimes = (lines: string[]) => lines.map((line) => line.replace(/ in [\d.]+ ms$/, ''));
    expect(withoutTimes(served)).toEqual(['served increment', 'served increment', 'served get']);
    expect(withoutTimes(called)).toEqual(['increment(1) failed', 'increment(2) answered 2', 'get() answered 2']);
  });

  test('with the SDK registered, a remote call reports a client and a server span in one trace, and metrics', async () => {
    const registered = registerOpenTelemetry();
    try {
      const { spans, calls } = await traceACall(registered);
      const client = spans.find((span) => span.kind === 'CLIENT');
      const server = spans.find((span) => span.kind === 'SERVER');
      expect(spans).toHaveLength(2);
      expect(client?.parentSpanId).toBeUndefined();
      expect(server?.traceId).toBe(client?.traceId);
      expect(server?.parentSpanId).toBe(client?.spanId);
      expect(server?.events).toEqual(['queued', 'started']);
      expect(server?.attributes).toEqual({
        'rpc.system': 'nact-rpc',
        'rpc.service': 'CounterGateway',
        'rpc.method': 'increment',
        'nact_rpc.endpoint': 'counter',
        'nact_rpc.peer': 'service client',
      });
      expect(client?.attributes).toMatchObject({
        'rpc.system': 'nact-rpc',
        'rpc.service': 'CounterGateway',
        'rpc.method': 'increment',
        'server.address': '127.0.0.1',
      });
      expect(client?.attributes['nact_rpc.endpoint']).toMatch(/^nact-rpc:\/\/counting@127\.0\.0\.1:\d+\/counter$/);
      expect(calls.sort()).toEqual(['client client: 1', 'counting server: 1']);
    } finally {
      await registered.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    }
  });
});
