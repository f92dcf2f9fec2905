import type { Clock, Codec, Logger } from '@nact-rpc/core';
import type { PendingCalls } from '@nact-rpc/core/internal';

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
  /** The service's table of pending asks. */
  readonly pendingCalls: PendingCalls;
}
