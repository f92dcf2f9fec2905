import type { Clock, Codec, Logger } from '@nact-rpc/core';
import type { AnswerLimit, PendingCalls } from '@nact-rpc/core/internal';
import type { ResolvedNactRpcServiceOptions } from './NactRpcServiceOptions';

/** What a service shares with its servers, actors and gateways. */
export interface RuntimeContext {
  readonly logger: Logger;
  /** Where timeouts and scheduled work read the time and set their timers. */
  readonly clock: Clock;
  readonly codec: Codec;
  /** Round-trip local arguments and results through the codec, as if they crossed the wire. */
  readonly forceSerialization: boolean;
  /** The largest serialized value (and frame) the service sends, in bytes. */
  readonly maxFrameSize: number;
  /** The limit of answers serialized for local callers (forced serialization): {@link maxFrameSize}, nothing added. */
  readonly localAnswerLimit: AnswerLimit;
  /** The service's table of pending asks. */
  readonly pendingCalls: PendingCalls;
}

/** The context of a service with `options`, whose pending asks are in `pendingCalls`. */
export function runtimeContext(options: ResolvedNactRpcServiceOptions, pendingCalls: PendingCalls): RuntimeContext {
  const { maxFrameSize } = options.transport;
  return {
    logger: options.logger,
    clock: options.clock,
    codec: options.codec,
    forceSerialization: options.forceSerialization,
    maxFrameSize,
    localAnswerLimit: { maxFrameBytes: maxFrameSize, overheadBytes: 0, whose: "this service's" },
    pendingCalls,
  };
}
