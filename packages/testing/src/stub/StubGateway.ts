import {
  FencingTokenError,
  systemClock,
  type AnyProtocol,
  type AskMethod,
  type FencingToken,
  type GatewayOf,
  type Serves,
  type TellMethod,
} from '@nact-rpc/core';
import { createGatewayProxy, type GatewayInvoker } from '@nact-rpc/core/internal';
import {
  checkImplementation,
  checkImplementations,
  checkMethodName,
  checkProtocol,
  stubAddress,
} from './checkStubArguments';
import { StubMethodNotImplementedError } from './StubMethodNotImplementedError';
import type { RecordedCall, StubCallArgs, StubImplementations, StubMethodName, StubTellFailure } from './types';

/** Options of a {@link StubGateway}. */
export interface StubGatewayOptions {
  /**
   * The address the stub's gateway reports, and where a `TestingRpcService` it is registered
   * with answers `connect` with it: a nact-rpc address such as `nact-rpc://cluster/rm`.
   * Default: a new address in the made-up service `stubs`, named after the protocol.
   */
  readonly address?: string | undefined;
}

/** An implementation, as the stub calls it: with the stub's implementations object as `this`. */
type Implementation = (...args: unknown[]) => unknown;

/**
 * A stand-in for an endpoint serving `TProtocol`, for testing a component alone: its
 * {@link StubGateway.gateway} is a gateway of the protocol (it type-checks wherever a real
 * one does), whose calls run the implementations the test gave and are recorded in order.
 *
 * - An ask runs its implementation and answers with its outcome (a value, a promise, or what
 *   it threw). An ask without an implementation rejects with
 *   {@link StubMethodNotImplementedError}, naming the method.
 * - A tell runs its implementation, if it has one; what that throws is kept in
 *   {@link StubGateway.tellFailures}, as a real endpoint would log it. A tell without an
 *   implementation is only recorded.
 * - Every call is recorded when it is made, before its implementation runs, which happens in
 *   a later microtask: as with a real gateway, a call returns before the method runs.
 * - Arguments are passed and recorded by reference, as for an endpoint of the same service;
 *   no timeout applies to a stub's ask.
 *
 * A `TestingRpcService` hands the gateway out to `connect` once the stub is registered with it;
 * a {@link FencedStubGateway} stands in for a fenced endpoint.
 *
 * @example
 * ```ts
 * const jobs = new StubGateway(JobsProtocol, { status: (jobId) => (jobId === 'job-1' ? 'running' : 'done') });
 * const monitor = new JobMonitor(jobs.gateway);
 * await monitor.poll('job-1');
 * expect(jobs.callsOf('status')).toEqual([['job-1']]);
 * ```
 */
export class StubGateway<TProtocol extends AnyProtocol> {
  /** The protocol the stub serves (and the protocols it extends). */
  readonly protocol: TProtocol;
  /** The address its gateway reports. */
  readonly address: string;
  /** The host name its gateway reports: the address's host, or `localhost`. */
  readonly hostname: string;
  private readonly implementations: Map<string, Implementation>;
  /** What `this` is in an implementation: the object the test gave. */
  private readonly implementationsObject: object;
  /** Kept untyped so that a stub of any protocol is a `StubGateway<AnyProtocol>`. */
  private readonly recorded: object[] = [];
  private readonly failedTells: StubTellFailure[] = [];
  private ownGateway: object | undefined;

  /**
   * @param protocol - The protocol to stand in for.
   * @param implementations - Implementations of some of its methods; more can be added with
   *   {@link StubGateway.implement}.
   * @param options - The stub's address.
   * @throws RpcInvalidOptionError naming `protocol`, `implementations.<name>` (not a method of
   *   the protocol, or not a function) or `address`.
   */
  constructor(
    protocol: TProtocol,
    implementations: StubImplementations<TProtocol> = {},
    options: StubGatewayOptions = {},
  ) {
    const where = new.target.name;
    checkProtocol(protocol, where);
    this.protocol = protocol;
    this.implementations = checkImplementations(protocol, implementations, where);
    this.implementationsObject = implementations;
    const { address, hostname } = stubAddress(protocol, (options ?? {}).address, where);
    this.address = address;
    this.hostname = hostname;
  }

  /** A gateway of the protocol whose calls this stub answers and records. */
  get gateway(): GatewayOf<TProtocol> {
    this.ownGateway ??= this.createGateway(undefined);
    return this.ownGateway as GatewayOf<TProtocol>;
  }

