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
  type MainThreadExecutor,
  type ScheduledTask,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { flushMailboxes } from '@nact-rpc/testing';

const WorkProtocol = defineProtocol('WorkGateway', {
  touch: tell<[]>(),
  touchAsk: ask<[], number>(),
  sequence: tell<[n: number]>(),
  checkMainThread: ask<[], string>(),
  checkAfterAwait: ask<[], string>(),
  slow: ask<[], string>(),
  fast: ask<[], string>(),
});

/**
 * An endpoint that records every entry into its main thread and counts violations: an entry
 * while another piece of its work is still running, or work running outside the main thread.
 */
@serves(WorkProtocol)
class WorkEndpoint extends RpcEndpoint {
  private inside = false;
  violations = 0;
  tellsRun = 0;
  asksRun = 0;
  runAsyncRun = 0;
  nestedRun = 0;
  readonly sequenced: number[] = [];
  /** What validateRunsInMainThread did in onStart: 'passed', or the error. */
  onStartCheck: unknown;
  readonly slowGate = deferred<string>();
  readonly slowEntered = deferred();

  protected override onStart(): void {
    this.onStartCheck = this.mainThreadCheck();
  }

  /** Runs `fn` under the concurrency guard (Flink AsyncCallsTest's tryLock). */
  guarded<T>(fn: () => T): T {
    if (this.inside || this.mainThreadCheck() !== 'passed') this.violations++;
    this.inside = true;
    try {
      return fn();
    } finally {
      this.inside = false;
    }
  }

  /** 'passed' if validateRunsInMainThread passes here, otherwise the error it threw. */
  mainThreadCheck(): unknown {
    try {
      this.validateRunsInMainThread();
      return 'passed';
    } catch (error) {
      return error;
    }
  }

  touch(): void {
    this.guarded(() => {
      this.tellsRun++;
      // Must not run now, inside this turn, but in a later one.
      this.runAsync(() => this.guarded(() => this.nestedRun++));
    });
  }
  touchAsk(): number {
    return this.guarded(() => ++this.asksRun);
  }
  sequence(n: number): void {
    this.sequenced.push(n);
  }
  checkMainThread(): string {
    this.validateRunsInMainThread();
    return 'in main thread';
  }
  async checkAfterAwait(): Promise<string> {
    await Promise.resolve();
    this.validateRunsInMainThread();
    return 'in main thread after await';
  }
  async slow(): Promise<string> {
    this.slowEntered.resolve();
    return `slow:${await this.slowGate.promise}`;
  }
  fast(): string {
    return 'fast';
  }

  // Public wrappers of the protected main-thread API.
  run(fn: () => unknown): void {
    this.runAsync(fn);
  }
  call<T>(fn: () => T | PromiseLike<T>, timeoutMs: number): Promise<T> {
    return this.callAsync(fn, timeoutMs);
  }
  schedule(fn: () => unknown, delayMs: number): ScheduledTask {
    return this.scheduleRunAsync(fn, delayMs);
  }
  executor(): MainThreadExecutor {
    return this.getMainThreadExecutor();
  }
  validate(): void {
    this.validateRunsInMainThread();
  }
}

const PingProtocol = defineProtocol('PingGateway', { ping: ask<[], string>(), value: ask<[], string>() });
const PongProtocol = defineProtocol('PongGateway', { pong: ask<[], string>() });

@serves(PingProtocol)
class PingEndpoint extends RpcEndpoint {
  peer!: GatewayOf<typeof PongProtocol>;
  async ping(): Promise<string> {
    return `ping:${await this.peer.pong()}`;
  }
  value(): string {
    return 'a';
  }
}

@serves(PongProtocol)
class PongEndpoint extends RpcEndpoint {
  peer!: GatewayOf<typeof PingProtocol>;
  async pong(): Promise<string> {
    return `pong:${await this.peer.value()}`;
  }
}

function useFakeTimers(): void {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
}

