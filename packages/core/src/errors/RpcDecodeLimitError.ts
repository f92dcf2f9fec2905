import type { RpcErrorOptions } from './RpcError';
import { RpcSerializationError } from './RpcSerializationError';

/** The limits of a decode budget, as named in `SuperJsonCodecOptions.limits`. */
export type DecodeLimitName = 'maxBigIntDigits' | 'maxDepth' | 'maxStringLength' | 'maxCollectionSize';

/** What an {@link RpcDecodeLimitError} says about the value it refused. */
export interface RpcDecodeLimitErrorOptions extends RpcErrorOptions {
  /** The limit the value is over. */
  readonly limit: DecodeLimitName;
  /** The limit's value: the most that is accepted. */
  readonly max: number;
  /** What the value has (digits, depth, characters, elements), if known. */
  readonly actual?: number | undefined;
}

/**
 * Raised when a codec refuses to decode a value that is over its decode budget (see
 * `DecodeLimits`): a BigInt of too many digits, nesting too deep, a string too long, or an
 * array, object, Map or Set with too many elements. {@link RpcDecodeLimitError.limit} names
 * the limit, {@link RpcDecodeLimitError.max} its value and {@link RpcDecodeLimitError.actual}
 * what was found. Nothing of the value was built: hostile input costs no more than reading it.
 *
 * It is an {@link RpcSerializationError} with its own code, `RPC_DECODE_LIMIT`. A server that
 * refuses a call's arguments answers the ask with it (the method does not run); a caller
 * whose answer is over its own budget fails the ask with it.
 *
 * @example
 * ```ts
 * try { await gateway.sum(hugeBigInt); }
 * catch (error) {
 *   if (isRpcError(error, 'RPC_DECODE_LIMIT')) console.error(`over ${error.limit}`);
 * }
 * ```
 */
export class RpcDecodeLimitError extends RpcSerializationError {
  override readonly code = 'RPC_DECODE_LIMIT' as const;
  /** The limit the value is over: `'maxBigIntDigits'`, `'maxDepth'`, `'maxStringLength'` or `'maxCollectionSize'`. */
  readonly limit: DecodeLimitName;
  /** The limit's value: the most that is accepted. */
  readonly max: number;
  /** What the value has (digits, depth, characters, elements), or `undefined` if unknown. */
  readonly actual: number | undefined;

  /** An error for the limit, maximum and actual value in `options`. */
  constructor(message: string, options: RpcDecodeLimitErrorOptions);
  /**
   * An error that reports `options.cause`, itself an `RpcDecodeLimitError`, in other words
   * (for example "Refused ask P.m to …: …"): its limit, maximum and actual value are kept.
   */
  constructor(message: string, options: RpcErrorOptions & { readonly cause: RpcDecodeLimitError });
  constructor(message: string, options: RpcDecodeLimitErrorOptions | (RpcErrorOptions & { cause: unknown })) {
    super(message, options);
    const source = 'limit' in options ? options : (options.cause as RpcDecodeLimitError);
    this.limit = source.limit;
    this.max = source.max;
    this.actual = source.actual;
  }

  /**
   * The error refusing `what` (for example `'a BigInt of 9000000 digits'`), over `limit`
   * whose value is `max`. Its message reads "Refused to decode: a BigInt of 9000000 digits
   * is over the decode limit maxBigIntDigits (4300)".
   */
  static refusing(what: string, limit: DecodeLimitName, max: number, actual?: number): RpcDecodeLimitError {
    return new RpcDecodeLimitError(`Refused to decode: ${what} is over the decode limit ${limit} (${max})`, {
      limit,
      max,
      actual,
    });
  }
}
