import { RpcInvalidStateError, type MainThreadExecutor, type SelfFencing } from '@nact-rpc/core';
import { scheduleOnce, schedulePeriodic, type SchedulingHost } from './scheduledWork';
import { validateDelay } from './validateDelay';

/** What a main thread executor runs its work through: the endpoint's server. */
export interface ExecutorHost extends SchedulingHost {
  readonly address: string;
  isInMainThread(): boolean;
  /** Logs that work was dropped, the endpoint having terminated. */
  droppedAfterTermination(what: string): void;
}

/**
 * The main thread executor of an endpoint for `fencing`. A fenced executor belongs to the
 * fencing token current when it is made, as Flink's fenced main thread executor: after a
 * leader change, the work it is given is dropped (and its tasks' results reject with
 * `FencingTokenError`); the endpoint hands out a new executor for the new token.
 */
export function createMainThreadExecutor(host: ExecutorHost, fencing: SelfFencing): MainThreadExecutor {
  const fence = host.selfFence(fencing);
  return {
    execute: (fn) => {
      if (!host.post(fence({ kind: 'runAsync', fn }))) host.droppedAfterTermination('main thread executor work');
    },
    schedule: (fn, delayMs) => {
      validateDelay('schedule', delayMs);
      return scheduleOnce(host, fn, delayMs, fence);
    },
    scheduleAtFixedRate: (fn, initialDelayMs, periodMs) =>
      schedulePeriodic(host, fn, initialDelayMs, periodMs, 'fixedRate', fence, 'scheduleAtFixedRate'),
    scheduleWithFixedDelay: (fn, initialDelayMs, delayMs) =>
      schedulePeriodic(host, fn, initialDelayMs, delayMs, 'fixedDelay', fence, 'scheduleWithFixedDelay'),
    assertRunningInMainThread: () => {
      if (!host.isInMainThread()) {
        throw new RpcInvalidStateError(
          `Expected to run in the main thread of the endpoint at ${host.address}, but runs outside it.`,
        );
      }
    },
  };
}
