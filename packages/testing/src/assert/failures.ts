/**
 * What `fn` threw, as a value to assert on; throws if it threw nothing, so the test fails.
 *
 * @example
 * ```ts
 * const error = thrownBy(() => new NactRpcService({ askTimeoutMs: -1 }));
 * expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'askTimeoutMs' });
 * ```
 */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** What `promise` rejected with, as a value to assert on; rejects if it resolved, so the test fails. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
