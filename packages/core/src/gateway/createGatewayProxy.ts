import type { AnyMethod } from '../protocol/methods';
import type { AnyProtocol } from '../protocol/Protocol';
import type { FencedGatewayOf, GatewayOf } from '../protocol/types';
import type { FencingToken } from '../endpoint/FencingToken';
import type { CallOptions } from '../calls/CallOptions';
import type { OutgoingCallInfo } from '../calls/CallInfo';
import { inheritedCall, outgoingCall } from '../calls/outgoingCall';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { GatewayInvoker } from './GatewayInvoker';
import { rememberGateway } from './gatewayOrigins';

/**
 * Builds the typed gateway of `protocol` on top of a runtime's invoker: one plain function
 * per protocol method, plus `getAddress`, `getHostname` and, on a fenced gateway,
 * `getFencingToken`. A gateway has no `then`: `defineProtocol` reserves the name, so
 * `await gateway` resolves to the gateway instead of waiting for a call that never comes.
 * Every call carries `options` (see `withCallOptions`), and inherits the deadline of the call
 * being served when it is made.
 *
 * @example
 * ```ts
 * const gateway = createGatewayProxy(HelloProtocol, invoker);
 * await gateway.hello();
 * ```
 */
export function createGatewayProxy<TProtocol extends AnyProtocol>(
  protocol: TProtocol,
  invoker: GatewayInvoker & { readonly fencingToken: () => FencingToken | undefined },
  options?: CallOptions,
): FencedGatewayOf<TProtocol>;
export function createGatewayProxy<TProtocol extends AnyProtocol>(
  protocol: TProtocol,
  invoker: GatewayInvoker,
  options?: CallOptions,
): GatewayOf<TProtocol>;
export function createGatewayProxy(protocol: AnyProtocol, invoker: GatewayInvoker, options?: CallOptions): object {
  const gateway: Record<string, unknown> = {
    getAddress: () => invoker.address,
    getHostname: () => invoker.hostname,
  };
  if (invoker.fencingToken !== undefined) gateway['getFencingToken'] = invoker.fencingToken;
  const { clock } = invoker;
  // What each call carries: a plain gateway's calls only an inherited deadline, if any.
  const carried =
    options === undefined ? inheritedCall : (): OutgoingCallInfo | undefined => outgoingCall(options, clock);

  for (const [methodName, method] of Object.entries<AnyMethod>(protocol.methods)) {
    if (method.kind === 'tell') {
      gateway[methodName] = (...args: unknown[]): void => {
        invoker.tell(methodName, method, args, carried());
      };
    } else if (method.timeoutArg === undefined) {
      gateway[methodName] = (...args: unknown[]): Promise<unknown> =>
        invoker.ask(methodName, method, args, undefined, carried());
    } else {
      const position = method.timeoutArg;
      gateway[methodName] = (...args: unknown[]): Promise<unknown> => {
        const timeout = args[position];
        if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0))) {
          return Promise.reject(
            RpcInvalidOptionError.forValue(
              `arguments[${position}]`,
              timeout,
              'a timeout of 0 or more milliseconds, or undefined for the default',
              `${protocol.name}.${methodName}`,
            ),
          );
        }
        return invoker.ask(methodName, method, args, timeout, carried());
      };
    }
  }
  Object.freeze(gateway);
  rememberGateway(gateway, { protocol, invoker, options });
  return gateway;
}
