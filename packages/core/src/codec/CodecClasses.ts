import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { ErrorClass } from './Codec';
import { NATIVE_CLASSES } from './nativeClasses';

/**
 * The classes a codec knows, whatever its format: the value classes it may send (the native
 * ones and those registered), and the error classes it rebuilds by name. Both built-in codecs
 * keep theirs here.
 */
export class CodecClasses {
  private readonly errorClasses = new Map<string, ErrorClass>();
  private readonly valueClasses = new Set<unknown>(NATIVE_CLASSES);

  /** Adds a registered value class. */
  addValueClass(valueClass: unknown): void {
    this.valueClasses.add(valueClass);
  }

  /** Adds an error class, rebuilt for errors named `name`. */
  addErrorClass(errorClass: ErrorClass, name: string): void {
    this.errorClasses.set(name, errorClass);
  }

  /** The error class registered under `name`, if any. */
  errorClass(name: string): ErrorClass | undefined {
    return this.errorClasses.get(name);
  }

  /**
   * Whether instances of `constructor` may be sent: a native or registered class, or a
   * subclass of `Error` (errors travel as errors). Subclasses of registered classes are not known.
   */
  readonly isKnownClass = (constructor: unknown): boolean =>
    this.valueClasses.has(constructor) || (typeof constructor === 'function' && constructor.prototype instanceof Error);
}

/**
 * The `strict` option of codec `codecName`: `true` unless given.
 * @throws RpcInvalidOptionError naming `strict` if it is not a boolean.
 */
export function strictOption(strict: unknown, codecName: string): boolean {
  if (strict !== undefined && typeof strict !== 'boolean') {
    throw RpcInvalidOptionError.forValue('strict', strict, 'true or false', codecName);
  }
  return strict ?? true;
}
