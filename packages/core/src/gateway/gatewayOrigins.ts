import type { CallOptions } from '../calls/CallOptions';
import type { AnyProtocol } from '../protocol/Protocol';
import type { GatewayInvoker } from './GatewayInvoker';

/** What a gateway was made from: enough to make it again with other call options. */
export interface GatewayOrigin {
  readonly protocol: AnyProtocol;
  readonly invoker: GatewayInvoker;
  readonly options: CallOptions | undefined;
}

/** Every gateway made by `createGatewayProxy`, weakly: a gateway no one holds is not kept. */
const origins = new WeakMap<object, GatewayOrigin>();

/** Records what `gateway` was made from. */
export function rememberGateway(gateway: object, origin: GatewayOrigin): void {
  origins.set(gateway, origin);
}

/** What `gateway` was made from, or `undefined` if it is not a gateway of this package. */
export function originOf(gateway: unknown): GatewayOrigin | undefined {
  return typeof gateway === 'object' && gateway !== null ? origins.get(gateway) : undefined;
}
