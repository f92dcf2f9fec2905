/**
 * Method declarations: the run-time half of a protocol. Each carries the facts TypeScript
 * erases (tell or ask, the timeout argument, local-only) and, as phantom types, the
 * argument and result types the gateway and endpoint types are derived from.
 */

import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';

/** Options shared by tells and asks. */
export interface MethodOptions {
  /**
   * Marks a method that may only be called on an endpoint of the same process (Flink's
   * `@Local`). Its arguments and result are never serialized, even with forced serialization;
   * a call from a remote gateway fails before it is sent.
   */
  readonly local?: boolean | undefined;
  /**
   * A fingerprint of the method's argument and result shapes, as its authors choose to state
   * them (e.g. `'(JobId) => JobStatus v2'`): TypeScript's types are gone at run time, so the
   * connect handshake compares this text instead. Callers and endpoints that declare
   * different shapes for a method are refused at connect, with the method named. Absent
   * (the default), shapes are not compared.
   */
  readonly shape?: string | undefined;
}

/** The longest {@link MethodOptions.shape} accepted. */
const MAX_SHAPE_LENGTH = 512;

/**
 * The positions of `TArgs` whose type is a number (or an optional number): the places a
 * timeout argument may take.
 */
export type TimeoutArgPosition<TArgs extends readonly unknown[]> = {
  [K in keyof TArgs & `${number}`]: [Exclude<TArgs[K], undefined>] extends [number]
    ? K extends `${infer TIndex extends number}`
      ? TIndex
      : never
    : never;
}[keyof TArgs & `${number}`];

/** Options of an ask. */
export interface AskOptions<TArgs extends readonly unknown[]> extends MethodOptions {
  /**
   * The position of the argument that holds the call's timeout in milliseconds (Flink's
   * `@RpcTimeout`). When the argument is `undefined` the service's default applies. The
   * argument is passed on to the endpoint's method as well.
   */
  readonly timeoutArg?: TimeoutArgPosition<TArgs> | undefined;
}

/** A fire-and-forget method: the gateway returns `void` at once; errors are logged by the endpoint. */
export interface TellMethod<TArgs extends readonly unknown[]> {
  /** Marks the declaration as a tell. */
  readonly kind: 'tell';
  /** Whether the method may only be called in-process (see {@link MethodOptions.local}). */
  readonly local: boolean;
  /** Always `undefined`: a tell has no timeout. */
  readonly timeoutArg: undefined;
  /** The declared shape fingerprint, if any (see {@link MethodOptions.shape}). */
  readonly shape?: string | undefined;
  /** Phantom field carrying the argument types; never set. */
  readonly __args?: (args: TArgs) => void | undefined;
}

/** A request–response method: the gateway returns a promise of the result, bounded by a timeout. */
export interface AskMethod<TArgs extends readonly unknown[], TResult> {
  /** Marks the declaration as an ask. */
  readonly kind: 'ask';
  /** Whether the method may only be called in-process (see {@link MethodOptions.local}). */
  readonly local: boolean;
  /** The position of the timeout argument, if the method has one. */
  readonly timeoutArg: number | undefined;
  /** The declared shape fingerprint, if any (see {@link MethodOptions.shape}). */
  readonly shape?: string | undefined;
  /** Phantom field carrying the argument types; never set. */
  readonly __args?: (args: TArgs) => void | undefined;
  /** Phantom field carrying the result type; never set. */
  readonly __result?: () => TResult | undefined;
}

/**
 * Any method declaration. `never` arguments and an `unknown` result make every tell and ask
 * assignable to it: arguments are a parameter of the phantom `__args` (contravariant), the
 * result a return value of `__result` (covariant).
 */
export type AnyMethod = TellMethod<never> | AskMethod<never, unknown>;

/**
 * Declares a tell: a method that returns nothing and whose caller does not wait.
 *
 * @example
 * ```ts
 * const Log = defineProtocol('Log', { append: tell<[line: string]>() });
 * ```
 */
export function tell<TArgs extends readonly unknown[] = []>(options: MethodOptions = {}): TellMethod<TArgs> {
  const local = localFlag('tell', options);
  return withShape({ kind: 'tell', local, timeoutArg: undefined }, shapeOf('tell', options));
}

/**
 * Declares an ask: a method whose caller receives a promise of its result.
 * @throws RpcInvalidOptionError if `timeoutArg` is not an argument position or `local` is not a boolean.
 *
 * @example
 * ```ts
 * const Jobs = defineProtocol('Jobs', {
 *   status: ask<[jobId: string], 'running' | 'done'>(),
 *   cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
 * });
 * ```
 */
export function ask<TArgs extends readonly unknown[] = [], TResult = void>(
  options: AskOptions<TArgs> = {},
): AskMethod<TArgs, TResult> {
  const local = localFlag('ask', options);
  const timeoutArg = options.timeoutArg as number | undefined;
  if (timeoutArg !== undefined && (!Number.isInteger(timeoutArg) || timeoutArg < 0)) {
    throw RpcInvalidOptionError.forValue(
      'timeoutArg',
      timeoutArg,
      'the position of an argument (an integer from 0)',
      'ask',
    );
  }
  return withShape({ kind: 'ask', local, timeoutArg }, shapeOf('ask', options));
}

/** `method`, with its shape fingerprint if one is declared (no `shape` key otherwise). */
function withShape<TMethod extends object>(method: TMethod, shape: string | undefined): TMethod {
  return shape === undefined ? method : { ...method, shape };
}

/** Checks the `shape` option of `tell` or `ask`. */
function shapeOf(declaration: 'tell' | 'ask', options: MethodOptions): string | undefined {
  const { shape } = options;
  if (shape !== undefined && (typeof shape !== 'string' || shape.length === 0 || shape.length > MAX_SHAPE_LENGTH)) {
    throw RpcInvalidOptionError.forValue(
      'shape',
      shape,
      `a string of 1 to ${MAX_SHAPE_LENGTH} characters`,
      declaration,
    );
  }
  return shape;
}

/** Checks the options of `tell` or `ask` and returns their `local` flag. */
function localFlag(declaration: 'tell' | 'ask', options: MethodOptions): boolean {
  if (options === null || typeof options !== 'object') {
    throw RpcInvalidOptionError.forValue('options', options, 'an object such as { local: true }', declaration);
  }
  if (options.local !== undefined && typeof options.local !== 'boolean') {
    throw RpcInvalidOptionError.forValue('local', options.local, 'true or false', declaration);
  }
  return options.local === true;
}
