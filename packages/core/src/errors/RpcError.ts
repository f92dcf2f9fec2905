/** The stable codes of every nact-rpc error, one for each class of the hierarchy. */
export type RpcErrorCode =
  | 'RPC_ERROR'
  | 'RPC_CONNECTION'
  | 'HANDSHAKE'
  | 'RECIPIENT_UNREACHABLE'
  | 'ENDPOINT_NOT_STARTED'
  | 'RPC_TIMEOUT'
  | 'FENCING_TOKEN'
  | 'RPC_SERIALIZATION'
  | 'RPC_DECODE_LIMIT'
  | 'RPC_INVALID_STATE'
  | 'RPC_INVALID_OPTION'
  | 'RPC_BIND'
  | 'RPC_CANCELLED'
  | 'RPC_DEADLINE_EXCEEDED'
  | 'RPC_PERMISSION_DENIED';

/** Marks nact-rpc errors so that errors from another copy of the package are recognised too. */
const RPC_ERROR_BRAND = Symbol.for('nact-rpc.RpcError');

/** Options accepted by every {@link RpcError} constructor. */
export interface RpcErrorOptions {
  /** The error that caused this one. */
  readonly cause?: unknown;
}

/**
 * The root of nact-rpc's error hierarchy. Every error the framework raises is an
 * `RpcError` with a stable {@link RpcError.code}; errors thrown by a user's RPC
 * method reach the caller unchanged and are not wrapped.
 *
 * @example
 * ```ts
 * try { await gateway.hello(); }
 * catch (error) {
 *   if (isRpcError(error, 'RPC_TIMEOUT')) retryLater();
 * }
 * ```
 */
export class RpcError extends Error {
  /** The stable, machine-readable code of this error class. */
  readonly code: RpcErrorCode = 'RPC_ERROR';

  constructor(message: string, options?: RpcErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

// The brand lives on the prototype, so that errors rebuilt from the wire without running a
// constructor (see errorEnvelope.ts) carry it too.
Object.defineProperty(RpcError.prototype, RPC_ERROR_BRAND, { value: true });

/**
 * Tells whether `error` is a nact-rpc error, optionally of one code. Errors created by
 * another copy of the package (two versions in one process) are recognised as well.
 */
export function isRpcError<TCode extends RpcErrorCode>(
  error: unknown,
  code?: TCode,
): error is RpcError & {
  /** The code asked for. */
  readonly code: TCode;
} {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[RPC_ERROR_BRAND] !== true) return false;
  return code === undefined || (error as RpcError).code === code;
}
