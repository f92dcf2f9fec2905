import {
  ask,
  defineProtocol,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  RpcTimeoutError,
  serves,
  tell,
  type GatewayOf,
} from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

const CallsProtocol = defineProtocol('CallsGateway', {
  record: tell<[value: number]>(),
  failInTell: tell<[how: 'throw' | 'reject']>(),
  echo: ask<[value: string], string>(),
  echoLater: ask<[value: string], string>(),
  answerNull: ask<[], null>(),
  answerUndefined: ask<[], undefined>(),
  throwFailure: ask<[], string>(),
  rejectFailure: ask<[], string>(),
  hang: ask<[], string>(),
  waitFor: ask<[x: number, timeoutMs?: number], number>({ timeoutArg: 1 }),
  answerLater: ask<[timeoutMs?: number], string>({ timeoutArg: 0 }),
});
type CallsGateway = GatewayOf<typeof CallsProtocol>;

@serves(CallsProtocol)
class CallsEndpoint extends RpcEndpoint {
  readonly recorded: number[] = [];
  recordedSignal = deferred<number>();
  /** What throwFailure, rejectFailure and failInTell fail with. */
  failure: unknown = new Error('no failure configured');
  readonly hangEntered = deferred();
  readonly waitForCalls: unknown[][] = [];
  waitForEntered = deferred();
  readonly lateAnswer = deferred<string>();
  readonly lateEntered = deferred();

  record(value: number): void {
    this.recorded.push(value);
    this.recordedSignal.resolve(value);
  }
  failInTell(how: 'throw' | 'reject'): void | Promise<void> {
    if (how === 'throw') throw this.failure;
    return Promise.reject(this.failure);
  }
  echo(value: string): string {
    return value;
  }
  echoLater(value: string): Promise<string> {
    return new Promise((resolve) => setImmediate(() => resolve(`later:${value}`)));
  }
  answerNull(): null {
    return null;
  }
  answerUndefined(): undefined {
    return undefined;
  }
  throwFailure(): string {
    throw this.failure;
  }
  rejectFailure(): Promise<string> {
    return Promise.reject(this.failure);
  }
  hang(): Promise<string> {
    this.hangEntered.resolve();
    return new Promise<string>(() => {});
  }
  waitFor(...args: [x: number, timeoutMs?: number]): Promise<number> {
    this.waitForCalls.push(args);
    this.waitForEntered.resolve();
    return new Promise<number>(() => {});
  }
  answerLater(): Promise<string> {
    this.lateEntered.resolve();
    return this.lateAnswer.promise;
  }
}

const ProtocolWithGap = defineProtocol('GapGateway', {
  present: ask<[], string>(),
  absent: ask<[], string>(),
});

@serves(ProtocolWithGap)
class EndpointWithGap extends RpcEndpoint {
  present(): string {
    return 'here';
  }
  // Declared for the compiler only: at run time the endpoint has no such method.
  declare absent: () => string;
}

function useFakeTimers(): void {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
}

type Settlement<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Observes a promise without leaving its rejection unhandled. */
function observe<T>(promise: Promise<T>): { settled(): boolean; result: Promise<Settlement<T>> } {
  let settled = false;
  const result = promise.then(
    (value): Settlement<T> => {
      settled = true;
      return { ok: true, value };
    },
    (error: unknown): Settlement<T> => {
      settled = true;
      return { ok: false, error };
    },
  );
  return { settled: () => settled, result };
}

/** The error an observed promise failed with; fails the test if it succeeded. */
async function errorOf<T>(observed: { result: Promise<Settlement<T>> }): Promise<unknown> {
  const outcome = await observed.result;
  if (outcome.ok) throw new Error(`expected a failure, got ${String(outcome.value)}`);
  return outcome.error;
}

function failureOf<T>(promise: Promise<T>): Promise<unknown> {
  return errorOf(observe(promise));
}

/** A named caller, so the timeout's stack can be checked for it (Flink's TimeoutCallStackTest). */
function callThatTimesOut(gateway: CallsGateway): Promise<number> {
  return gateway.waitFor(0, 25);
}

/** A named async caller that awaits the call. */
async function awaitCallThatTimesOut(gateway: CallsGateway): Promise<number> {
  return await gateway.waitFor(0, 25);
}

