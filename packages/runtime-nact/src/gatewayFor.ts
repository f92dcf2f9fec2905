import type { AnyProtocol, GatewayOf } from '@nact-rpc/core';
import { createGatewayProxy, InterceptingInvoker, type GatewayInvoker } from '@nact-rpc/core/internal';
import type { RuntimeContext } from './RuntimeContext';
import { TracingInvoker } from './telemetry/TracingInvoker';

/**
 * The gateway of `protocol` whose calls go through `invoker`, as the service makes every
 * gateway: through its calling interceptors, if it has any, and inside a client span, if it has
 * telemetry (the span outermost, so that it covers the interceptors). A service with neither
 * gives the invoker to the proxy as it is.
 */
export function gatewayFor(
  context: RuntimeContext,
  protocol: AnyProtocol,
  invoker: GatewayInvoker,
): GatewayOf<AnyProtocol> {
  let wrapped = invoker;
  if (context.callInterceptors.length > 0) {
    wrapped = new InterceptingInvoker(wrapped, protocol.name, context.callInterceptors, context.logger);
  }
  if (context.telemetry !== undefined) wrapped = new TracingInvoker(wrapped, protocol.name, context.telemetry);
  return createGatewayProxy(protocol, wrapped);
}
