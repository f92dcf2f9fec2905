/**
 * Helpers of the type-level tests (`*.types.ts`): files that are compiled by `npm run
 * typecheck`, never run. Each states a fact about types that compiles only if it is true.
 */

/** True when A and B are the same type (not merely mutually assignable through `any`). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only for `true`. */
export type Expect<T extends true> = T;

/** Compiles only when `value` has type `T` or a subtype of it. */
export function assertType<T>(_value: T): void {}

/** Compiles only when `value`'s type is exactly `T`: `exactly<T>()(value)`. */
export function exactly<T>() {
  return <U>(_value: U, ..._notExact: Equals<T, U> extends true ? [] : [never]): void => {};
}

// Self-checks of the helpers, so that a broken helper cannot make every type test pass.
export type HelperChecks = [
  Expect<Equals<string, string>>,
  Expect<Equals<Equals<string, 'a'>, false>>,
  Expect<Equals<Equals<{ a: 1 }, { readonly a: 1 }>, false>>,
  Expect<Equals<Equals<any, string>, false>>,
];
export function helperSelfChecks(): void {
  exactly<string>()('text' as string);
  // @ts-expect-error -- a literal type is not exactly string
  exactly<string>()('text' as const);
  // @ts-expect-error -- number is not string
  assertType<string>(1);
}
