import type { CallInterceptor, Clock, Codec, Logger } from '@nact-rpc/core';
import type { Serving } from './serveCall';
import { telemetryFor, type Telemetry } from './telemetry/Telemetry';
import type { AnswerLimit, PendingCalls } from '@nact-rpc/core/internal';
import type { ResolvedNactRpcServiceOptions } from './NactRpcServiceOptions';
import { ServiceLogs } from './ServiceLogs';

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
  /** What the service does around served calls (interceptors, telemetry); `undefined` for nothing. */
  readonly serving: Serving | undefined;
  /** The service's calling interceptors, the first outermost. */
  readonly callInterceptors: readonly CallInterceptor[];
  /** The service's instrumentation, when a tracer or meter provider was registered. */
  readonly telemetry: Telemetry | undefined;
  /** The service's throttled logs: what peers can cause as often as they like. */
  readonly logs: ServiceLogs;
}

/** The context of a service with `options`, whose pending asks are in `pendingCalls`. */
export function runtimeContext(options: ResolvedNactRpcServiceOptions, pendingCalls: PendingCalls): RuntimeContext {
  const { maxFrameSize } = options.transport;
  const telemetry = telemetryFor(options.telemetry, options.name);
  const serves = options.interceptors.serves ?? [];
  return {
    logger: options.logger,
    clock: options.clock,
    codec: options.codec,
    forceSerialization: options.forceSerialization,
    maxFrameSize,
    localAnswerLimit: { maxFrameBytes: maxFrameSize, overheadBytes: 0, whose: "this service's" },
    pendingCalls,
    serving: serves.length === 0 && telemetry === undefined ? undefined : { interceptors: serves, telemetry },
    callInterceptors: options.interceptors.calls ?? [],
    telemetry,
    logs: new ServiceLogs(options.logger, options.clock, options.name),
  };
}
