import {
  FencedRpcEndpoint,
  FencingTokenError,
  RecipientUnreachableError,
  RpcCancelledError,
  RpcEndpoint,
  defineProtocol,
  ask,
  serves,
  type MainThreadExecutor,
  type Logger,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { rejectionOf, VirtualClock } from '@nact-rpc/testing';

/**
 * Scheduled work (Flink's RpcEndpointTest scheduling tests, and the main thread executor's
 * ScheduledFuture): one-shot tasks give their result, periodic schedules run at fixed rate or
 * with fixed delay in the main thread, and every task can be cancelled. All on a VirtualClock.
 */
const Tick = defineProtocol('Tick', { ping: ask<[], string>() });

@serves(Tick)
class TickEndpoint extends RpcEndpoint {
  readonly runs: number[] = [];
  ping(): string {
    return 'pong';
  }
  later<T>(fn: () => T | PromiseLike<T>, delayMs: number) {
    return this.scheduleRunAsync(fn, delayMs);
  }
  executor(): MainThreadExecutor {
    return this.getMainThreadExecutor();
  }
  inMainThread(): boolean {
    try {
      this.validateRunsInMainThread();
      return true;
    } catch {
      return false;
    }
  }
}

@serves(Tick)
class FencedTickEndpoint extends FencedRpcEndpoint<string> {
  ping(): string {
    return 'pong';
  }
  executor(): MainThreadExecutor {
    return this.getMainThreadExecutor();
  }
  unfencedExecutor(): MainThreadExecutor {
    return this.getUnfencedMainThreadExecutor();
  }
  changeToken(token: string): Promise<void> {
    return this.callAsyncWithoutFencing(() => this.setFencingToken(token), 1_000);
  }
}

const errors: string[] = [];
const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) };

