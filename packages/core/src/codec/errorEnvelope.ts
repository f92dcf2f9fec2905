import { EndpointNotStartedError } from '../errors/EndpointNotStartedError';
import { FencingTokenError } from '../errors/FencingTokenError';
import { HandshakeError } from '../errors/HandshakeError';
import { RecipientUnreachableError } from '../errors/RecipientUnreachableError';
import { RpcConnectionError } from '../errors/RpcConnectionError';
import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import { RpcError } from '../errors/RpcError';
import { RpcBindError } from '../errors/RpcBindError';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import { RpcInvalidStateError } from '../errors/RpcInvalidStateError';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import { RpcTimeoutError } from '../errors/RpcTimeoutError';
import { RpcCancelledError } from '../errors/RpcCancelledError';
import { RpcDeadlineExceededError } from '../errors/RpcDeadlineExceededError';
import { RpcPermissionDeniedError } from '../errors/RpcPermissionDeniedError';
import type { ErrorClass } from './Codec';

/** An error as plain data, ready for a codec. */
export interface ErrorEnvelope {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: string | number | undefined;
  /** The error's other own enumerable properties. */
  readonly props?: Record<string, unknown> | undefined;
  readonly cause?: ErrorEnvelope | undefined;
  /** The inner errors of an `AggregateError`. */
  readonly errors?: readonly ErrorEnvelope[] | undefined;
}

/** Error classes every codec knows: the JavaScript built-ins and nact-rpc's own hierarchy. */
export const BUILTIN_ERROR_CLASSES: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['AggregateError', AggregateError],
  ['RpcError', RpcError],
  ['RpcConnectionError', RpcConnectionError],
  ['HandshakeError', HandshakeError],
  ['RecipientUnreachableError', RecipientUnreachableError],
  ['EndpointNotStartedError', EndpointNotStartedError],
  ['RpcTimeoutError', RpcTimeoutError],
  ['FencingTokenError', FencingTokenError],
  ['RpcSerializationError', RpcSerializationError],
  ['RpcDecodeLimitError', RpcDecodeLimitError],
  ['RpcInvalidStateError', RpcInvalidStateError],
  ['RpcInvalidOptionError', RpcInvalidOptionError],
  ['RpcBindError', RpcBindError],
  ['RpcCancelledError', RpcCancelledError],
  ['RpcDeadlineExceededError', RpcDeadlineExceededError],
  ['RpcPermissionDeniedError', RpcPermissionDeniedError],
]);

const STANDARD_FIELDS = new Set(['name', 'message', 'stack', 'code', 'cause', 'errors']);
const MAX_CAUSE_DEPTH = 8;

/** How {@link toErrorEnvelope} describes an error. */
export interface ErrorEnvelopeOptions {
  /**
   * Whether the envelope keeps the stacks of the error, its causes and its inner errors.
   * Default `true`; without them, nothing of the thrower's frames (file paths, functions) is kept.
   */
  readonly stacks?: boolean | undefined;
}

/**
 * Describes a thrown value as an {@link ErrorEnvelope}. Non-error values (a thrown string)
 * become an `Error` whose message is their string form. Other own enumerable properties are
 * kept in `props`; the caller decides whether they survive encoding. Stacks are kept unless
 * `options.stacks` is `false`, for the error and every cause and inner error alike.
 */
export function toErrorEnvelope(thrown: unknown, options: ErrorEnvelopeOptions = {}, depth = 0): ErrorEnvelope {
  if (!(thrown instanceof Error)) {
    return { name: 'Error', message: `Non-error value thrown: ${describeThrown(thrown)}` };
  }
  const source = thrown as Error & { code?: unknown };
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    if (STANDARD_FIELDS.has(key)) continue;
    (props ??= {})[key] = (source as unknown as Record<string, unknown>)[key];
  }
  const code = typeof source.code === 'string' || typeof source.code === 'number' ? source.code : undefined;
  const nested = depth < MAX_CAUSE_DEPTH;
  const cause = source.cause !== undefined && nested ? toErrorEnvelope(source.cause, options, depth + 1) : undefined;
  const inner = (source as { errors?: unknown }).errors;
  const errors =
    Array.isArray(inner) && nested ? inner.map((error) => toErrorEnvelope(error, options, depth + 1)) : undefined;
  const stack = options.stacks === false ? undefined : source.stack;
  return { name: source.name, message: source.message, stack, code, props, cause, errors };
}

/**
 * Rebuilds an error from its envelope: an instance of the class registered under its name
 * (without running the class's constructor), or a plain `Error` carrying the remote name.
 * Name, message, stack, code, cause and the other properties are restored. An envelope sent
 * without a stack gets one of its name and message only (`rejectWithCallerFrames` adds the caller's
 * frames to the outermost error; see {@link lacksRemoteStack}).
 */
export function fromErrorEnvelope(
  envelope: ErrorEnvelope,
  resolveClass: (name: string) => ErrorClass | undefined,
): Error {
  const errorClass = resolveClass(envelope.name) ?? BUILTIN_ERROR_CLASSES.get(envelope.name);
  const prototype = (errorClass ?? Error).prototype as object;
  const error = Object.create(prototype) as Error & Record<string, unknown>;
  const define = (key: string, value: unknown): void => {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  };
  define('message', envelope.message);
  if (errorClass === undefined || error.name !== envelope.name) define('name', envelope.name);
  define('stack', envelope.stack ?? `${envelope.name}: ${envelope.message}`);
  if (envelope.stack === undefined) STACKLESS.add(error);
  if (envelope.code !== undefined) {
    Object.defineProperty(error, 'code', {
      value: envelope.code,
      writable: false,
      enumerable: true,
      configurable: true,
    });
  }
  if (envelope.cause !== undefined) define('cause', fromErrorEnvelope(envelope.cause, resolveClass));
  if (envelope.errors !== undefined)
    define(
      'errors',
      envelope.errors.map((inner) => fromErrorEnvelope(inner, resolveClass)),
    );
  if (envelope.props !== undefined) Object.assign(error, envelope.props);
  return error;
}

const STACKLESS = new WeakSet<Error>();

/**
 * Whether `error` was rebuilt by {@link fromErrorEnvelope} from an envelope sent without a
 * stack, and has not been given the caller's frames since (see {@link useCallerFrames}).
 */
export function lacksRemoteStack(error: unknown): error is Error {
  return error instanceof Error && STACKLESS.has(error);
}

/**
 * Gives an error rebuilt without its stack the frames of `callerStack` (a stack captured by
 * the code awaiting the call) after its own `name: message` line.
 */
export function useCallerFrames(error: Error, callerStack: string): void {
  const frames = callerStack.slice(callerStack.indexOf('\n') + 1);
  const header = `${error.name}: ${error.message}`;
  Object.defineProperty(error, 'stack', {
    value: frames === callerStack ? header : `${header}\n${frames}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  STACKLESS.delete(error);
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
