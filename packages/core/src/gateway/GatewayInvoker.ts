import type { OutgoingCallInfo } from '../calls/CallInfo';
import type { FencingToken } from '../endpoint/FencingToken';
import type { AskMethod, TellMethod } from '../protocol/methods';
import type { Clock } from '../scheduling/Clock';

/**
 * What a runtime provides to turn gateway calls into messages: one invoker per gateway.
 * {@link createGatewayProxy} builds the typed gateway on top of it, so every runtime shares
 * one proxy implementation.
 */
export interface GatewayInvoker {
  /** The address of the endpoint the calls go to. */
  readonly address: string;
  /** The host name of that endpoint. */
  readonly hostname: string;
  /** The clock of the calling service: a call's `timeoutMs` option counts on it. */
  readonly clock: Clock;
  /**
   * Sends a tell. Never throws: a tell that cannot be delivered is logged and dropped.
   * `call` is what it carries besides its arguments (its signal is ignored), if anything.
   */
  tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void;
  /**
   * Sends an ask and returns its answer. `timeoutMs` is the value of the method's timeout
   * argument, already validated, or `undefined` for the runtime's default. `call` is its
   * signal, deadline, metadata and trace context, if it has any.
   */
  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown>;
  /**
   * The token a fenced gateway sends with each call; read on every call, so that a self
   * gateway follows its endpoint's current token. Absent on unfenced gateways.
   */
  readonly fencingToken?: () => FencingToken | undefined;
}