describe('scheduled work', () => {
  let clock: VirtualClock;
  let service: NactRpcService;
  beforeEach(() => {
    errors.length = 0;
    clock = new VirtualClock({ startMs: 0 });
    service = new NactRpcService({ clock, logger });
  });
  afterEach(() => service.closeAsync());

  async function started<T extends RpcEndpoint>(endpoint: T): Promise<T> {
    await endpoint.start();
    return endpoint;
  }

  test('testScheduleRunAsync: a scheduled task runs in the main thread at its time and its result gives what it returned', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const plain = endpoint.later(() => ({ at: clock.now(), inMainThread: endpoint.inMainThread() }), 100);
    const later = endpoint.later(async () => {
      await Promise.resolve();
      return 'async result';
    }, 200);
    await clock.advance(100);
    await expect(plain.result).resolves.toEqual({ at: 100, inMainThread: true });
    await clock.advance(100);
    await expect(later.result).resolves.toBe('async result');
    expect(plain.cancel()).toBe(false);
  });

  test('a task that throws rejects its result with the error, which is logged too', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const failure = new Error('scheduled work failed on purpose');
    const task = endpoint.later(() => {
      throw failure;
    }, 10);
    await clock.advance(10);
    await expect(task.result).rejects.toBe(failure);
    expect(errors).toEqual([expect.stringContaining('scheduled work failed on purpose')]);
  });

  test('testCancelScheduledRunnable: a cancelled task never runs and its result rejects with RpcCancelledError', async () => {
    const endpoint = await started(new TickEndpoint(service));
    let ran = false;
    const task = endpoint.later(() => (ran = true), 100);
    expect(task.cancel()).toBe(true);
    expect(task.cancel()).toBe(false);
    await clock.advance(200);
    expect(ran).toBe(false);
    await expect(task.result).rejects.toBeInstanceOf(RpcCancelledError);
  });

  test('testScheduleRunnableAfterClose, on purpose unlike Flink: a task whose endpoint terminated rejects with RecipientUnreachableError instead of never completing', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const task = endpoint.later(() => 'never', 1_000);
    await endpoint.closeAsync();
    await expect(task.result).rejects.toBeInstanceOf(RecipientUnreachableError);
    const afterwards = endpoint.later(() => 'never', 0);
    await expect(afterwards.result).rejects.toBeInstanceOf(RecipientUnreachableError);
  });

  test('fixed rate: runs at the initial delay and then every period from it, in the main thread', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const runs: number[] = [];
    const task = endpoint.executor().scheduleAtFixedRate(
      () => {
        expect(endpoint.inMainThread()).toBe(true);
        runs.push(clock.now());
      },
      100,
      50,
    );
    await clock.advance(260);
    expect(runs).toEqual([100, 150, 200, 250]);
    expect(task.cancel()).toBe(true);
    await clock.advance(500);
    expect(runs).toEqual([100, 150, 200, 250]);
    await expect(task.result).rejects.toBeInstanceOf(RpcCancelledError);
  });

  test('fixed rate: a run that ends late does not overlap the next, which starts at once and keeps the rate after', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const starts: number[] = [];
    const task = endpoint.executor().scheduleAtFixedRate(
      async () => {
        starts.push(clock.now());
        // The second run takes 120 ms: past two due times.
        if (starts.length === 2) await new Promise<void>((resolve) => clock.setTimeout(resolve, 120));
      },
      0,
      50,
    );
    await clock.advance(320);
    // 0, 50 (ends at 170), then the runs due at 100 and 150 at once, then on the rate again.
    expect(starts).toEqual([0, 50, 170, 170, 200, 250, 300]);
    task.cancel();
  });

  test('fixed delay: each run starts the delay after the last one ended', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const starts: number[] = [];
    const task = endpoint.executor().scheduleWithFixedDelay(
      async () => {
        starts.push(clock.now());
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 30));
      },
      10,
      100,
    );
    await clock.advance(500);
    expect(starts).toEqual([10, 140, 270, 400]);
    task.cancel();
  });

  test('a periodic run that throws stops the schedule; the error rejects the result and is logged', async () => {
    const endpoint = await started(new TickEndpoint(service));
    const failure = new Error('third run fails');
    let runs = 0;
    const task = endpoint.executor().scheduleWithFixedDelay(
      () => {
        if (++runs === 3) throw failure;
      },
      10,
      10,
    );
    await clock.advance(200);
    expect(runs).toBe(3);
    await expect(task.result).rejects.toBe(failure);
    expect(task.cancel()).toBe(false);
    expect(errors).toHaveLength(1);
  });

  test('a periodic schedule stops when its endpoint terminates', async () => {
    const endpoint = await started(new TickEndpoint(service));
    let runs = 0;
    const task = endpoint.executor().scheduleAtFixedRate(() => runs++, 10, 10);
    await clock.advance(35);
    await endpoint.closeAsync();
    await clock.advance(100);
    expect(runs).toBe(3);
    await expect(task.result).rejects.toBeInstanceOf(RecipientUnreachableError);
  });

  test('refuses a period that is not positive and a negative initial delay, naming them', async () => {
    const executor = (await started(new TickEndpoint(service))).executor();
    expect(() => executor.scheduleAtFixedRate(() => undefined, 0, 0)).toThrow(/periodMs/);
    expect(() => executor.scheduleWithFixedDelay(() => undefined, -1, 10)).toThrow(/initialDelayMs/);
    expect(() => executor.scheduleWithFixedDelay(() => undefined, 0, Number.NaN)).toThrow(/delayMs/);
  });

  describe("on the service's scheduled executor", () => {
    test('scheduleRunnable gives its result; periodic work runs at fixed rate and with fixed delay', async () => {
      const once = service.scheduleRunnable(() => clock.now(), 100);
      const rate: number[] = [];
      const delay: number[] = [];
      const atRate = service.scheduleAtFixedRate(() => rate.push(clock.now()), 0, 100);
      const withDelay = service.scheduleWithFixedDelay(
        async () => {
          delay.push(clock.now());
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 50));
        },
        0,
        100,
      );
      await clock.advance(350);
      await expect(once.result).resolves.toBe(100);
      expect(rate).toEqual([0, 100, 200, 300]);
      expect(delay).toEqual([0, 150, 300]);
      expect(atRate.cancel()).toBe(true);
      await expect(atRate.result).rejects.toBeInstanceOf(RpcCancelledError);
      withDelay.cancel();
    });

    test('closing the service stops its schedules; their results reject with RecipientUnreachableError', async () => {
      let runs = 0;
      const task = service.scheduleWithFixedDelay(() => runs++, 10, 10);
      const later = service.scheduleRunnable(() => 'never', 1_000);
      await clock.advance(25);
      await service.closeAsync();
      await clock.advance(100);
      expect(runs).toBe(2);
      await expect(task.result).rejects.toBeInstanceOf(RecipientUnreachableError);
      await expect(later.result).rejects.toBeInstanceOf(RecipientUnreachableError);
      expect(() => service.scheduleAtFixedRate(() => undefined, 0, 10)).toThrow(/closed/);
    });
  });

  describe('on a fenced endpoint', () => {
    test('periodic work scheduled under one token stops at a leader change', async () => {
      const endpoint = await started(new FencedTickEndpoint(service, 'leader-1'));
      let fencedRuns = 0;
      let unfencedRuns = 0;
      const fenced = endpoint.executor().scheduleAtFixedRate(() => fencedRuns++, 10, 10);
      const unfenced = endpoint.unfencedExecutor().scheduleAtFixedRate(() => unfencedRuns++, 10, 10);
      await clock.advance(30);
      expect([fencedRuns, unfencedRuns]).toEqual([3, 3]);
      await endpoint.changeToken('leader-2');
      await clock.advance(30);
      expect(fencedRuns).toBe(3);
      expect(unfencedRuns).toBe(6);
      expect(await rejectionOf(fenced.result)).toBeInstanceOf(FencingTokenError);
      unfenced.cancel();
    });

    test('a main thread executor obtained before a leader change runs no work afterwards; a new one does', async () => {
      const endpoint = await started(new FencedTickEndpoint(service, 'leader-1'));
      const before = endpoint.executor();
      expect(endpoint.executor()).toBe(before);
      await endpoint.changeToken('leader-2');
      const ran: string[] = [];
      before.execute(() => ran.push('old executor'));
      const oldTask = before.schedule(() => ran.push('old schedule'), 0);
      const after = endpoint.executor();
      expect(after).not.toBe(before);
      after.execute(() => ran.push('new executor'));
      await clock.settle();
      expect(ran).toEqual(['new executor']);
      await expect(oldTask.result).rejects.toBeInstanceOf(FencingTokenError);
    });
  });
});
