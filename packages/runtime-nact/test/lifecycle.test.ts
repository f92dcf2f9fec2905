import {
  ask,
  defineProtocol,
  EndpointNotStartedError,
  RecipientUnreachableError,
  RpcEndpoint,
  RpcError,
  RpcInvalidStateError,
  serves,
  tell,
  type RpcService,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred, type Deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { flushMailboxes, track } from '@nact-rpc/testing';

const LifecycleProtocol = defineProtocol('LifecycleGateway', {
  getValue: ask<[], number>(),
  setValue: tell<[value: number]>(),
  isRunningNow: ask<[], boolean>(),
  answerLater: ask<[], string>(),
  finishStop: ask<[], number>(),
});

type Hook = () => void | Promise<void>;

interface Hooks {
  readonly onStart?: Hook;
  readonly onStop?: Hook;
}

/** Counts its lifecycle calls, records main-thread checks and delegates onStart/onStop to the test. */
@serves(LifecycleProtocol)
class LifecycleEndpoint extends RpcEndpoint {
  value = 0;
  startCalls = 0;
  stopCalls = 0;
  invocations = 0;
  readonly mainThreadChecks: unknown[] = [];
  readonly stopCalled = deferred();
  readonly laterEntered = deferred();
  readonly later: Deferred<string> = deferred<string>();

  constructor(
    service: RpcService,
    private readonly hooks: Hooks = {},
    id?: string,
  ) {
    super(service, id);
  }

  getValue(): number {
    this.invocations++;
    return this.value;
  }

  setValue(value: number): void {
    this.value = value;
  }

  /** What {@link finishStop} does before it answers: set by a test. */
  completeStop: () => void = () => undefined;

  finishStop(): number {
    this.completeStop();
    return 42;
  }

  isRunningNow(): boolean {
    return this.isRunning();
  }

  answerLater(): Promise<string> {
    this.laterEntered.resolve();
    return this.later.promise;
  }

  protected override onStart(): void | Promise<void> {
    this.startCalls++;
    this.mainThreadChecks.push(this.checkMainThread());
    return this.hooks.onStart?.();
  }

  protected override onStop(): void | Promise<void> {
    this.stopCalls++;
    this.mainThreadChecks.push(this.checkMainThread());
    this.stopCalled.resolve();
    return this.hooks.onStop?.();
  }

  private checkMainThread(): unknown {
    try {
      this.validateRunsInMainThread();
      return 'ok';
    } catch (error) {
      return error;
    }
  }
}

describe('RpcEndpoint lifecycle', () => {
  let logger: RecordingLogger;
  let service: NactRpcService;
  beforeEach(() => {
    logger = new RecordingLogger();
    service = new NactRpcService({ name: 'lifecycle', logger });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await service.closeAsync();
  });

  test('refuses asks and drops tells before start, and does not queue them for later', async () => {
    const endpoint = new LifecycleEndpoint(service);
    // A handshake is answered before start.
    const gateway = await service.connect(endpoint.getAddress(), LifecycleProtocol);
    expect(gateway.getAddress()).toBe(endpoint.getAddress());

    const refused = gateway.getValue();
    await expect(refused).rejects.toBeInstanceOf(EndpointNotStartedError);
    await expect(refused).rejects.toMatchObject({ code: 'ENDPOINT_NOT_STARTED' });
    await expect(refused).rejects.toThrow('has not been started');

    gateway.setValue(7);
    // An ask sent after the tell is answered after the tell was handled.
    await expect(gateway.getValue()).rejects.toBeInstanceOf(EndpointNotStartedError);
    expect(logger.find('warn', 'Dropped tell LifecycleGateway.setValue')).toHaveLength(1);

    endpoint.value = 1337;
    await endpoint.start();
    expect(await gateway.getValue()).toBe(1337);
    expect(endpoint.invocations).toBe(1);
  });

  test('refuses asks and drops tells after stop, and start again calls onStart again', async () => {
    const endpoint = new LifecycleEndpoint(service);
    const gateway = endpoint.getSelfGateway(LifecycleProtocol);
    await endpoint.start();
    expect(await gateway.getValue()).toBe(0);
    await endpoint.stop();

    await expect(gateway.getValue()).rejects.toBeInstanceOf(EndpointNotStartedError);
    gateway.setValue(5);
    await expect(gateway.getValue()).rejects.toBeInstanceOf(EndpointNotStartedError);
    expect(logger.find('warn', 'Dropped tell LifecycleGateway.setValue')).toHaveLength(1);
    expect(endpoint.stopCalls).toBe(0);

    await endpoint.start();
    expect(endpoint.startCalls).toBe(2);
    gateway.setValue(9);
    expect(await gateway.getValue()).toBe(9);
  });

  test('runs onStart in the main thread', async () => {
    const endpoint = new LifecycleEndpoint(service);
    await endpoint.start();
    expect(endpoint.startCalls).toBe(1);
    expect(endpoint.mainThreadChecks).toEqual(['ok']);
  });

  test('an async onStart holds the mailbox until it settles', async () => {
    const ready = deferred();
    const endpoint = new LifecycleEndpoint(service, {
      onStart: async () => {
        await ready.promise;
        endpoint.value = 42;
      },
    });
    const started = track(endpoint.start());
    const answer = track(endpoint.getSelfGateway(LifecycleProtocol).getValue());

    await flushMailboxes();
    expect(endpoint.startCalls).toBe(1);
    expect(started.settled).toBe(false);
    expect(answer.settled).toBe(false);
    expect(endpoint.invocations).toBe(0);

    ready.resolve();
    await flushMailboxes();
    expect(started).toEqual({ settled: true, value: undefined });
    expect(answer).toEqual({ settled: true, value: 42 });
  });

  test.each([
    [
      'throws',
      (error: Error): Hook =>
        () => {
          throw error;
        },
    ],
    [
      'rejects',
      (error: Error): Hook =>
        () =>
          Promise.reject(error),
    ],
  ])('when onStart %s, start rejects and the endpoint terminates', async (_how, failWith) => {
    const original = new Error('onStart failed on purpose');
    const endpoint = new LifecycleEndpoint(service, { onStart: failWith(original) });
    const gateway = endpoint.getSelfGateway(LifecycleProtocol);

    const startError = await endpoint.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(startError).toBeInstanceOf(RpcError);
    expect((startError as RpcError).code).toBe('RPC_ERROR');
    expect((startError as RpcError).cause).toBe(original);
    expect((startError as RpcError).message).toContain('onStart failed on purpose');

    await expect(endpoint.getTerminationFuture()).rejects.toBe(startError);
    expect(endpoint.isRunning()).toBe(false);
    expect(endpoint.stopCalls).toBe(0);
    await expect(gateway.getValue()).rejects.toBeInstanceOf(RecipientUnreachableError);
  });

  test('awaits an async onStop before the termination future settles', async () => {
    const stopping = deferred();
    const endpoint = new LifecycleEndpoint(service, { onStop: () => stopping.promise });
    await endpoint.start();
    const termination = track(endpoint.closeAsync());

    await endpoint.stopCalled.promise;
    await flushMailboxes();
    expect(termination.settled).toBe(false);

    stopping.resolve();
    await endpoint.getTerminationFuture();
    expect(termination).toEqual({ settled: true, value: undefined });
    expect(endpoint.mainThreadChecks).toEqual(['ok', 'ok']);
  });

  test('calling closeAsync twice calls onStop once and returns the same promise', async () => {
    const stopping = deferred();
    const endpoint = new LifecycleEndpoint(service, { onStop: () => stopping.promise });
    await endpoint.start();

    const first = endpoint.closeAsync();
    const second = endpoint.closeAsync();
    expect(second).toBe(first);
    expect(endpoint.getTerminationFuture()).toBe(first);

    await endpoint.stopCalled.promise;
    expect(endpoint.closeAsync()).toBe(first);
    stopping.resolve();
    await first;
    expect(endpoint.stopCalls).toBe(1);
  });

  test('keeps serving calls while onStop is pending, with isRunning false', async () => {
    const stopping = deferred();
    const endpoint = new LifecycleEndpoint(service, { onStop: () => stopping.promise });
    const gateway = endpoint.getSelfGateway(LifecycleProtocol);
    await endpoint.start();
    expect(await gateway.isRunningNow()).toBe(true);

    const termination = track(endpoint.closeAsync());
    await endpoint.stopCalled.promise;
    expect(await gateway.isRunningNow()).toBe(false);
    expect(await gateway.getValue()).toBe(0);
    expect(termination.settled).toBe(false);

    stopping.resolve();
    await endpoint.getTerminationFuture();
  });

  test('fails an ask through an earlier gateway at once after termination, not by timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const slowService = new NactRpcService({ name: 'slow', askTimeoutMs: 3_600_000, logger });
    try {
      const endpoint = new LifecycleEndpoint(slowService);
      await endpoint.start();
      const gateway = await slowService.connect(endpoint.getAddress(), LifecycleProtocol);
      await endpoint.closeAsync();

      const answer = track(gateway.getValue());
      await flushMailboxes();
      expect(answer.settled).toBe(true);
      expect(answer.error).toBeInstanceOf(RecipientUnreachableError);
      expect((answer.error as RecipientUnreachableError).code).toBe('RECIPIENT_UNREACHABLE');
      expect((answer.error as Error).message).toContain(endpoint.getAddress());

      gateway.setValue(3);
      expect(logger.find('warn', 'Dropped tell LifecycleGateway.setValue')).toHaveLength(1);
      expect(endpoint.invocations).toBe(0);
    } finally {
      await slowService.closeAsync();
    }
  });

  test('answers asks still queued when onStop completes with RecipientUnreachableError', async () => {
    const stopping = deferred();
    const endpoint = new LifecycleEndpoint(service, { onStop: () => stopping.promise });
    const gateway = endpoint.getSelfGateway(LifecycleProtocol);
    await endpoint.start();
    void endpoint.closeAsync();
    await endpoint.stopCalled.promise;

    // onStop settles first: its continuation runs before the mailbox delivers these asks.
    stopping.resolve();
    const answers = [gateway.getValue(), gateway.getValue(), gateway.getValue()];

    for (const answer of answers) {
      await expect(answer).rejects.toBeInstanceOf(RecipientUnreachableError);
    }
    await endpoint.getTerminationFuture();
    expect(endpoint.invocations).toBe(0);
  });

  test.each([
    [
      'rejects',
      (error: Error): Hook =>
        () =>
          Promise.reject(error),
    ],
    [
      'throws',
      (error: Error): Hook =>
        () => {
          throw error;
        },
    ],
  ])('when onStop %s, the termination future rejects with its error', async (_how, failWith) => {
    const original = new Error('onStop failed on purpose');
    const endpoint = new LifecycleEndpoint(service, { onStop: failWith(original) });
    await endpoint.start();

    await expect(endpoint.closeAsync()).rejects.toBe(original);
    await expect(endpoint.getTerminationFuture()).rejects.toBe(original);
    expect(endpoint.stopCalls).toBe(1);
  });

  test.each([
    [
      'returns the promise the call resolves',
      (stopping: Deferred<void>): Hook =>
        () =>
          stopping.promise,
    ],
    [
      'awaits it in an async function',
      (stopping: Deferred<void>): Hook =>
        async () => {
          await stopping.promise;
          await Promise.resolve();
        },
    ],
  ])(
    'testOnStopFutureCompletionDirectlyTerminatesRpcActor: when onStop %s, asks queued behind the call that completes it are refused',
    async (_how, onStopOf) => {
      const stopping = deferred();
      const endpoint = new LifecycleEndpoint(service, { onStop: onStopOf(stopping) });
      endpoint.completeStop = () => stopping.resolve();
      const gateway = endpoint.getSelfGateway(LifecycleProtocol);
      await endpoint.start();
      const termination = endpoint.closeAsync();
      await endpoint.stopCalled.promise;

      // One batch: the first call completes onStop, the endpoint terminates, the others are refused.
      const first = gateway.finishStop();
      const queued = [gateway.getValue(), gateway.getValue()];
      gateway.setValue(7);

      await expect(first).resolves.toBe(42);
      for (const answer of queued) await expect(answer).rejects.toBeInstanceOf(RecipientUnreachableError);
      await termination;
      expect(endpoint.invocations).toBe(0);
      expect(endpoint.value).toBe(0);
      expect(logger.find('warn', 'setValue')).toHaveLength(1);
    },
  );

  test('terminates a never-started endpoint without calling onStop', async () => {
    const endpoint = new LifecycleEndpoint(service);
    await endpoint.closeAsync();
    expect(endpoint.startCalls).toBe(0);
    expect(endpoint.stopCalls).toBe(0);
  });

  test('calls onStop on close of an endpoint that was started and then stopped', async () => {
    const endpoint = new LifecycleEndpoint(service);
    await endpoint.start();
    await endpoint.stop();
    await endpoint.closeAsync();
    expect(endpoint.stopCalls).toBe(1);
  });

  test('refuses start and stop while terminating and after termination', async () => {
    const stopping = deferred();
    const endpoint = new LifecycleEndpoint(service, { onStop: () => stopping.promise });
    await endpoint.start();
    void endpoint.closeAsync();
    await endpoint.stopCalled.promise;

    await expect(endpoint.start()).rejects.toBeInstanceOf(RpcInvalidStateError);
    await expect(endpoint.start()).rejects.toThrow('TERMINATING');
    await expect(endpoint.stop()).rejects.toBeInstanceOf(RpcInvalidStateError);
    expect(endpoint.startCalls).toBe(1);

    stopping.resolve();
    await endpoint.getTerminationFuture();
    await expect(endpoint.start()).rejects.toBeInstanceOf(RpcInvalidStateError);
    await expect(endpoint.start()).rejects.toMatchObject({ code: 'RPC_INVALID_STATE' });
    await expect(endpoint.stop()).rejects.toBeInstanceOf(RpcInvalidStateError);
    expect(endpoint.startCalls).toBe(1);
    expect(endpoint.stopCalls).toBe(1);
  });

  test('isRunning is true from onStart until onStop begins', async () => {
    const endpoint = new LifecycleEndpoint(service);
    expect(endpoint.isRunning()).toBe(false);
    await endpoint.start();
    expect(endpoint.isRunning()).toBe(true);
    // stop() does not call onStop, so by the documented meaning the endpoint still counts as running.
    await endpoint.stop();
    expect(endpoint.isRunning()).toBe(true);
    await endpoint.start();
    expect(endpoint.isRunning()).toBe(true);
    await endpoint.closeAsync();
    expect(endpoint.isRunning()).toBe(false);
  });

  test('a method whose promise settles after termination still answers its caller', async () => {
    const endpoint = new LifecycleEndpoint(service);
    await endpoint.start();
    const answer = endpoint.getSelfGateway(LifecycleProtocol).answerLater();
    await endpoint.laterEntered.promise;

    await endpoint.closeAsync();
    endpoint.later.resolve('late but delivered');
    expect(await answer).toBe('late but delivered');
  });
});
