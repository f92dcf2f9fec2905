import type { FencingToken } from '../endpoint/FencingToken';
import type { MainThreadExecutor } from '../endpoint/MainThreadExecutor';
import type { AnyProtocol } from '../protocol/Protocol';
import type { FencedGatewayOf, GatewayOf } from '../protocol/types';
import type { ScheduledTask } from './ScheduledTask';

/**
 * Whether work an endpoint schedules for itself is tied to its current fencing token. It
 * matters only for fenced endpoints: `'fenced'` work is dropped (a `callAsync` is refused) if
 * the token changed between scheduling and running; `'unfenced'` work always runs.
 */
export type SelfFencing = 'fenced' | 'unfenced';

/**
 * The runtime's side of one endpoint: created by `RpcService.startServer` when the endpoint
 * is constructed. It drives the endpoint's lifecycle and runs work in its main thread.
 * Applications use it through the `RpcEndpoint` methods.
 */
export interface RpcServer {
  /** The endpoint's address. */
  getAddress(): string;
  /** The endpoint's host name. */
  getHostname(): string;
  /** Starts processing messages; resolves once `onStart` completed. */
  start(): Promise<void>;
  /** Stops processing messages (without terminating); resolves once stopped. */
  stop(): Promise<void>;
  /** Terminates the endpoint; returns the termination future. */
  closeAsync(): Promise<void>;
  /** Settles when the endpoint has terminated: rejects if `onStart` or `onStop` failed. */
  getTerminationFuture(): Promise<void>;
  /** A gateway whose calls go through the endpoint's own mailbox. */
  getSelfGateway<TProtocol extends AnyProtocol>(
    protocol: TProtocol,
  ): GatewayOf<TProtocol> | FencedGatewayOf<TProtocol, FencingToken>;
  /** Runs `fn` in a later turn of the main thread. */
  runAsync(fn: () => unknown, fencing: SelfFencing): void;
  /** Runs `fn` in the main thread and returns its result, or fails after `timeoutMs`. */
  callAsync<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    timeoutMs: number,
    fencing: SelfFencing,
  ): Promise<TResult>;
  /** Runs `fn` in the main thread after `delayMs`; the task's `result` gives what it returned. */
  scheduleRunAsync<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    delayMs: number,
    fencing: SelfFencing,
  ): ScheduledTask<TResult>;
  /** The executor form of the three methods above. */
  getMainThreadExecutor(fencing: SelfFencing): MainThreadExecutor;
  /** Whether the caller runs in a turn of this endpoint's main thread. */
  isInMainThread(): boolean;
}
