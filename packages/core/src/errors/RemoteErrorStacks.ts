/**
 * Which callers in other processes receive the stack traces of the errors a service's
 * endpoints throw (the stacks name the server's source files and functions):
 * - `'never'`: no caller does;
 * - `'loopback'` (the default): callers connected over a loopback address (`127.0.0.0/8`,
 *   `::1`), that is from the same machine;
 * - `'always'`: every caller does.
 *
 * Callers in the same process always get the errors with their stacks. Without its stack, an
 * error still keeps its class, name, message, code, cause chain and other properties.
 */
export type RemoteErrorStacks = 'never' | 'loopback' | 'always';

/** Every {@link RemoteErrorStacks} value, for validation. */
export const REMOTE_ERROR_STACKS: readonly RemoteErrorStacks[] = ['never', 'loopback', 'always'];

/** Whether errors sent to a peer keep their stacks under `policy`, given whether it is connected over loopback. */
export function sendsErrorStacks(policy: RemoteErrorStacks, loopback: boolean): boolean {
  return policy === 'always' || (policy === 'loopback' && loopback);
}
