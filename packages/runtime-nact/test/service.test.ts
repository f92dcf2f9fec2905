import {
  ask,
  defineProtocol,
  RecipientUnreachableError,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  serves,
  type RpcServer,
  type RpcService,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { flushMailboxes, track } from '@nact-rpc/testing';

const EchoProtocol = defineProtocol('EchoGateway', {
  echo: ask<[text: string], string>(),
  never: ask<[], string>(),
});

/** An endpoint whose onStop the test controls, with access to its server. */
@serves(EchoProtocol)
class EchoEndpoint extends RpcEndpoint {
  stopCalls = 0;
  readonly neverEntered = deferred();

  constructor(
    service: RpcService,
    id?: string,
    private readonly stopHook?: () => void | Promise<void>,
  ) {
    super(service, id);
  }

  echo(text: string): string {
    return text;
  }

  never(): Promise<string> {
    this.neverEntered.resolve();
    return new Promise<string>(() => undefined);
  }

  get server(): RpcServer {
    return this.rpcServer;
  }

  protected override onStop(): void | Promise<void> {
    this.stopCalls++;
    return this.stopHook?.();
  }
}

function useFakeTimers(): void {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
}

describe('NactRpcService', () => {
  let logger: RecordingLogger;
  let service: NactRpcService;
  /** Set by a test that makes the service's close fail on purpose. */
  let expectedCloseFailure: unknown;
  beforeEach(() => {
    logger = new RecordingLogger();
    service = new NactRpcService({ name: 'service-test', logger });
    expectedCloseFailure = undefined;
  });
  afterEach(async () => {
    jest.useRealTimers();
    await service.closeAsync().catch((error: unknown) => {
      if (expectedCloseFailure === undefined || error !== expectedCloseFailure) throw error;
    });
  });

  test.each([
    ['not started', false],
    ['started', true],
  ])('refuses a duplicate endpoint id while the first endpoint is alive (%s)', async (_state, start) => {
    const first = new EchoEndpoint(service, 'unique');
    if (start) await first.start();
    expect(() => new EchoEndpoint(service, 'unique')).toThrow(RpcInvalidStateError);
    expect(() => new EchoEndpoint(service, 'unique')).toThrow('already has a live endpoint with that id');
    // The first endpoint is unaffected.
    if (start) expect(await first.getSelfGateway(EchoProtocol).echo('still here')).toBe('still here');
  });

  test('allows an endpoint id to be reused once the first endpoint terminated', async () => {
    const first = new EchoEndpoint(service, 'not_unique');
    await first.start();
    const address = first.getAddress();
    await first.closeAsync();

    const second = new EchoEndpoint(service, 'not_unique');
    await second.start();
    expect(second.getAddress()).toBe(address);
    const gateway = await service.connect(address, EchoProtocol);
    expect(await gateway.echo('again')).toBe('again');
  });

  test('closeAsync awaits the onStop of every endpoint', async () => {
    const stops = Array.from({ length: 5 }, () => deferred());
    const endpoints = stops.map((stop, i) => new EchoEndpoint(service, `e${i}`, () => stop.promise));
    await Promise.all(endpoints.map((endpoint) => endpoint.start()));

    const closed = track(service.closeAsync());
    await flushMailboxes();
    expect(endpoints.map((endpoint) => endpoint.stopCalls)).toEqual([1, 1, 1, 1, 1]);
    for (const stop of stops.slice(0, 4)) stop.resolve();
    await flushMailboxes();
    expect(closed.settled).toBe(false);

    stops[4]!.resolve();
    await service.closeAsync();
    expect(closed).toEqual({ settled: true, value: undefined });
    for (const endpoint of endpoints) await expect(endpoint.getTerminationFuture()).resolves.toBeUndefined();
  });

  test('closeAsync fails every pending ask with RecipientUnreachableError, before its timeout', async () => {
    useFakeTimers();
    const slowService = new NactRpcService({ name: 'slow', askTimeoutMs: 3_600_000, logger });
    try {
      const endpoint = new EchoEndpoint(slowService);
      await endpoint.start();
      const gateway = await slowService.connect(endpoint.getAddress(), EchoProtocol);
      const answer = track(gateway.never());
      await endpoint.neverEntered.promise;

      await slowService.closeAsync();
      await flushMailboxes();
      expect(answer.settled).toBe(true);
      expect(answer.error).toBeInstanceOf(RecipientUnreachableError);
      expect((answer.error as Error).message).toContain('EchoGateway.never');
      expect((answer.error as Error).message).toContain('was closed while it was pending');
    } finally {
      await slowService.closeAsync();
    }
  });

  test('closeAsync rejects with the failure of an onStop, after every endpoint terminated', async () => {
    const failure = new Error('one onStop failed');
    expectedCloseFailure = failure;
    const endpoints = Array.from(
      { length: 5 },
      (_, i) => new EchoEndpoint(service, `e${i}`, i === 2 ? () => Promise.reject(failure) : () => Promise.resolve()),
    );
    await Promise.all(endpoints.map((endpoint) => endpoint.start()));
    const terminations = endpoints.map((endpoint) => track(endpoint.getTerminationFuture()));

    const closed = service.closeAsync();
    expect(service.closeAsync()).toBe(closed);
    const closeError = await closed.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(closeError).toBe(failure);
    expect(terminations.map((termination) => termination.settled)).toEqual([true, true, true, true, true]);
    expect(terminations[2]!.error).toBe(failure);
    expect(endpoints.map((endpoint) => endpoint.stopCalls)).toEqual([1, 1, 1, 1, 1]);
    await expect(service.getTerminationFuture()).rejects.toBe(failure);
  });

  test('refuses new endpoints, connections and work after close', async () => {
    const endpoint = new EchoEndpoint(service);
    const address = endpoint.getAddress();
    await service.closeAsync();

    expect(() => new EchoEndpoint(service)).toThrow(RpcInvalidStateError);
    await expect(service.connect(address, EchoProtocol)).rejects.toBeInstanceOf(RpcInvalidStateError);
    expect(() => service.execute(() => undefined)).toThrow(RpcInvalidStateError);
    expect(() => service.scheduleRunnable(() => undefined, 10)).toThrow(RpcInvalidStateError);
    expect(() => service.execute(() => undefined)).toThrow('is closed');
  });

  test('execute runs the function, and logs what it throws instead of throwing', async () => {
    const ran = deferred<string>();
    service.execute(() => ran.resolve('ran'));
    expect(await ran.promise).toBe('ran');

    const failure = new Error('execute failure');
    const thrown = deferred();
    service.execute(() => {
      thrown.resolve();
      throw failure;
    });
    await thrown.promise;
    const entries = logger.find('error', 'execute failed');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.message).toContain('execute failure');
    expect(entries[0]!.details?.['error']).toBe(failure);
  });

  test('scheduleRunnable runs the function only after the delay', async () => {
    useFakeTimers();
    const runs: number[] = [];
    service.scheduleRunnable(() => runs.push(1), 100);
    await jest.advanceTimersByTimeAsync(99);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([1]);
  });

  test('cancel stops a scheduled runnable that has not run, and returns false once it ran', async () => {
    useFakeTimers();
    const runs: string[] = [];
    const cancelled = service.scheduleRunnable(() => runs.push('cancelled'), 100);
    const kept = service.scheduleRunnable(() => runs.push('kept'), 100);

    expect(cancelled.cancel()).toBe(true);
    expect(cancelled.cancel()).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual(['kept']);
    expect(kept.cancel()).toBe(false);
  });

  test('scheduleRunnable refuses a negative delay', () => {
    expect(() => service.scheduleRunnable(() => undefined, -1)).toThrow(RpcInvalidOptionError);
    expect(() => service.scheduleRunnable(() => undefined, -1)).toThrow('scheduleRunnable: invalid delayMs');
  });

  test('stopServer terminates the endpoint of that server', async () => {
    const endpoint = new EchoEndpoint(service);
    await endpoint.start();
    const gateway = endpoint.getSelfGateway(EchoProtocol);

    await service.stopServer(endpoint.server);
    expect(endpoint.stopCalls).toBe(1);
    await expect(endpoint.getTerminationFuture()).resolves.toBeUndefined();
    await expect(gateway.echo('gone')).rejects.toBeInstanceOf(RecipientUnreachableError);
  });

  test('reports no network address for a local-only service', () => {
    expect(service.getAddress()).toBe('');
    expect(service.getPort()).toBe(-1);
  });

  test('a termination-future callback can create a new endpoint without blocking the service', async () => {
    const first = new EchoEndpoint(service, 'foobar');
    await first.start();
    const created = first.getTerminationFuture().then(() => new EchoEndpoint(service, 'foobar2'));

    await first.closeAsync();
    const second = await created;
    await second.start();
    expect(await second.getSelfGateway(EchoProtocol).echo('created')).toBe('created');
  });

  test.each([
    ['a name with spaces', { name: 'my service' }, 'Invalid name: expected a service name'],
    ['a zero askTimeoutMs', { askTimeoutMs: 0 }, 'Invalid askTimeoutMs'],
    ['a negative askTimeoutMs', { askTimeoutMs: -5 }, 'Invalid askTimeoutMs'],
  ])('refuses %s with an RpcInvalidOptionError', (_what, options, text) => {
    expect(() => new NactRpcService(options)).toThrow(RpcInvalidOptionError);
    expect(() => new NactRpcService(options)).toThrow(text);
  });
});
