import { RpcError } from './RpcError';

/**
 * The error an interceptor throws to refuse a call it does not allow, before the endpoint's
 * method runs (an authorization check): the caller receives it, and the method never ran.
 * Any error an interceptor throws refuses the call; this one says why in a stable `code`.
 *
 * @example
 * ```ts
 * const onlyAdmins: ServeInterceptor = (call, next) => {
 *   if (call.metadata['role'] !== 'admin') throw new RpcPermissionDeniedError(`${call.method} needs role admin`);
 *   return next();
 * };
 * ```
 */
export class RpcPermissionDeniedError extends RpcError {
  override readonly code = 'RPC_PERMISSION_DENIED' as const;
}