  /** Every call the stub's gateways received, in the order they were made. */
  get calls(): readonly RecordedCall<TProtocol>[] {
    return this.recorded as RecordedCall<TProtocol>[];
  }

  /** The tells whose implementation threw or rejected, in order. */
  get tellFailures(): readonly StubTellFailure[] {
    return this.failedTells;
  }

  /**
   * The arguments of every call of `method`, in order: `stub.callsOf('register')` is
   * `[[firstCallArgs...], [secondCallArgs...]]`.
   * @throws RpcInvalidOptionError if `method` is not a method of the protocol.
   */
  callsOf<TMethodName extends StubMethodName<TProtocol>>(
    method: TMethodName,
  ): readonly StubCallArgs<TProtocol, TMethodName>[] {
    checkMethodName(this.protocol, method, 'method', `${this.constructor.name}.callsOf`);
    return this.calls
      .filter((call) => call.method === method)
      .map((call) => call.args as StubCallArgs<TProtocol, TMethodName>);
  }

  /** Forgets the calls recorded so far (not the tell failures). */
  clearCalls(): void {
    this.recorded.length = 0;
  }

  /**
   * Gives `method` an implementation, or replaces the one it has; calls made from now on run it.
   * @throws RpcInvalidOptionError if `method` is not a method of the protocol or
   *   `implementation` not a function.
   */
  implement<TMethodName extends StubMethodName<TProtocol>>(
    method: TMethodName,
    implementation: Serves<TProtocol>[TMethodName],
  ): this {
    const where = `${this.constructor.name}.implement`;
    checkMethodName(this.protocol, method, 'method', where);
    this.implementations.set(method, checkImplementation(implementation, 'implementation', where));
    return this;
  }

  /**
   * A new gateway object answered by this stub. `fencingToken` is given for a fenced gateway:
   * the token its calls carry, read at every call.
   */
  protected createGateway(fencingToken: (() => FencingToken | undefined) | undefined): object {
    return createGatewayProxy(this.protocol, this.invoker(fencingToken));
  }

  /** The record of a call; a fenced stub adds the token it carried. */
  protected describeCall(method: string, args: unknown[], _fencingToken: FencingToken | undefined): object {
    return { method, args };
  }

  /**
   * Why a call carrying `fencingToken` is refused, or `undefined` if it may run. A stub that
   * is not fenced runs every call.
   */
  protected refusal(_fencingToken: FencingToken | undefined): string | undefined {
    return undefined;
  }

  private invoker(fencingToken: (() => FencingToken | undefined) | undefined): GatewayInvoker {
    const invoker: GatewayInvoker = {
      address: this.address,
      hostname: this.hostname,
      clock: systemClock,
      tell: (methodName: string, _method: TellMethod<never>, args: unknown[]) => {
        this.receiveTell(methodName, args, fencingToken?.());
      },
      ask: (methodName: string, _method: AskMethod<never, unknown>, args: unknown[]) =>
        this.receiveAsk(methodName, args, fencingToken?.()),
    };
    return fencingToken === undefined ? invoker : { ...invoker, fencingToken };
  }

  private receiveAsk(methodName: string, args: unknown[], fencingToken: FencingToken | undefined): Promise<unknown> {
    this.record(methodName, args, fencingToken);
    const refusal = this.refusal(fencingToken);
    if (refusal !== undefined) return Promise.reject(this.fencingError(methodName, refusal));
    const implementation = this.implementations.get(methodName);
    if (implementation === undefined) {
      return Promise.reject(new StubMethodNotImplementedError(this.protocol.name, methodName, this.address));
    }
    return Promise.resolve().then(() => implementation.apply(this.implementationsObject, args));
  }

  private receiveTell(methodName: string, args: unknown[], fencingToken: FencingToken | undefined): void {
    this.record(methodName, args, fencingToken);
    // A refused tell is dropped, as a fenced endpoint drops it; the record keeps its token.
    if (this.refusal(fencingToken) !== undefined) return;
    const implementation = this.implementations.get(methodName);
    if (implementation === undefined) return;
    Promise.resolve()
      .then(() => implementation.apply(this.implementationsObject, args))
      .then(undefined, (error: unknown) => {
        this.failedTells.push({ method: methodName, error });
      });
  }

  private record(methodName: string, args: unknown[], fencingToken: FencingToken | undefined): void {
    this.recorded.push(this.describeCall(methodName, args, fencingToken));
  }

  private fencingError(methodName: string, refusal: string): FencingTokenError {
    return new FencingTokenError(
      `${this.protocol.name}.${methodName} at ${this.address} (a stub gateway) was refused: ${refusal}`,
    );
  }
}
