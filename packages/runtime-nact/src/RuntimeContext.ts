import type { Codec, Logger } from '@nact-rpc/core';
import type { PendingCalls } from './PendingCalls';

/** What a service shares with its servers, actors and gateways. */
export interface RuntimeContext {
  readonly logger: Logger;
  readonly codec: Codec;
  /** Round-trip local arguments and results through the codec, as if they crossed the wire. */
  readonly forceSerialization: boolean;
  /** The service's table of pending asks. */
  readonly pendingCalls: PendingCalls;
}