describe('RPC calls', () => {
  let services: NactRpcService[];
  let logger: RecordingLogger;

  function newService(options: NactRpcServiceOptions = {}): NactRpcService {
    const service = new NactRpcService({ logger, ...options });
    services.push(service);
    return service;
  }

  async function startCalls(
    options: NactRpcServiceOptions = {},
  ): Promise<{ endpoint: CallsEndpoint; gateway: CallsGateway }> {
    const service = newService(options);
    const endpoint = new CallsEndpoint(service);
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), CallsProtocol);
    return { endpoint, gateway };
  }

  beforeEach(() => {
    services = [];
    logger = new RecordingLogger();
  });
  afterEach(async () => {
    await Promise.all(services.map((service) => service.closeAsync()));
    jest.useRealTimers();
  });

  test('a tell returns undefined at once and runs the method afterwards', async () => {
    const { endpoint, gateway } = await startCalls();
    const returned: unknown = gateway.record(7);
    expect(returned).toBeUndefined();
    expect(endpoint.recorded).toEqual([]);
    await expect(endpoint.recordedSignal.promise).resolves.toBe(7);
    expect(endpoint.recorded).toEqual([7]);
  });

  test('an ask resolves with the value the method returned', async () => {
    const { gateway } = await startCalls();
    await expect(gateway.echo('hello')).resolves.toBe('hello');
  });

  test('an ask resolves with the value of the promise the method returned', async () => {
    const { gateway } = await startCalls();
    await expect(gateway.echoLater('hi')).resolves.toBe('later:hi');
  });

  test('null and undefined results arrive as null and undefined', async () => {
    const { gateway } = await startCalls();
    await expect(gateway.answerNull()).resolves.toBeNull();
    await expect(gateway.answerUndefined()).resolves.toBeUndefined();
  });

  test('an error thrown synchronously by the method reaches the caller as the same object', async () => {
    const { endpoint, gateway } = await startCalls();
    const failure = new Error('my super specific test exception');
    endpoint.failure = failure;
    await expect(gateway.throwFailure()).rejects.toBe(failure);
  });

  test('the error of a promise the method returned reaches the caller as the same object', async () => {
    const { endpoint, gateway } = await startCalls();
    const failure = new TypeError('some test');
    endpoint.failure = failure;
    await expect(gateway.rejectFailure()).rejects.toBe(failure);
  });

  test('a thrown value that is not an Error reaches the caller as that value', async () => {
    const { endpoint, gateway } = await startCalls();
    endpoint.failure = 'a plain string';
    await expect(gateway.throwFailure()).rejects.toBe('a plain string');
    await expect(gateway.rejectFailure()).rejects.toBe('a plain string');
  });

  test.each(['throw', 'reject'] as const)(
    'a tell whose method fails (%s) is logged at error and later calls still run',
    async (how) => {
      const { endpoint, gateway } = await startCalls();
      const failure = new Error(`tell exploded by ${how}`);
      endpoint.failure = failure;
      gateway.failInTell(how);
      await expect(gateway.echo('after')).resolves.toBe('after');

      const entries = logger.find('error', 'CallsGateway.failInTell');
      expect(entries).toHaveLength(1);
      expect(entries[0]?.message).toContain(`tell exploded by ${how}`);
      expect(entries[0]?.details?.['error']).toBe(failure);

      gateway.record(3);
      await expect(endpoint.recordedSignal.promise).resolves.toBe(3);
      expect(endpoint.recorded).toEqual([3]);
    },
  );

  test('tells that keep failing are logged ten at a time at error, then counted; the rest at debug', async () => {
    const { endpoint, gateway } = await startCalls();
    endpoint.failure = new Error('tell exploded');
    for (let i = 0; i < 100; i++) gateway.failInTell('throw');
    await expect(gateway.echo('after')).resolves.toBe('after');

    expect(logger.find('error', 'CallsGateway.failInTell')).toHaveLength(10);
    expect(logger.find('debug', 'CallsGateway.failInTell')).toHaveLength(90);
    await Promise.all(services.map((service) => service.closeAsync()));
    expect(logger.find('error', 'more tells failed')).toEqual([
      expect.objectContaining({ message: '90 more tells failed in 10 s (not logged one by one).' }),
    ]);
  });

  test('awaiting a gateway resolves to the gateway, which has no then', async () => {
    const { endpoint, gateway } = await startCalls();
    expect('then' in gateway).toBe(false);
    // Awaiting a non-thenable is the point: it must resolve to the gateway, not hang.
    // eslint-disable-next-line @typescript-eslint/await-thenable
    const awaited = await gateway;
    expect(awaited).toBe(gateway);
    const self = endpoint.getSelfGateway(CallsProtocol);
    expect('then' in self).toBe(false);
    // eslint-disable-next-line @typescript-eslint/await-thenable -- as above, for the self gateway
    expect(await self).toBe(self);
  });

  test('an ask that is never answered fails with RpcTimeoutError after the default 10 000 ms', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls();
    const call = observe(gateway.hang());
    await endpoint.hangEntered.promise;

    await jest.advanceTimersByTimeAsync(9_999);
    expect(call.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = (await errorOf(call)) as RpcTimeoutError;

    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.code).toBe('RPC_TIMEOUT');
    expect(error.timeoutMs).toBe(10_000);
    expect(error.message).toContain('CallsGateway.hang');
    expect(error.message).toContain(endpoint.getAddress());
    expect(error.message).toContain('timed out after 10000 ms');
  });

  test('a service-wide askTimeoutMs replaces the default timeout', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls({ askTimeoutMs: 50 });
    const call = observe(gateway.hang());
    await endpoint.hangEntered.promise;

    await jest.advanceTimersByTimeAsync(49);
    expect(call.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await errorOf(call);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).timeoutMs).toBe(50);
    expect((error as RpcTimeoutError).message).toContain('timed out after 50 ms');
  });

  test('the timeout argument of a call replaces the default and is passed to the method', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls({ askTimeoutMs: 3_600_000 });
    const call = observe(gateway.waitFor(1, 20));
    await endpoint.waitForEntered.promise;
    expect(endpoint.waitForCalls).toEqual([[1, 20]]);

    await jest.advanceTimersByTimeAsync(19);
    expect(call.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = (await errorOf(call)) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.timeoutMs).toBe(20);
    expect(error.message).toContain('CallsGateway.waitFor');
    expect(error.message).toContain('timed out after 20 ms');
  });

  test('an undefined timeout argument falls back to the service default', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls({ askTimeoutMs: 3_600_000 });
    const call = observe(gateway.waitFor(2));
    await endpoint.waitForEntered.promise;
    expect(endpoint.waitForCalls).toEqual([[2]]);

    await jest.advanceTimersByTimeAsync(3_599_999);
    expect(call.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = (await errorOf(call)) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.timeoutMs).toBe(3_600_000);
  });

  test.each([-1, Number.NaN])(
    'a timeout argument of %p rejects with RpcInvalidOptionError without calling the method',
    async (timeout) => {
      const { endpoint, gateway } = await startCalls();
      const error = await failureOf(gateway.waitFor(3, timeout));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).message).toContain('CallsGateway.waitFor: invalid arguments[');
      expect((error as RpcInvalidOptionError).message).toContain(`got ${String(timeout)}.`);
      await expect(gateway.echo('barrier')).resolves.toBe('barrier');
      expect(endpoint.waitForCalls).toEqual([]);
    },
  );

  test('the stack of a timeout error shows the async function that awaits the call, at no cost per call', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls();
    const call = observe(awaitCallThatTimesOut(gateway));
    await endpoint.waitForEntered.promise;
    await jest.advanceTimersByTimeAsync(25);
    const error = (await errorOf(call)) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.stack).toMatch(/^RpcTimeoutError: Invocation of CallsGateway\.waitFor/);
    expect(error.stack).toContain('awaitCallThatTimesOut');
  });

  test('with captureAskCallStack the stack of a timeout error shows the synchronous caller too', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls({ captureAskCallStack: true });
    const call = observe(callThatTimesOut(gateway));
    await endpoint.waitForEntered.promise;
    await jest.advanceTimersByTimeAsync(25);
    const error = (await errorOf(call)) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.stack).toMatch(/^RpcTimeoutError: Invocation of CallsGateway\.waitFor/);
    expect(error.stack).toContain('callThatTimesOut');
  });

  test('without captureAskCallStack an ask still times out', async () => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls({ captureAskCallStack: false });
    const call = observe(callThatTimesOut(gateway));
    await endpoint.waitForEntered.promise;
    await jest.advanceTimersByTimeAsync(25);
    const error = (await errorOf(call)) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.code).toBe('RPC_TIMEOUT');
    expect(error.timeoutMs).toBe(25);
    expect(error.message).toContain('timed out after 25 ms');
  });

  // An unhandled rejection would fail the test (jest reports it), so settling late is checked too.
  test.each(['resolve', 'reject'] as const)('an answer that arrives after the timeout (%s) is ignored', async (how) => {
    useFakeTimers();
    const { endpoint, gateway } = await startCalls();
    const call = observe(gateway.answerLater(20));
    await endpoint.lateEntered.promise;
    await jest.advanceTimersByTimeAsync(20);
    const timeout = await errorOf(call);
    expect(timeout).toBeInstanceOf(RpcTimeoutError);

    if (how === 'resolve') endpoint.lateAnswer.resolve('too late');
    else endpoint.lateAnswer.reject(new Error('too late'));
    await expect(gateway.echo('still alive')).resolves.toBe('still alive');
    await expect(gateway.echoLater('x')).resolves.toBe('later:x');
    expect(await errorOf(call)).toBe(timeout);
    expect(logger.find('error', '')).toEqual([]);
  });

  test('start() fails with RpcInvalidStateError naming a protocol method the endpoint lacks', async () => {
    const service = newService();
    const endpoint = new EndpointWithGap(service);
    const error = await failureOf(endpoint.start());
    expect(error).toBeInstanceOf(RpcInvalidStateError);
    expect((error as RpcInvalidStateError).code).toBe('RPC_INVALID_STATE');
    expect((error as Error).message).toContain('absent');
    expect((error as Error).message).toContain('GapGateway');
    await expect(endpoint.getTerminationFuture()).rejects.toBe(error);
  });
});
