import type { OutgoingCallInfo } from '../calls/CallInfo';
import type { FencingToken } from '../endpoint/FencingToken';
import type { AskMethod, TellMethod } from '../protocol/methods';
import type { Clock } from '../scheduling/Clock';
import type { GatewayInvoker } from './GatewayInvoker';

/**
 * An invoker that wraps another around its calls (interceptors, instrumentation): it answers
 * for the same endpoint, clock and fencing token as the invoker it wraps, and sends its calls
 * through it.
 */
export abstract class DelegatingInvoker implements GatewayInvoker {
  readonly address: string;
  readonly hostname: string;
  readonly clock: Clock;
  readonly fencingToken?: () => FencingToken | undefined;

  constructor(protected readonly base: GatewayInvoker) {
    this.address = base.address;
    this.hostname = base.hostname;
    this.clock = base.clock;
    if (base.fencingToken !== undefined) this.fencingToken = base.fencingToken;
  }

  abstract tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void;

  abstract ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown>;
}
