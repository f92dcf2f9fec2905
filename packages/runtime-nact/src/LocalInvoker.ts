import {
  RecipientUnreachableError,
  type AskMethod,
  type Clock,
  type FencingToken,
  type TellMethod,
} from '@nact-rpc/core';
import {
  callInfoOf,
  type CallInfo,
  type GatewayInvoker,
  type OutgoingCallInfo,
  type InvocationMessage,
  type ReplyTo,
  type RpcMessage,
  tryEncodeArguments,
  type ArgumentsEncoding,
} from '@nact-rpc/core/internal';
import type { NactRpcServer } from './NactRpcServer';
import type { RuntimeContext } from './RuntimeContext';

/**
 * Turns the calls of a gateway to an endpoint of the same service into messages in the
 * endpoint's mailbox. Arguments travel by reference, unless the service forces
 * serialization (and the method is not local-only).
 */
export class LocalInvoker implements GatewayInvoker {
  readonly address: string;
  readonly hostname: string;
  readonly clock: Clock;
  readonly fencingToken?: () => FencingToken | undefined;
  private readonly targets = new Map<string, string>();

  constructor(
    private readonly context: RuntimeContext,
    private readonly server: NactRpcServer,
    private readonly protocolName: string,
    fencingToken: (() => FencingToken | undefined) | undefined,
  ) {
    this.address = server.getAddress();
    this.hostname = server.getHostname();
    this.clock = context.clock;
    if (fencingToken !== undefined) this.fencingToken = fencingToken;
  }

  tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void {
    const { logger } = this.context;
    const target = this.targetOf(methodName);
    const encoded = this.encodeArgs(target, method.local, args);
    if (encoded?.ok === false) {
      logger.error(`Dropped tell ${target} to ${this.address}: ${encoded.reason}`, { error: encoded.error });
      return;
    }
    if (!this.server.post(this.fence(this.invocation(methodName, args, encoded?.bytes, undefined, callInfoOf(call))))) {
      // Throttled: a loop telling an endpoint that has gone writes ten lines, then a count.
      this.context.logs.droppedMessages.write(
        `Dropped tell ${target} to ${this.address}: the endpoint has terminated.`,
      );
    }
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown> {
    const { pendingCalls, codec } = this.context;
    const target = this.targetOf(methodName);
    const encoded = this.encodeArgs(target, method.local, args);
    if (encoded?.ok === false) return Promise.reject(encoded.error);
    const encodedArgs = encoded?.bytes;
    const registered = pendingCalls.registerCall(
      target,
      this.address,
      timeoutMs,
      encodedArgs === undefined ? undefined : codec,
      call?.deadline,
      call?.signal,
    );
    // Cancelled before it was made: nothing to send.
    if (registered.done === true) return registered.promise;
    if (!this.server.post(this.fence(this.invocation(methodName, args, encodedArgs, registered, callInfoOf(call))))) {
      pendingCalls.fail(
        registered.callId,
        new RecipientUnreachableError(
          `Could not deliver ask ${target} to ${this.address}: the endpoint has terminated ` +
            `(it was closed, or its service shut down).`,
        ),
      );
    }
    return registered.promise;
  }

  /** `Protocol.method`, made once per method. */
  private targetOf(methodName: string): string {
    let target = this.targets.get(methodName);
    if (target === undefined) {
      target = `${this.protocolName}.${methodName}`;
      this.targets.set(methodName, target);
    }
    return target;
  }

  /** Serializes the arguments when the service forces serialization and the method is not local-only. */
  private encodeArgs(target: string, localOnly: boolean, args: unknown[]): ArgumentsEncoding | undefined {
    if (!this.context.forceSerialization || localOnly) return undefined;
    const { codec, maxFrameSize } = this.context;
    return tryEncodeArguments(codec, args, target, this.address, maxFrameSize);
  }

  /** A local invocation, or a serialized one when the arguments were encoded; the answer comes back the same way. */
  private invocation(
    methodName: string,
    args: unknown[],
    encodedArgs: Uint8Array | undefined,
    replyTo: ReplyTo | undefined,
    call: CallInfo | undefined,
  ): InvocationMessage {
    return encodedArgs === undefined
      ? { kind: 'invoke', protocol: this.protocolName, method: methodName, args, replyTo, call }
      : { kind: 'invokeSerialized', protocol: this.protocolName, method: methodName, encodedArgs, replyTo, call };
  }

  private fence(message: InvocationMessage): RpcMessage {
    return this.fencingToken === undefined ? message : { kind: 'fenced', token: this.fencingToken(), payload: message };
  }
}
