import {
  RecipientUnreachableError,
  RpcCancelledError,
  RpcInvalidOptionError,
  type Clock,
  type ScheduledTask,
  type SelfFencing,
} from '@nact-rpc/core';
import { MAX_DELAY_MS, type FenceableMessage, type Outcome, type RpcMessage } from '@nact-rpc/core/internal';
import type { ScheduledTimers, TimerHandle } from './ScheduledTimers';
import { TaskResult } from './TaskResult';

/**
 * Wraps the endpoint's own work in the fencing it was scheduled under (see
 * `SchedulingHost.selfFence`).
 */
export type SelfFence = (payload: FenceableMessage) => RpcMessage;

/** What scheduled work needs from where it runs: an endpoint's server, or a service. */
export interface SchedulingHost {
  /** Who runs the work, for messages: `the endpoint at nact-rpc://…`, `service orders`. */
  readonly scheduleOwner: string;
  /** The clock the endpoint's timers run on. */
  readonly clock: Clock;
  /**
   * Wraps the endpoint's own work for `fencing` under the fencing token current now: work
   * belongs to the token of the moment it was scheduled, not of the moment it runs.
   */
  selfFence(fencing: SelfFencing): SelfFence;
  /** Posts a message to the endpoint's mailbox; `false` if the endpoint has terminated. */
  post(message: RpcMessage): boolean;
  /** The endpoint's timers, cancelled when it terminates; `undefined` once it has. */
  scheduledTimers(): ScheduledTimers | undefined;
}

/** How a periodic schedule times its runs: from the first run's time, or from the end of each run. */
export type PeriodicMode = 'fixedRate' | 'fixedDelay';

/** Runs `fn` once in the endpoint's main thread after `delayMs` (already checked), fenced by `fence`. */
export function scheduleOnce<TResult>(
  host: SchedulingHost,
  fn: () => TResult | PromiseLike<TResult>,
  delayMs: number,
  fence: SelfFence,
): ScheduledTask<TResult> {
  const result = new TaskResult<TResult>();
  const message = fence({ kind: 'runAsync', fn, settled: result.settle });
  const post = (): void => {
    if (!host.post(message)) result.fail(terminated(host));
  };
  const timers = delayMs === 0 ? undefined : host.scheduledTimers();
  if (timers === undefined) {
    post();
    return { cancel: () => false, result: result.promise };
  }
  const timer = timers.schedule(post, delayMs, () => result.fail(terminated(host)));
  return {
    cancel: () => {
      if (!timer.cancel()) return false;
      result.fail(new RpcCancelledError(`Scheduled work of ${host.scheduleOwner} was cancelled.`));
      return true;
    },
    result: result.promise,
  };
}

/**
 * Runs `fn` in the endpoint's main thread (fenced by `fence`) after `initialDelayMs`, then every `periodMs`
 * (`fixedRate`: counted from the first run's time; `fixedDelay`: from the end of each run),
 * until cancelled, until a run fails, or until the work is refused (its fencing token was
 * replaced, the endpoint terminated). Runs never overlap: the next is timed once the last
 * has ended (a promise it returned has settled).
 * @throws RpcInvalidOptionError naming `operation` if a delay or the period is invalid.
 */
export function schedulePeriodic(
  host: SchedulingHost,
  fn: () => unknown,
  initialDelayMs: number,
  periodMs: number,
  mode: PeriodicMode,
  fence: SelfFence,
  operation: string,
): ScheduledTask<never> {
  checkPeriod(operation, 'initialDelayMs', initialDelayMs, 0);
  checkPeriod(operation, mode === 'fixedRate' ? 'periodMs' : 'delayMs', periodMs, 1);
  const result = new TaskResult<never>();
  let timer: TimerHandle | undefined;
  let dueAt = host.clock.now() + initialDelayMs;
  const stop = (error: unknown): void => {
    timer?.cancel();
    timer = undefined;
    result.fail(error);
  };
  const arm = (delayMs: number): void => {
    const timers = host.scheduledTimers();
    if (timers === undefined) stop(terminated(host));
    else timer = timers.schedule(run, Math.max(0, delayMs), () => stop(terminated(host)));
  };
  const ran = (outcome: Outcome): void => {
    if (result.settled) return;
    if (!outcome.ok) {
      stop(outcome.error);
    } else if (mode === 'fixedRate') {
      dueAt += periodMs;
      arm(dueAt - host.clock.now());
    } else {
      arm(periodMs);
    }
  };
  const run = (): void => {
    timer = undefined;
    if (result.settled) return;
    if (!host.post(fence({ kind: 'runAsync', fn, settled: ran }))) stop(terminated(host));
  };
  arm(initialDelayMs);
  return {
    cancel: () => {
      if (result.settled) return false;
      stop(new RpcCancelledError(`The ${operation} schedule of ${host.scheduleOwner} was cancelled.`));
      return true;
    },
    result: result.promise,
  };
}

function terminated(host: SchedulingHost): RecipientUnreachableError {
  return new RecipientUnreachableError(`Could not run scheduled work: ${host.scheduleOwner} closed before it ran.`);
}

function checkPeriod(operation: string, argument: string, value: number, min: number): void {
  if (typeof value !== 'number' || !(value >= min) || value > MAX_DELAY_MS) {
    throw RpcInvalidOptionError.forValue(
      argument,
      value,
      `a number of milliseconds from ${min} to ${MAX_DELAY_MS}`,
      operation,
    );
  }
}
