import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { DecodeLimitName } from '../errors/RpcDecodeLimitError';

/**
 * The decode budget of a {@link SuperJsonCodec}: what a received value may hold. A value over
 * any limit is refused with an `RpcDecodeLimitError` naming the limit, before anything of it is
 * built, so that one hostile frame can neither block the event loop nor overflow the stack.
 * Each limit is a whole number from 1 up; leave one out for its default.
 *
 * Values are measured as they are written: in the superjson format a Map is an array of
 * `[key, value]` pairs, so its entries count as elements of an array and each Map level as
 * two levels of nesting.
 */
export interface DecodeLimits {
  /**
   * The most digits of one BigInt. Default 4,300 (Python's limit on converting a string to an
   * int): parsing a BigInt takes time that grows faster than its length, about 2 s for 9
   * million digits.
   */
  readonly maxBigIntDigits?: number | undefined;
  /**
   * How deep arrays, objects, Maps and Sets may nest: `[]` is 1 deep, `[[]]` 2. Default 1,000,
   * which superjson decodes (and nact-rpc re-encodes) well within Node's default stack. Much
   * higher values may overflow the stack inside superjson.
   */
  readonly maxDepth?: number | undefined;
  /**
   * The most characters (UTF-16 code units) of one string, object keys included. Default
   * 10,485,760 (10 Mi): no string that fits in a frame of the transport's default maximum
   * size (10 MiB) is refused.
   */
  readonly maxStringLength?: number | undefined;
  /**
   * The most elements of one array, object (its keys), Map (its entries) or Set. Default
   * 1,000,000: a frame of the default maximum size holds at most about 5 million. Typed
   * arrays and Buffers are not counted: their bytes are in the frame, which bounds them.
   */
  readonly maxCollectionSize?: number | undefined;
}

/** {@link DecodeLimits} with every limit set. */
export type ResolvedDecodeLimits = { readonly [name in DecodeLimitName]: number };

/** The limits a {@link SuperJsonCodec} applies when its options leave them out. */
export const DEFAULT_DECODE_LIMITS: ResolvedDecodeLimits = Object.freeze({
  maxBigIntDigits: 4_300,
  maxDepth: 1_000,
  maxStringLength: 10 * 1024 * 1024,
  maxCollectionSize: 1_000_000,
});

const LIMIT_NAMES = Object.keys(DEFAULT_DECODE_LIMITS) as DecodeLimitName[];

/**
 * The limits of `limits` with defaults for those left out.
 * @throws RpcInvalidOptionError naming `limits` or `limits.<name>` if it is not an object, names
 *   a limit that does not exist, or a limit is not a whole number from 1 up.
 */
export function resolveDecodeLimits(limits: DecodeLimits | undefined, where: string): ResolvedDecodeLimits {
  if (limits === undefined) return DEFAULT_DECODE_LIMITS;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw RpcInvalidOptionError.forValue(
      'limits',
      limits,
      'an object of decode limits such as { maxDepth: 100 }',
      where,
    );
  }
  for (const key of Object.keys(limits)) {
    if (!(LIMIT_NAMES as string[]).includes(key)) {
      const accepted = `no such limit (the limits are ${LIMIT_NAMES.join(', ')})`;
      throw RpcInvalidOptionError.forValue(`limits.${key}`, (limits as Record<string, unknown>)[key], accepted, where);
    }
  }
  const resolved: Record<DecodeLimitName, number> = { ...DEFAULT_DECODE_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value: unknown = limits[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw RpcInvalidOptionError.forValue(`limits.${name}`, value, 'a whole number from 1 up', where);
    }
    resolved[name] = value;
  }
  return Object.freeze(resolved);
}
