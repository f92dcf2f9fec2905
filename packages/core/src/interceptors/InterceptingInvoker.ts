import type { OutgoingCallInfo } from '../calls/CallInfo';
import { checkCallMetadata } from '../calls/callMetadata';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import { RpcInvalidStateError } from '../errors/RpcInvalidStateError';
import { DelegatingInvoker } from '../gateway/DelegatingInvoker';
import type { GatewayInvoker } from '../gateway/GatewayInvoker';
import type { Logger } from '../log/Logger';
import type { AskMethod, TellMethod } from '../protocol/methods';
import type { CallInterceptor, OutgoingCall } from './Interceptor';

/**
 * A gateway invoker that runs a service's {@link CallInterceptor}s around every call of the
 * invoker it wraps, the first interceptor outermost. The metadata interceptors add is checked
 * against the metadata bounds when the call is sent. A tell an interceptor refuses is logged.
 */
export class InterceptingInvoker extends DelegatingInvoker {
  constructor(
    base: GatewayInvoker,
    private readonly protocolName: string,
    private readonly interceptors: readonly CallInterceptor[],
    private readonly logger: Logger,
  ) {
    super(base);
  }

  tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void {
    const outgoing = this.outgoing(methodName, 'tell', args, call);
    this.run(0, outgoing, () => {
      this.base.tell(methodName, method, args, this.withMetadata(call, outgoing));
      return Promise.resolve(undefined);
    }).catch((error: unknown) => {
      this.logger.warn(
        `Dropped tell ${this.protocolName}.${methodName} to ${this.address}: an interceptor refused it: ` +
          `${error instanceof Error ? error.message : String(error)}`,
        { error },
      );
    });
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown> {
    const outgoing = this.outgoing(methodName, 'ask', args, call);
    return this.run(0, outgoing, () =>
      this.base.ask(methodName, method, args, timeoutMs, this.withMetadata(call, outgoing)),
    );
  }

  private outgoing(
    methodName: string,
    kind: 'ask' | 'tell',
    args: unknown[],
    call: OutgoingCallInfo | undefined,
  ): OutgoingCall {
    const outgoing: OutgoingCall = {
      protocol: this.protocolName,
      method: methodName,
      kind,
      address: this.address,
      args,
      metadata: { ...call?.metadata },
      deadline: call?.deadline,
    };
    return outgoing;
  }

  /** Runs interceptor `index` and, through its `next`, the ones after it; the last `next` sends. */
  private run(index: number, call: OutgoingCall, send: () => Promise<unknown>): Promise<unknown> {
    if (index === this.interceptors.length) return send();
    const interceptor = this.interceptors[index] as CallInterceptor;
    let called = false;
    const next = (): Promise<unknown> => {
      if (called) {
        return Promise.reject(
          new RpcInvalidStateError(`An interceptor called next() twice for ${call.protocol}.${call.method}.`),
        );
      }
      called = true;
      return this.run(index + 1, call, send);
    };
    try {
      return Promise.resolve(interceptor(call, next));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The call as it is sent: with the metadata the interceptors left, checked against the bounds. */
  private withMetadata(call: OutgoingCallInfo | undefined, outgoing: OutgoingCall): OutgoingCallInfo | undefined {
    const keys = Object.keys(outgoing.metadata);
    if (keys.length === 0) return call;
    const problem = checkCallMetadata(outgoing.metadata);
    if (problem !== undefined) {
      throw new RpcInvalidOptionError(
        `An interceptor left invalid metadata on ${outgoing.protocol}.${outgoing.method}: ${problem}.`,
        { option: 'metadata' },
      );
    }
    return { ...call, metadata: outgoing.metadata };
  }
}