describe('main thread', () => {
  let service: NactRpcService;
  let logger: RecordingLogger;
  let endpoint: WorkEndpoint;
  let gateway: GatewayOf<typeof WorkProtocol>;

  beforeEach(async () => {
    logger = new RecordingLogger();
    service = new NactRpcService({ logger });
    endpoint = new WorkEndpoint(service);
    await endpoint.start();
    gateway = await service.connect(endpoint.getAddress(), WorkProtocol);
  });
  afterEach(async () => {
    await service.closeAsync();
    jest.useRealTimers();
  });

  /** Resolves once every message posted to the endpoint before it has been processed. */
  async function barrier(): Promise<void> {
    await expect(gateway.fast()).resolves.toBe('fast');
  }

  test('10 000 interleaved tells, asks and runAsync calls run one at a time (Flink AsyncCallsTest)', async () => {
    const asks: Promise<number>[] = [];
    let tells = 0;
    let runs = 0;
    for (let i = 0; i < 10_000; i++) {
      if (i % 3 === 0) {
        gateway.touch();
        tells++;
      } else if (i % 3 === 1) {
        endpoint.run(() => endpoint.guarded(() => endpoint.runAsyncRun++));
        runs++;
      } else {
        asks.push(gateway.touchAsk());
      }
    }
    asks.push(gateway.touchAsk());
    const answers = await Promise.all(asks);
    expect(answers).toEqual(asks.map((_, index) => index + 1));

    // Posted after everything above (including the runAsync calls the tells made) has run.
    await expect(endpoint.call(() => endpoint.guarded(() => 'test'), 30_000)).resolves.toBe('test');
    expect(endpoint.violations).toBe(0);
    expect(endpoint.tellsRun).toBe(tells);
    expect(endpoint.nestedRun).toBe(tells);
    expect(endpoint.runAsyncRun).toBe(runs);
    expect(endpoint.asksRun).toBe(asks.length);
  });

  test('10 000 tells from one gateway run in the order they were sent', async () => {
    const expected = Array.from({ length: 10_000 }, (_, i) => i);
    for (const n of expected) gateway.sequence(n);
    await barrier();
    expect(endpoint.sequenced).toEqual(expected);
  });

  test('runAsync work runs in the order it was submitted', async () => {
    const order: number[] = [];
    const expected = Array.from({ length: 10_000 }, (_, i) => i);
    for (const n of expected) endpoint.run(() => order.push(n));
    await endpoint.call(() => undefined, 30_000);
    expect(order).toEqual(expected);
  });

  test('validateRunsInMainThread passes in an RPC method, runAsync and callAsync work and onStart', async () => {
    await expect(gateway.checkMainThread()).resolves.toBe('in main thread');
    await expect(endpoint.call(() => endpoint.mainThreadCheck(), 1_000)).resolves.toBe('passed');
    const inRunAsync = deferred<unknown>();
    endpoint.run(() => inRunAsync.resolve(endpoint.mainThreadCheck()));
    await expect(inRunAsync.promise).resolves.toBe('passed');
    expect(endpoint.onStartCheck).toBe('passed');
  });

  test('validateRunsInMainThread throws RpcInvalidStateError when called directly from outside', () => {
    expect(() => endpoint.validate()).toThrow(RpcInvalidStateError);
    expect(() => endpoint.validate()).toThrow('main thread');
    expect(() => endpoint.checkMainThread()).toThrow(RpcInvalidStateError);
  });

  test('validateRunsInMainThread throws after an await inside an async RPC method', async () => {
    await expect(gateway.checkAfterAwait()).rejects.toBeInstanceOf(RpcInvalidStateError);
  });

  test('scheduleRunAsync runs the work in the main thread once its delay has passed', async () => {
    useFakeTimers();
    const ran = deferred<unknown>();
    let runs = 0;
    endpoint.schedule(() => {
      runs++;
      ran.resolve(endpoint.mainThreadCheck());
    }, 100);
    await jest.advanceTimersByTimeAsync(99);
    await barrier();
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    await expect(ran.promise).resolves.toBe('passed');
    expect(runs).toBe(1);
  });

  test('cancelling a scheduled task keeps it from running', async () => {
    useFakeTimers();
    let runs = 0;
    const task = endpoint.schedule(() => runs++, 100);
    expect(task.cancel()).toBe(true);
    await jest.advanceTimersByTimeAsync(200);
    await barrier();
    expect(runs).toBe(0);
  });

  test('scheduleRunAsync with a negative delay throws an RpcInvalidOptionError naming delayMs', () => {
    expect(() => endpoint.schedule(() => undefined, -1)).toThrow(RpcInvalidOptionError);
    expect(() => endpoint.schedule(() => undefined, -1)).toThrow(
      'scheduleRunAsync: invalid delayMs: expected a number of milliseconds from 0 to 2147483647, got -1.',
    );
  });

  test('scheduleRunAsync with delay 0 runs the work soon', async () => {
    useFakeTimers();
    const ran = deferred<unknown>();
    endpoint.schedule(() => ran.resolve(endpoint.mainThreadCheck()), 0);
    await expect(ran.promise).resolves.toBe('passed');
  });

  test('work scheduled for an endpoint that terminates never runs', async () => {
    useFakeTimers();
    let runs = 0;
    endpoint.schedule(() => runs++, 100);
    await endpoint.closeAsync();
    endpoint.schedule(() => runs++, 100);
    endpoint.schedule(() => runs++, 0);
    await jest.advanceTimersByTimeAsync(1_000);
    await flushMailboxes(5);
    expect(runs).toBe(0);
  });

  test('the main thread executor runs work in the main thread', async () => {
    const executor = endpoint.executor();
    const ran = deferred<unknown>();
    executor.execute(() => {
      executor.assertRunningInMainThread();
      ran.resolve(endpoint.mainThreadCheck());
    });
    await expect(ran.promise).resolves.toBe('passed');
    expect(logger.find('error', '')).toEqual([]);
  });

  test('the main thread executor schedules work like scheduleRunAsync', async () => {
    useFakeTimers();
    const executor = endpoint.executor();
    const ran = deferred<unknown>();
    let runs = 0;
    executor.schedule(() => {
      runs++;
      ran.resolve(endpoint.mainThreadCheck());
    }, 100);
    const cancelled = executor.schedule(() => runs++, 100);
    expect(cancelled.cancel()).toBe(true);
    expect(() => executor.schedule(() => undefined, -5)).toThrow(RpcInvalidOptionError);

    await jest.advanceTimersByTimeAsync(99);
    await barrier();
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    await expect(ran.promise).resolves.toBe('passed');
    await barrier();
    expect(runs).toBe(1);
  });

  test('assertRunningInMainThread throws RpcInvalidStateError outside the main thread', () => {
    expect(() => endpoint.executor().assertRunningInMainThread()).toThrow(RpcInvalidStateError);
  });

  test('callAsync resolves with the value of the work', async () => {
    await expect(endpoint.call(() => 42, 1_000)).resolves.toBe(42);
  });

  test('callAsync rejects with the same error the work threw', async () => {
    const failure = new Error('callAsync failure');
    await expect(
      endpoint.call(() => {
        throw failure;
      }, 1_000),
    ).rejects.toBe(failure);
    const rejection = new Error('callAsync rejection');
    await expect(endpoint.call(() => Promise.reject(rejection), 1_000)).rejects.toBe(rejection);
  });

  test('callAsync resolves with the value of a promise the work returned', async () => {
    await expect(endpoint.call(() => Promise.resolve('from a promise'), 1_000)).resolves.toBe('from a promise');
  });

  test('callAsync fails with RpcTimeoutError when the work does not settle in time', async () => {
    useFakeTimers();
    const entered = deferred();
    let settled = false;
    const outcome = endpoint
      .call(() => {
        entered.resolve();
        return new Promise<never>(() => {});
      }, 50)
      .then(
        () => {
          settled = true;
          return undefined;
        },
        (error: unknown) => {
          settled = true;
          return error;
        },
      );
    await entered.promise;
    await jest.advanceTimersByTimeAsync(49);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).code).toBe('RPC_TIMEOUT');
    expect((error as RpcTimeoutError).timeoutMs).toBe(50);
    expect((error as RpcTimeoutError).message).toContain('timed out after 50 ms');
    expect((error as RpcTimeoutError).message).toContain(endpoint.getAddress());
  });

  test('runAsync work that fails is logged at error and later work still runs', async () => {
    const thrown = new Error('thrown by runAsync work');
    const rejected = new Error('rejected by runAsync work');
    endpoint.run(() => {
      throw thrown;
    });
    endpoint.run(() => Promise.reject(rejected));
    const later = deferred<unknown>();
    endpoint.run(() => later.resolve(endpoint.mainThreadCheck()));
    await expect(later.promise).resolves.toBe('passed');
    await barrier();

    const thrownEntries = logger.find('error', 'thrown by runAsync work');
    expect(thrownEntries).toHaveLength(1);
    expect(thrownEntries[0]?.details?.['error']).toBe(thrown);
    const rejectedEntries = logger.find('error', 'rejected by runAsync work');
    expect(rejectedEntries).toHaveLength(1);
    expect(rejectedEntries[0]?.details?.['error']).toBe(rejected);
  });

  test('a cycle of asks through async methods of two endpoints completes without deadlock', async () => {
    const a = new PingEndpoint(service);
    const b = new PongEndpoint(service);
    await Promise.all([a.start(), b.start()]);
    a.peer = await service.connect(b.getAddress(), PongProtocol);
    b.peer = await service.connect(a.getAddress(), PingProtocol);
    const pingGateway = await service.connect(a.getAddress(), PingProtocol);

    await expect(pingGateway.ping()).resolves.toBe('ping:pong:a');
    const many = await Promise.all(Array.from({ length: 100 }, () => pingGateway.ping()));
    expect(many).toEqual(Array.from({ length: 100 }, () => 'ping:pong:a'));
  });

  test('an async RPC method does not hold the mailbox while it waits', async () => {
    let slowSettled = false;
    const slow = gateway.slow().then((value) => {
      slowSettled = true;
      return value;
    });
    await endpoint.slowEntered.promise;
    await expect(gateway.fast()).resolves.toBe('fast');
    expect(slowSettled).toBe(false);
    endpoint.slowGate.resolve('done');
    await expect(slow).resolves.toBe('slow:done');
  });
});
