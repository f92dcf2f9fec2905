import { checkCallOptions, type CallOptions } from '../calls/CallOptions';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { RpcGateway } from './RpcGateway';
import { createGatewayProxy } from './createGatewayProxy';
import { originOf } from './gatewayOrigins';

/**
 * The same gateway, whose calls carry `options`: a signal that cancels them, a deadline
 * (`timeoutMs` or `deadline`) that travels with them, and metadata. It keeps the gateway's type,
 * so calls stay checked against the protocol. Options add to those the gateway already has:
 * later fields replace earlier ones, and metadata is merged. Making one is cheap; make one per
 * call, or keep one for calls that share options.
 *
 * @throws RpcInvalidOptionError if `gateway` is not a gateway, or an option is malformed.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const report = withCallOptions(jobs, { signal: controller.signal, metadata: { tenant: 'acme' } }).report('job-1');
 * ```
 */
export function withCallOptions<TGateway extends RpcGateway>(gateway: TGateway, options: CallOptions): TGateway {
  const origin = originOf(gateway);
  if (origin === undefined) {
    throw RpcInvalidOptionError.forValue('gateway', gateway, 'a gateway made by an RpcService', 'withCallOptions');
  }
  const added = checkCallOptions(options);
  const previous = origin.options;
  const merged: CallOptions =
    previous === undefined
      ? added
      : {
          ...previous,
          ...definedFields(added),
          metadata:
            previous.metadata === undefined || added.metadata === undefined
              ? (added.metadata ?? previous.metadata)
              : { ...previous.metadata, ...added.metadata },
        };
  if (merged !== added) checkCallOptions(merged);
  return createGatewayProxy(origin.protocol, origin.invoker, merged) as unknown as TGateway;
}

/** The fields of `options` that are set, so that an `undefined` does not clear an earlier value. */
function definedFields(options: CallOptions): CallOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
